import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { leaveVoicemail, VOICEMAIL_PROMPT } from '../../src/inbound/voicemail.ts';
import { sha256Of } from '../../src/telephony/session/recording.ts';
import { recover } from '../../src/telephony/recovery/reconcile.ts';
import { callerRings, callerWaits, createQueue, readyAgent, registerAgent, uniqueAgents } from '../acd/inboundSupport.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor.close();
});

const factFor = (id: string, kind: string) => floor.facts.find((f) => f.kind === kind && 'callId' in f && f.callId === id);

describe('voicemail from the IVR', () => {
  it('plays the prompt, records the message until the caller hangs up and stores it with its hash', async () => {
    const id = await callerRings(floor, '13800138055');
    await floor.esl.execute(id, 'answer', '', false); // the IVR answered
    await floor.server.enqueue(() => leaveVoicemail(floor.server, id));
    await until('prompt played', () => factFor(id, 'playback-stopped'));
    expect(factFor(id, 'playback-started')).toMatchObject({ path: VOICEMAIL_PROMPT });
    await until('recording', () => factFor(id, 'recording-started'));
    await new Promise((r) => setTimeout(r, 100));
    floor.sim.remoteHangup(id);
    await until('ended', async () => (await floor.types(callStreamId(id))).includes('CallEnded'));

    const events = await floor.events(callStreamId(id));
    expect(events.map((e) => e.type)).toEqual(['CallReceived', 'CallAnswered', 'VoicemailStarted', 'VoicemailRecordingStarted', 'VoicemailLeft', 'CallEnded']);
    const vm = events[4].data;
    expect(vm).toMatchObject({ callId: id, phone: '+8613800138055' });
    expect(vm.durationMs).toBeGreaterThan(0);
    expect(vm.sha256).toBe(await sha256Of(vm.file as string));
  });

  it('a caller who hangs up during the prompt leaves no message', async () => {
    const id = await callerRings(floor, '13800138056');
    await floor.esl.execute(id, 'answer', '', false);
    await floor.server.enqueue(() => leaveVoicemail(floor.server, id));
    await until('prompt started', () => factFor(id, 'playback-started'));
    floor.sim.remoteHangup(id);
    await until('ended', async () => (await floor.types(callStreamId(id))).includes('CallEnded'));
    expect(await floor.types(callStreamId(id))).toEqual(['CallReceived', 'CallAnswered', 'VoicemailStarted', 'CallEnded']);
  });

  it('a caller routed straight to voicemail is answered first', async () => {
    const id = await callerRings(floor, '13800138057');
    await floor.server.enqueue(() => leaveVoicemail(floor.server, id, { queueId: 'after-hours' }));
    await until('recording', () => factFor(id, 'recording-started'));
    expect(floor.facts.findIndex((f) => f.kind === 'answered' && 'callId' in f && f.callId === id)).toBeLessThan(floor.facts.findIndex((f) => f.kind === 'playback-started' && f.callId === id));
    await new Promise((r) => setTimeout(r, 50));
    floor.sim.remoteHangup(id);
    await until('ended', async () => (await floor.types(callStreamId(id))).includes('CallEnded'));
    const events = await floor.events(callStreamId(id));
    expect(events.map((e) => e.type)).toEqual(['CallReceived', 'CallAnswered', 'VoicemailStarted', 'VoicemailRecordingStarted', 'VoicemailLeft', 'CallEnded']);
    expect(events[4].data).toMatchObject({ queueId: 'after-hours', phone: '+8613800138057' });
  });

  it('a restart while the message is recorded keeps it: VoicemailLeft is stored, and the caller (overflowed to voicemail) is not offered to an agent', async () => {
    const [agent] = uniqueAgents('agent');
    const skill = `vm-${agent}`;
    await registerAgent(floor, agent, [{ skill, level: 5 }]);
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }], overflow: { afterSeconds: 10, target: { kind: 'voicemail', id: 'vm-overflow' } } });
    const id = await callerWaits(floor, { queueId }, '13800138058');
    await floor.advance(10_000);
    await until('recording', () => factFor(id, 'recording-started'));

    await floor.restartProcess();
    const report = await recover(floor.server);
    expect(report.restoredCalls).toContain(id);
    expect(floor.server.endpoint(id)).toMatchObject({ leftQueue: 'voicemail', voicemail: { queueId, phone: '+8613800138058' } });
    // An agent of that queue becomes free mid-message: the caller stays in voicemail.
    await readyAgent(floor, agent, '1001');
    await floor.server.idle();
    expect(floor.server.endpoint(id)?.agentId).toBeUndefined();

    floor.sim.remoteHangup(id);
    await until('ended', async () => (await floor.types(callStreamId(id))).includes('CallEnded'));
    const events = await floor.events(callStreamId(id));
    expect(events.map((e) => e.type)).not.toContain('CallOffered');
    const vm = events.find((e) => e.type === 'VoicemailLeft')?.data;
    expect(vm).toMatchObject({ callId: id, queueId, phone: '+8613800138058' });
    expect(vm?.sha256).toBe(await sha256Of(vm?.file as string));
  });
});
