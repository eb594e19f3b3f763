import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentStreamId } from '../../../src/domain/agent/streams.ts';
import { callStreamId } from '../../../src/domain/call/streams.ts';
import { agentLegId } from '../../../src/telephony/session/callEndpoint.ts';
import { ABANDON_MESSAGE } from '../../../src/telephony/session/timerCommands.ts';
import { openFloor, until, type Floor } from './harness.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor?.close();
});

const answerAfter = (ringMs: number, extra: { machine?: boolean; earlyMedia?: boolean } = {}) =>
  ({ kind: 'answer', ringMs, talkMs: 600_000, machine: extra.machine ?? false, earlyMedia: extra.earlyMedia ?? false }) as const;

async function readyAgent(agentId: string, ext: string): Promise<void> {
  floor.sim.switch.agents.set(ext, { answerMs: 500 });
  expect(await floor.server.agentCommand(agentId, { type: 'LOGIN', extension: ext })).toBeUndefined();
  expect(await floor.server.agentCommand(agentId, { type: 'READY' })).toBeUndefined();
}

const statusOf = (callId: string) => floor.server.endpoint(callId)?.status;

describe('call session against the simulator', () => {
  it('predictive call: ring, human answer, queue, bridge to the longest-idle agent, hold, hang-up, wrap-up, ready', async () => {
    const agentId = `a-${randomUUID()}`;
    await readyAgent(agentId, '1001');
    const callId = randomUUID();
    const number = '8613800138001';
    floor.sim.switch.customers.script(number, answerAfter(3000, { earlyMedia: true }));
    await floor.server.dial({ callId, dial: `sofia/gateway/trunk/${number}`, campaignId: 'camp-1', queueId: 'q-1' });

    await until('bridged', () => statusOf(callId) === 'bridged');
    await floor.server.idle();
    // The customer really hears the agent on the switch.
    expect(floor.sim.hears(callId)).toContain(agentLegId(callId, agentId));
    expect(await floor.types(callStreamId(callId))).toEqual(['CallRinging', 'CallEarlyMedia', 'CallAnswered', 'CallQueued', 'CallBridged']);
    expect((await floor.types(agentStreamId(agentId))).slice(2)).toEqual(['AgentReserved', 'AgentRinging', 'AgentCallConnected']);
    expect(floor.server.agents.status(agentId)).toBe('on-call');
    // The agent answered in time: the connect rule and the reservation expiry were cancelled.
    expect(floor.scheduler.pendingTimers()).toEqual([]);

    await expect(floor.server.unhold(callId)).rejects.toMatchObject({ code: 'CALL_TRANSITION_REFUSED' });
    await floor.server.hold(callId);
    await until('held', () => statusOf(callId) === 'held');
    await floor.server.unhold(callId);
    await until('resumed', () => statusOf(callId) === 'bridged');

    floor.sim.remoteHangup(callId, 'NORMAL_CLEARING');
    await until('agent in wrap-up', () => floor.server.agents.status(agentId) === 'wrap-up');
    await floor.server.idle();
    const ended = (await floor.events(callStreamId(callId))).at(-1)!;
    expect(ended).toMatchObject({ type: 'CallEnded', data: { cause: 'NORMAL_CLEARING', hangupBy: 'callee' } });
    // The agent leg was hung up by us: no channel stays behind on the switch.
    await until('agent leg gone', () => !floor.sim.switch.channels.has(agentLegId(callId, agentId)));

    await floor.advance(9_999);
    expect(floor.server.agents.status(agentId)).toBe('wrap-up');
    await floor.advance(1);
    expect(floor.server.agents.status(agentId)).toBe('ready');
    expect((await floor.types(agentStreamId(agentId))).slice(-4)).toEqual(['AgentCallHeld', 'AgentCallResumed', 'AgentCallEnded', 'AgentWrapUpEnded']);
  });

  it('abandons a human-answered call when no agent comes within the connect rule, and hangs it up', async () => {
    const callId = randomUUID();
    floor.sim.switch.customers.script('8613800138002', answerAfter(500));
    await floor.server.dial({ callId, dial: 'sofia/gateway/trunk/8613800138002', connectRuleMs: 2_000 });
    await until('queued', () => statusOf(callId) === 'queued');
    await floor.server.idle();
    await floor.advance(1_999);
    expect(statusOf(callId)).toBe('queued');
    await floor.advance(1);
    await until('ended', async () => (await floor.types(callStreamId(callId))).includes('CallEnded'));
    const events = await floor.events(callStreamId(callId));
    expect(events.map((e) => e.type)).toEqual(['CallRinging', 'CallAnswered', 'CallQueued', 'CallAbandoned', 'CallEnded']);
    expect(events[3].data).toMatchObject({ reason: 'NO_AGENT_WITHIN_CONNECT_RULE', waitedMs: 2_000, message: ABANDON_MESSAGE });
    expect(events[4].data).toMatchObject({ hangupBy: 'system' });
    await until('channel gone', () => !floor.sim.switch.channels.has(callId));
    // The customer heard the recorded message to its end before the line dropped.
    const mine = floor.facts.filter((f) => 'callId' in f && f.callId === callId).map((f) => f.kind);
    expect(mine.indexOf('playback-stopped')).toBeGreaterThan(mine.indexOf('playback-started'));
    expect(mine.indexOf('playback-started')).toBeGreaterThan(-1);
    expect(mine.lastIndexOf('hung-up')).toBeGreaterThan(mine.indexOf('playback-stopped'));
  });

  it('an answering machine detected by AMD is never offered to an agent', async () => {
    const agentId = `a-${randomUUID()}`;
    await readyAgent(agentId, '1002');
    const callId = randomUUID();
    floor.sim.switch.customers.script('8613800138003', answerAfter(500, { machine: true }));
    await floor.server.dial({ callId, dial: 'sofia/gateway/trunk/8613800138003', amd: true });
    await until('ended', async () => (await floor.types(callStreamId(callId))).includes('CallEnded'));
    const events = await floor.events(callStreamId(callId));
    expect(events.map((e) => e.type)).toEqual(['CallRinging', 'CallAnswered', 'CallEnded']);
    expect(events[1].data).toMatchObject({ answeredBy: 'machine' });
    expect(floor.server.agents.status(agentId)).toBe('ready');
  });

  it('a failed dial ends the call with the switch cause and touches no agent', async () => {
    const callId = randomUUID();
    floor.sim.switch.customers.script('8613800138004', { kind: 'fail', afterMs: 300, cause: 'USER_BUSY', sipStatus: 486 });
    await floor.server.dial({ callId, dial: 'sofia/gateway/trunk/8613800138004' });
    await until('ended', async () => (await floor.types(callStreamId(callId))).includes('CallEnded'));
    const last = (await floor.events(callStreamId(callId))).at(-1)!;
    expect(last.data).toMatchObject({ cause: 'USER_BUSY' });
  });

  it('the durable ring-timeout guard ends a call still ringing past its originate timeout', async () => {
    const callId = randomUUID();
    floor.sim.switch.customers.script('8613800138009', { kind: 'no-answer', earlyMedia: false });
    await floor.server.dial({ callId, dial: 'sofia/gateway/trunk/8613800138009', timeoutSec: 600 });
    await until('ringing', () => statusOf(callId) === 'ringing');
    await floor.advance(600_000 + 4_999);
    expect(statusOf(callId)).toBe('ringing');
    await floor.advance(1);
    await until('ended', async () => (await floor.types(callStreamId(callId))).includes('CallEnded'));
    expect((await floor.events(callStreamId(callId))).at(-1)!.data).toMatchObject({ cause: 'NO_ANSWER', hangupBy: 'system' });
    await until('channel gone', () => !floor.sim.switch.channels.has(callId));
  });

  it('an agent who does not answer is released and the call goes to the next ready agent', async () => {
    const slow = `a-slow-${randomUUID()}`;
    const fast = `a-fast-${randomUUID()}`;
    await readyAgent(slow, '1003');
    floor.sim.switch.agents.set('1003', { answer: false });
    floor.clock.t += 1000; // the second agent became ready later: the slow one is longest idle
    await readyAgent(fast, '1004');
    const callId = randomUUID();
    floor.sim.switch.customers.script('8613800138005', answerAfter(300));
    await floor.server.dial({ callId, dial: 'sofia/gateway/trunk/8613800138005', connectRuleMs: 60_000 });
    await until('offered to the slow agent', () => floor.server.agents.status(slow) === 'ringing');
    await floor.advance(15_000); // reservation expiry
    await until('bridged to the fast agent', () => statusOf(callId) === 'bridged');
    await floor.server.idle();
    expect(floor.server.endpoint(callId)!.agentId).toBe(fast);
    expect(floor.server.agents.status(slow)).toBe('ready');
    expect(await floor.types(agentStreamId(slow))).toContain('AgentReservationExpired');
  });

  it('the connect rule abandons a call whose offered agent is still ringing, and releases that agent', async () => {
    const agentId = `a-${randomUUID()}`;
    await readyAgent(agentId, '1006');
    floor.sim.switch.agents.set('1006', { answer: false });
    const callId = randomUUID();
    floor.sim.switch.customers.script('8613800138007', answerAfter(300));
    await floor.server.dial({ callId, dial: 'sofia/gateway/trunk/8613800138007', connectRuleMs: 2_000 });
    await until('agent ringing', () => floor.server.agents.status(agentId) === 'ringing');
    await floor.server.idle();
    await floor.advance(2_000);
    await until('call ended', async () => (await floor.types(callStreamId(callId))).includes('CallEnded'));
    expect((await floor.types(callStreamId(callId))).slice(-2)).toEqual(['CallAbandoned', 'CallEnded']);
    expect(floor.server.agents.status(agentId)).toBe('ready');
    expect((await floor.types(agentStreamId(agentId))).at(-1)).toBe('AgentReservationExpired');
    await until('no channels left', () => floor.sim.switch.channels.size === 0);
    // The reservation-expiry timer was cancelled with the abandon: nothing fires later.
    expect(floor.scheduler.pendingTimers().filter((t) => t.timerId.includes(callId))).toEqual([]);
  });

  it('logout mid-call records the call as ended for the agent and hangs up the customer', async () => {
    const agentId = `a-${randomUUID()}`;
    await readyAgent(agentId, '1005');
    const callId = randomUUID();
    floor.sim.switch.customers.script('8613800138006', answerAfter(300));
    await floor.server.dial({ callId, dial: 'sofia/gateway/trunk/8613800138006' });
    await until('bridged', () => statusOf(callId) === 'bridged');
    expect(await floor.server.agentCommand(agentId, { type: 'LOGOUT', reason: '下班' })).toBeUndefined();
    expect((await floor.types(agentStreamId(agentId))).slice(-2)).toEqual(['AgentCallEnded', 'AgentLoggedOut']);
    await until('call ended', async () => (await floor.types(callStreamId(callId))).includes('CallEnded'));
    expect((await floor.events(callStreamId(callId))).at(-1)!.data).toMatchObject({ hangupBy: 'agent' });
    await until('no channels left', () => floor.sim.switch.channels.size === 0);
  });

  it('refuses an illegal agent command with a clear error and records nothing', async () => {
    const agentId = `a-${randomUUID()}`;
    const err = await floor.server.agentCommand(agentId, { type: 'READY' });
    expect(err?.code).toBe('AGENT_TRANSITION_REFUSED');
    expect(await floor.types(agentStreamId(agentId))).toEqual([]);
  });
});
