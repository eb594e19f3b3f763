import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { forwardLegId, RING_BACK } from '../../src/inbound/overflow.ts';
import { recover } from '../../src/telephony/recovery/reconcile.ts';
import { sha256Of } from '../../src/telephony/session/recording.ts';
import type { DialOutcome } from '../../src/telephony/simulator/customers.ts';
import { callerWaits, createQueue, registerAgent, uniqueAgents } from '../acd/inboundSupport.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  expect(floor.errors).toEqual([]);
  await floor.close();
});

let n = 0;
/** A company number (E.164) the simulated trunk reaches, scripted to behave as `outcome`. */
function outsideNumber(outcome: DialOutcome): string {
  const digits = `86216${String(Date.now() % 1e3).padStart(3, '0')}${String(n++ % 1e4).padStart(4, '0')}`;
  floor.sim.switch.customers.script(digits, outcome);
  return `+${digits}`;
}
const answers = (talkMs = 600_000): DialOutcome => ({ kind: 'answer', ringMs: 1_000, talkMs, machine: false, earlyMedia: false });

const types = async (id: string) => (await floor.events(callStreamId(id))).map((e) => e.type);
const eventOf = async (id: string, type: string) => (await floor.events(callStreamId(id))).find((e) => e.type === type)?.data;
const untilType = (id: string, type: string) => until(type, async () => (await types(id)).includes(type));
/** What the caller was played, in order: [path, started | stopped (and how)]. */
const played = (id: string) =>
  floor.facts.flatMap((f) => (!('callId' in f) || f.callId !== id ? [] : f.kind === 'playback-started' ? [[f.path, 'started']] : f.kind === 'playback-stopped' ? [[f.path, `stopped:${f.status}`]] : []));

/**
 * A queue whose callers overflow to `number` after 10 s, its one agent logged in but not ready (so callers wait
 * rather than overflow at once for want of anyone able), and a caller who waits there that long.
 */
async function callerOverflowsTo(number: string): Promise<{ id: string; queueId: string; agent: string }> {
  const [agent] = uniqueAgents('agent');
  const skill = `fwd-${agent}`;
  await registerAgent(floor, agent, [{ skill, level: 5 }]);
  floor.sim.switch.agents.set(agent, { answerMs: 200 });
  expect(await floor.server.agentCommand(agent, { type: 'LOGIN', extension: agent })).toBeUndefined();
  const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }], overflow: { afterSeconds: 10, target: { kind: 'number', id: number } } });
  const id = await callerWaits(floor, { queueId });
  await floor.advance(10_000);
  return { id, queueId, agent };
}

describe('queue overflow to an outside number', () => {
  it('dials the number through the trunk and bridges the caller to it; the caller\'s hangup ends both sides', async () => {
    const number = outsideNumber(answers());
    const { id, queueId } = await callerOverflowsTo(number);
    // While the number rings the caller hears ring-back, not silence.
    await untilType(id, 'CallForwardAnswered');
    const leg = forwardLegId(id);
    const ringBack = floor.facts.findIndex((f) => f.kind === 'playback-started' && f.callId === id && f.path === RING_BACK);
    expect(ringBack).toBeGreaterThanOrEqual(0);
    expect(ringBack).toBeLessThan(floor.facts.findIndex((f) => f.kind === 'answered' && f.callId === leg));
    await until('bridged', () => floor.sim.hears(id).includes(leg));
    // Broken off for the bridge.
    await until('ring-back stopped', () => played(id).some(([path, what]) => path === RING_BACK && what === 'stopped:break'));
    // Dialled as customers are: the session's trunk dial string (sofia/gateway/<gw>/<digits>).
    expect(floor.sim.switch.channels.get(leg)?.destination).toBe(number.slice(1));
    expect(await eventOf(id, 'CallOverflowed')).toMatchObject({ from: queueId, to: { kind: 'number', id: number }, reason: 'OVERFLOW_AFTER_WAIT' });
    const forwarded = await eventOf(id, 'CallForwarded');
    expect(forwarded).toMatchObject({ callId: id, from: queueId, to: number, legId: leg });
    expect(forwarded?.waitedMs).toBeGreaterThanOrEqual(10_000);
    expect(await eventOf(id, 'CallForwardAnswered')).toMatchObject({ to: number, legId: leg });
    expect(floor.server.inboundWaiting()).toBe(0);

    floor.sim.remoteHangup(id);
    await untilType(id, 'CallEnded');
    await until('outside leg hung up', () => !floor.sim.switch.channels.has(leg));
    const all = await types(id);
    expect(all.slice(all.indexOf('CallOverflowed'))).toEqual(['CallOverflowed', 'CallForwarded', 'CallForwardAnswered', 'CallEnded']);
  });

  it('the outside party hanging up ends the caller\'s call too', async () => {
    const number = outsideNumber(answers(20_000));
    const { id } = await callerOverflowsTo(number);
    await untilType(id, 'CallForwardAnswered');
    await untilType(id, 'CallEnded');
    expect(await eventOf(id, 'CallEnded')).toMatchObject({ hangupBy: 'system' });
    expect(await types(id)).not.toContain('CallAbandoned');
    expect(floor.sim.switch.channels.has(id)).toBe(false);
  });

  it.each([
    ['busy', { kind: 'fail', afterMs: 500, cause: 'USER_BUSY', sipStatus: 486 } as DialOutcome, 'USER_BUSY'],
    ['a number that does not exist', { kind: 'fail', afterMs: 300, cause: 'UNALLOCATED_NUMBER', sipStatus: 404 } as DialOutcome, 'UNALLOCATED_NUMBER'],
  ])('%s: the failure is recorded with its cause and the caller leaves a voicemail', async (_, outcome, cause) => {
    const number = outsideNumber(outcome);
    const { id, queueId } = await callerOverflowsTo(number);
    await untilType(id, 'CallForwardFailed');
    expect(await eventOf(id, 'CallForwardFailed')).toMatchObject({ to: number, cause });
    await until('message recorded', () => floor.facts.some((f) => f.kind === 'recording-started' && f.callId === id));
    // The ring-back stopped before the voicemail prompt began (not played over it).
    const heard = played(id).map(([path, what]) => `${path === RING_BACK ? 'ring-back' : path} ${what}`);
    expect(heard.slice(heard.indexOf('ring-back started'))).toEqual(['ring-back started', 'ring-back stopped:break', 'voicemail/vm-record_message.wav started', 'voicemail/vm-record_message.wav stopped:done']);
    await new Promise((r) => setTimeout(r, 50));
    floor.sim.remoteHangup(id);
    await untilType(id, 'CallEnded');
    const all = await types(id);
    expect(all.slice(all.indexOf('CallOverflowed'))).toEqual(['CallOverflowed', 'CallForwarded', 'CallForwardFailed', 'VoicemailStarted', 'VoicemailRecordingStarted', 'VoicemailLeft', 'CallEnded']);
    const vm = await eventOf(id, 'VoicemailLeft');
    expect(vm).toMatchObject({ queueId });
    expect(vm?.sha256).toBe(await sha256Of(vm?.file as string));
  });

  it('a number the trunk refuses outright (no leg created): the forward fails with the switch\'s cause, the caller leaves a voicemail, and no leg is left behind', async () => {
    Object.assign(floor.server, { customerDial: () => 'error/network_out_of_order' });
    const number = outsideNumber(answers());
    const { id } = await callerOverflowsTo(number);
    await until('the voicemail prompt', () => played(id).some(([path, what]) => path === 'voicemail/vm-record_message.wav' && what === 'started'));
    expect(await eventOf(id, 'CallForwardFailed')).toMatchObject({ to: number, cause: 'NETWORK_OUT_OF_ORDER' });
    expect(floor.sim.switch.channels.has(forwardLegId(id))).toBe(false);
    expect(floor.server.legs.has(forwardLegId(id))).toBe(false);
    floor.sim.remoteHangup(id);
    await untilType(id, 'CallEnded');
  });

  it('no answer within the ring time: voicemail, with NO_ANSWER', async () => {
    const number = outsideNumber({ kind: 'no-answer', earlyMedia: false });
    const { id } = await callerOverflowsTo(number);
    await untilType(id, 'CallForwardFailed');
    expect(await eventOf(id, 'CallForwardFailed')).toMatchObject({ to: number, cause: 'NO_ANSWER' });
    await untilType(id, 'VoicemailStarted');
    // The ring-back lasted the whole 30 s of ringing (a looped tone ends only when broken off).
    await until('ring-back stopped', () => played(id).some(([path, what]) => path === RING_BACK && what.startsWith('stopped')));
    expect(played(id).filter(([path]) => path === RING_BACK)).toEqual([[RING_BACK, 'started'], [RING_BACK, 'stopped:break']]);
  });

  it('a caller who hangs up while the number rings ends the forward: the outside leg is cancelled, no voicemail', async () => {
    const number = outsideNumber({ kind: 'no-answer', earlyMedia: false });
    const { id } = await callerOverflowsTo(number);
    await untilType(id, 'CallForwarded');
    await until('outside leg ringing', () => floor.sim.switch.channels.has(forwardLegId(id)));
    floor.sim.remoteHangup(id);
    await untilType(id, 'CallEnded');
    await until('outside leg cancelled', () => !floor.sim.switch.channels.has(forwardLegId(id)));
    expect(await eventOf(id, 'CallForwardFailed')).toMatchObject({ callerHungUp: true });
    expect(await types(id)).not.toContain('VoicemailStarted');
    expect(await types(id)).not.toContain('CallAbandoned');
  });

  it('survives a restart of the session while bridged: not offered to an agent, and the hangup still ends both sides', async () => {
    const number = outsideNumber(answers());
    const { id, agent } = await callerOverflowsTo(number);
    await untilType(id, 'CallForwardAnswered');

    await floor.restartProcess();
    const report = await recover(floor.server);
    expect(report.restoredCalls).toContain(id);
    expect(floor.server.endpoint(id)).toMatchObject({ leftQueue: 'forwarded', forward: { legId: forwardLegId(id), to: number, stage: 'bridged' } });
    expect(await floor.server.agentCommand(agent, { type: 'READY' })).toBeUndefined();
    await floor.server.idle();
    expect(floor.server.endpoint(id)?.agentId).toBeUndefined();

    floor.sim.remoteHangup(forwardLegId(id));
    await untilType(id, 'CallEnded');
    expect(await eventOf(id, 'CallEnded')).toMatchObject({ hangupBy: 'system' });
    expect(await types(id)).not.toContain('CallOffered');
  });

  it('a number that answers while the session is down is bridged once it is back', async () => {
    const number = outsideNumber({ kind: 'answer', ringMs: 20_000, talkMs: 600_000, machine: false, earlyMedia: false });
    const { id } = await callerOverflowsTo(number);
    await untilType(id, 'CallForwarded');
    await floor.restartProcess();
    await until('outside party answered', () => floor.sim.switch.channels.get(forwardLegId(id))?.answeredAt);
    expect(floor.sim.hears(id)).not.toContain(forwardLegId(id));
    await recover(floor.server);
    await untilType(id, 'CallForwardAnswered');
    await until('bridged', () => floor.sim.hears(id).includes(forwardLegId(id)));
    floor.sim.remoteHangup(id);
    await untilType(id, 'CallEnded');
    await until('outside leg hung up', () => !floor.sim.switch.channels.has(forwardLegId(id)));
  });

  it('a number that rang out while the session was down counts as failed, and the caller leaves a voicemail', async () => {
    const number = outsideNumber({ kind: 'fail', afterMs: 5_000, cause: 'USER_BUSY', sipStatus: 486 });
    const { id } = await callerOverflowsTo(number);
    await untilType(id, 'CallForwarded');
    await floor.restartProcess();
    // The busy signal comes while no session listens.
    await until('outside leg gone', () => !floor.sim.switch.channels.has(forwardLegId(id)));
    await recover(floor.server);
    await untilType(id, 'VoicemailStarted');
    expect(await eventOf(id, 'CallForwardFailed')).toMatchObject({ to: number, cause: 'VANISHED_DURING_RESTART' });
  });
});
