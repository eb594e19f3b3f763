import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentStreamId } from '../../../src/domain/agent/streams.ts';
import { callStreamId } from '../../../src/domain/call/streams.ts';
import { reconcileOnReconnect, recover, VANISHED } from '../../../src/telephony/recovery/reconcile.ts';
import { agentLegId } from '../../../src/telephony/session/callEndpoint.ts';
import { openFloor, until, type Floor } from './harness.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor?.close();
});

async function readyAgent(agentId: string, ext: string): Promise<void> {
  floor.sim.switch.agents.set(ext, { answerMs: 300 });
  await floor.server.agentCommand(agentId, { type: 'LOGIN', extension: ext });
  await floor.server.agentCommand(agentId, { type: 'READY' });
}

async function bridgedCall(agentId: string, ext: string): Promise<string> {
  await readyAgent(agentId, ext);
  const callId = randomUUID();
  const number = `86137${Math.floor(Math.random() * 1e8)}`;
  floor.sim.switch.customers.script(number, { kind: 'answer', ringMs: 300, talkMs: 600_000, machine: false, earlyMedia: false });
  await floor.server.dial({ callId, dial: `sofia/gateway/trunk/${number}` });
  await until('bridged', () => floor.server.endpoint(callId)?.status === 'bridged' && floor.server.endpoint(callId)?.agentId === agentId);
  await floor.server.idle();
  return callId;
}

const lastCallEvent = async (callId: string) => (await floor.events(callStreamId(callId))).at(-1)!;

describe('restart recovery', () => {
  it('after the process dies mid-call: vanished calls end with a reason, surviving calls carry on, no ghost agents', async () => {
    const gone = `a-gone-${randomUUID()}`;
    const stays = `a-stays-${randomUUID()}`;
    const goneCall = await bridgedCall(gone, '3001');
    const liveCall = await bridgedCall(stays, '3002');

    await floor.restartProcess();
    expect(floor.server.endpoints.size).toBe(0); // the new process knows nothing yet
    // While we are down, one customer hangs up: nobody hears about it.
    floor.sim.remoteHangup(goneCall);
    await until('channel gone on the switch', () => !floor.sim.switch.channels.has(goneCall));

    const report = await recover(floor.server);
    expect(report.restoredCalls.sort()).toEqual([goneCall, liveCall].sort());
    expect(report.ended).toEqual([goneCall]);
    expect(report.kept).toEqual([liveCall]);
    expect(await lastCallEvent(goneCall)).toMatchObject({ type: 'CallEnded', data: { cause: VANISHED, hangupBy: 'system' } });
    expect(floor.server.agents.status(gone)).toBe('wrap-up');
    expect(floor.server.agents.status(stays)).toBe('on-call');
    expect(floor.server.endpoint(liveCall)?.status).toBe('bridged');

    // The restored call still works: the customer hangs up and the usual flow follows.
    floor.sim.remoteHangup(liveCall);
    await until('agent in wrap-up', () => floor.server.agents.status(stays) === 'wrap-up');
    await floor.server.idle();
    expect(await lastCallEvent(liveCall)).toMatchObject({ type: 'CallEnded', data: { cause: 'NORMAL_CLEARING', hangupBy: 'callee' } });
    await until('agent leg hung up', () => !floor.sim.switch.channels.has(agentLegId(liveCall, stays)));

    await floor.advance(10_000);
    expect(floor.server.agents.status(gone)).toBe('ready');
    expect(floor.server.agents.status(stays)).toBe('ready');
    expect(floor.server.endpoints.size).toBe(0);
    expect((await floor.types(agentStreamId(gone))).slice(-2)).toEqual(['AgentCallEnded', 'AgentWrapUpEnded']);
  });

  it('restores only calls begun in the last two days, and only agents still logged in', async () => {
    const agent = `a-long-${randomUUID()}`;
    const call = await bridgedCall(agent, '3009');
    const gone = `a-out-${randomUUID()}`;
    await readyAgent(gone, '3010');
    await floor.server.agentCommand(gone, { type: 'LOGOUT', reason: 'end of shift' });
    await floor.restartProcess();
    floor.clock.t = Date.now() + 49 * 3600_000; // the process comes back two days later
    const report = await recover(floor.server);
    expect(report.restoredCalls).not.toContain(call);
    expect(report.restoredAgents).toContain(agent);
    expect(report.restoredAgents).not.toContain(gone);
  });

  it('a durable connect-rule timer set before the crash still abandons the queued call after restart', async () => {
    const callId = randomUUID();
    floor.sim.switch.customers.script('8613700000009', { kind: 'answer', ringMs: 300, talkMs: 600_000, machine: false, earlyMedia: false });
    await floor.server.dial({ callId, dial: 'sofia/gateway/trunk/8613700000009', connectRuleMs: 2_000 });
    await until('queued', () => floor.server.endpoint(callId)?.status === 'queued');
    await floor.server.idle();

    await floor.restartProcess();
    const report = await recover(floor.server);
    expect(report.kept).toEqual([callId]);
    expect(floor.server.endpoint(callId)?.status).toBe('queued');
    await floor.advance(2_000);
    await until('ended', async () => (await lastCallEvent(callId)).type === 'CallEnded');
    const types = await floor.types(callStreamId(callId));
    expect(types.slice(-2)).toEqual(['CallAbandoned', 'CallEnded']);
    await until('channel gone', () => !floor.sim.switch.channels.has(callId));
  });

  it('an agent reserved for a call whose agent leg vanished is released, and the call is offered again', async () => {
    const first = `a-${randomUUID()}`;
    await readyAgent(first, '3003');
    floor.sim.switch.agents.set('3003', { answer: false });
    const callId = randomUUID();
    floor.sim.switch.customers.script('8613700000010', { kind: 'answer', ringMs: 300, talkMs: 600_000, machine: false, earlyMedia: false });
    await floor.server.dial({ callId, dial: 'sofia/gateway/trunk/8613700000010', connectRuleMs: 60_000 });
    await until('agent ringing', () => floor.server.agents.status(first) === 'ringing');
    await floor.server.idle();

    await floor.restartProcess();
    floor.sim.remoteHangup(agentLegId(callId, first), 'NO_ANSWER');
    await until('agent leg gone', () => !floor.sim.switch.channels.has(agentLegId(callId, first)));
    const report = await recover(floor.server);
    expect(report.releasedAgents).toContain(first);
    expect(report.kept).toEqual([callId]);
    // The released agent is ready again and is the only one: the call goes back to them.
    floor.sim.switch.agents.set('3003', { answerMs: 200 });
    await until('bridged', () => floor.server.endpoint(callId)?.status === 'bridged');
    expect(await floor.types(agentStreamId(first))).toContain('AgentReservationExpired');
  });

  it('switch restart (new Core-UUID, no channels): on reconnect every call is ended and agents are released', async () => {
    const stop = reconcileOnReconnect(floor.server);
    const agentId = `a-${randomUUID()}`;
    const callId = await bridgedCall(agentId, '3004');
    floor.sim.restart();
    await until('call ended by reconcile', async () => (await lastCallEvent(callId)).type === 'CallEnded', 15_000);
    expect(await lastCallEvent(callId)).toMatchObject({ data: { cause: VANISHED } });
    await until('agent in wrap-up', () => floor.server.agents.status(agentId) === 'wrap-up');
    stop();
  });
});
