import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { deterministicUuid } from '../../src/eventstore/ids.ts';
import { voicemailFile } from '../../src/inbound/voicemail.ts';
import { recover } from '../../src/telephony/recovery/reconcile.ts';
import { sha256Of } from '../../src/telephony/session/recording.ts';
import { until } from '../telephony/session/harness.ts';
import { callerInMenu, ivrFloorEachTest, publish, rootMenu, startIvr, untilEvent } from './ivrSupport.ts';

const ivr = ivrFloorEachTest();

const factOf = (id: string, kind: string) => ivr.floor.facts.find((f) => f.kind === kind && 'callId' in f && f.callId === id) as { at: number; path?: string } | undefined;

/** The session process stops and a new one recovers from the log and the switch, with the inbound side started again. */
async function restartSession(): Promise<void> {
  await ivr.inbound?.stop();
  await ivr.floor.restartProcess();
  await recover(ivr.floor.server);
  ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
}

describe('voicemail from the IVR across a restart', () => {
  const voicemailMenu = () => rootMenu(ivr.queues, { choices: { '1': { kind: 'queue', id: ivr.queues.sales }, '3': { kind: 'voicemail', id: 'vm-ivr' } } });

  it('a restart while the caller records keeps the message: one VoicemailLeft with the hash and length of the whole file', async () => {
    await publish(ivr.floor, ivr.menuId, voicemailMenu());
    ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
    const id = await callerInMenu(ivr.floor);
    ivr.floor.sim.injectDtmf(id, '3');
    await until('recording', () => factOf(id, 'recording-started'));
    await new Promise((r) => setTimeout(r, 60));
    const restartedAt = ivr.floor.sim.switch.clock.now();

    await restartSession();
    expect(ivr.floor.server.endpoint(id)).toMatchObject({ leftQueue: 'voicemail', voicemail: { queueId: 'vm-ivr' } });
    await new Promise((r) => setTimeout(r, 60));
    ivr.floor.sim.remoteHangup(id);

    const events = await untilEvent(ivr.floor, id, 'CallEnded');
    const left = events.filter((e) => e.type === 'VoicemailLeft');
    expect(left).toHaveLength(1);
    const vm = left[0].data as { file: string; sha256: string; durationMs: number; queueId: string; phone: string };
    expect(vm).toMatchObject({ callId: id, queueId: 'vm-ivr' });
    expect(vm.sha256).toBe(await sha256Of(vm.file));
    // 8 kHz 16-bit mono: the file holds the whole message, from before the restart to the hangup.
    const fileMs = ((await readFile(vm.file)).length - 44) / 16;
    expect(Math.abs(vm.durationMs - fileMs)).toBeLessThanOrEqual(1);
    expect(vm.durationMs).toBeGreaterThanOrEqual(restartedAt - factOf(id, 'recording-started')!.at);
    expect(events.map((e) => e.type)).not.toContain('VoicemailUnverified');
    expect(events.map((e) => e.type)).not.toContain('CallAbandoned');
    expect(events.find((e) => e.type === 'CallEnded')?.data).toMatchObject({ cause: 'NORMAL_CLEARING' });
  });

  it('a restart during the prompt: the message is recorded from the recovery on (the prompt\'s end may go unheard), and stored', async () => {
    await publish(ivr.floor, ivr.menuId, voicemailMenu());
    ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
    const id = await callerInMenu(ivr.floor);
    // A prompt long enough (1.2 s of wall time) for the restart to happen while it plays.
    ivr.floor.sim.switch.options.playbackMs = 60_000;
    ivr.floor.sim.injectDtmf(id, '3');
    await until('voicemail prompt', () => ivr.floor.facts.some((f) => f.kind === 'playback-started' && f.callId === id && f.path.includes('vm-record_message')));
    await restartSession();
    expect(ivr.floor.server.endpoint(id)?.voicemail).toMatchObject({ stage: 'recording' });
    await until('recording', () => factOf(id, 'recording-started'));
    await new Promise((r) => setTimeout(r, 60));
    ivr.floor.sim.remoteHangup(id);
    const events = await untilEvent(ivr.floor, id, 'CallEnded');
    expect(events.filter((e) => e.type === 'VoicemailLeft').map((e) => e.data)).toMatchObject([{ callId: id, queueId: 'vm-ivr' }]);
  });

  it('the prompt ended while no session listened: the recording starts on recovery, the caller is not left in silence', async () => {
    await publish(ivr.floor, ivr.menuId, voicemailMenu());
    ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
    const id = await callerInMenu(ivr.floor);
    ivr.floor.sim.switch.options.playbackMs = 20_000;
    ivr.floor.sim.injectDtmf(id, '3');
    await until('voicemail prompt', () => ivr.floor.facts.some((f) => f.kind === 'playback-started' && f.callId === id && f.path.includes('vm-record_message')));
    await ivr.inbound.stop();
    await ivr.floor.restartProcess();
    await until('prompt over', () => ivr.floor.facts.some((f) => f.kind === 'playback-stopped' && f.callId === id && f.path.includes('vm-record_message')));
    expect(factOf(id, 'recording-started')).toBeUndefined();
    await recover(ivr.floor.server);
    ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
    await until('recording', () => factOf(id, 'recording-started'));
    await new Promise((r) => setTimeout(r, 60));
    ivr.floor.sim.remoteHangup(id);
    const events = await untilEvent(ivr.floor, id, 'CallEnded');
    const left = events.filter((e) => e.type === 'VoicemailLeft');
    expect(left.map((e) => e.data)).toMatchObject([{ callId: id, queueId: 'vm-ivr' }]);
    expect(left[0].data.sha256).toBe(await sha256Of(left[0].data.file as string));
  });

  it('the process stopped after logging the recording but before the switch was told: recovery starts it once, one VoicemailLeft', async () => {
    await publish(ivr.floor, ivr.menuId, voicemailMenu());
    ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
    const id = await callerInMenu(ivr.floor);
    ivr.floor.sim.switch.options.playbackMs = 60_000;
    ivr.floor.sim.injectDtmf(id, '3');
    await until('voicemail prompt', () => ivr.floor.facts.some((f) => f.kind === 'playback-started' && f.callId === id && f.path.includes('vm-record_message')));
    await ivr.inbound.stop();
    await ivr.floor.restartProcess();
    // What the old process wrote just before it stopped (the same event, id and all), with no recording on the switch.
    const file = voicemailFile(ivr.floor.server, id);
    await ivr.floor.store.append(callStreamId(id), [{ id: deterministicUuid(id, 'voicemail-recording'), type: 'VoicemailRecordingStarted', data: { callId: id, file } }], 'any');
    expect(factOf(id, 'recording-started')).toBeUndefined();

    await recover(ivr.floor.server);
    ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
    await until('recording', () => factOf(id, 'recording-started'));
    await new Promise((r) => setTimeout(r, 60));
    ivr.floor.sim.remoteHangup(id);
    const events = await untilEvent(ivr.floor, id, 'CallEnded');
    expect(ivr.floor.facts.filter((f) => f.kind === 'recording-started' && f.callId === id)).toHaveLength(1);
    const left = events.filter((e) => e.type === 'VoicemailLeft');
    expect(left.map((e) => e.data)).toMatchObject([{ callId: id, queueId: 'vm-ivr', file }]);
    expect(left[0].data.sha256).toBe(await sha256Of(file));
    expect(events.filter((e) => e.type === 'VoicemailRecordingStarted')).toHaveLength(1);
  });

  it('a restart while recording does not start a second recording on the file', async () => {
    await publish(ivr.floor, ivr.menuId, voicemailMenu());
    ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
    const id = await callerInMenu(ivr.floor);
    ivr.floor.sim.injectDtmf(id, '3');
    await until('recording', () => factOf(id, 'recording-started'));
    await restartSession();
    await new Promise((r) => setTimeout(r, 60));
    ivr.floor.sim.remoteHangup(id);
    const events = await untilEvent(ivr.floor, id, 'CallEnded');
    expect(ivr.floor.facts.filter((f) => f.kind === 'recording-started' && f.callId === id)).toHaveLength(1);
    expect(events.filter((e) => e.type === 'VoicemailLeft')).toHaveLength(1);
  });
});
