import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundRules } from '../../src/acd/inboundRouting.ts';
import { callStreamId } from '../../src/domain/call/streams.ts';
import type { Inbound } from '../../src/inbound/startInbound.ts';
import { recover } from '../../src/telephony/recovery/reconcile.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';
import { allDayRules, startRouting } from './ivrSupport.ts';

const DID = '+862180000066';
let target = '';
const QUEUE = `q-${randomUUID()}`;
const rules = (): InboundRules => allDayRules('direct-1', { [DID]: { kind: 'agent', id: target } }, { kind: 'queue', id: QUEUE });

let floor: Floor;
let inbound: Inbound;
beforeAll(async () => {
  floor = await openFloor();
  inbound = await startRouting(floor, rules);
});
afterAll(async () => {
  await inbound.stop();
  await floor.close();
});

async function agent(extension: string, o: { ready?: boolean; answer?: boolean } = {}): Promise<string> {
  const agentId = `a-${randomUUID()}`;
  floor.sim.switch.agents.set(extension, { answerMs: 200, answer: o.answer ?? true });
  expect(await floor.server.agentCommand(agentId, { type: 'LOGIN', extension })).toBeUndefined();
  if (o.ready ?? true) expect(await floor.server.agentCommand(agentId, { type: 'READY' })).toBeUndefined();
  return agentId;
}

async function bridgedTo(id: string): Promise<string> {
  await until('bridged', () => floor.server.endpoint(id)?.status === 'bridged', 10_000);
  const events = await floor.events(callStreamId(id));
  return String(events.find((e) => e.type === 'CallBridged')?.data.agentId);
}

const logout = (...ids: string[]) => Promise.all(ids.map((a) => floor.server.agentCommand(a, { type: 'LOGOUT', reason: 'test over' })));

describe('destination agent', () => {
  it('offers the call to that agent before an agent who has waited longer; the offer is recorded', async () => {
    const waitingLonger = await agent('4001');
    target = await agent('4002');
    const id = floor.sim.inboundCall('13800138661', DID);
    expect(await bridgedTo(id)).toBe(target);
    const offered = (await floor.events(callStreamId(id))).find((e) => e.type === 'CallOffered');
    expect(offered?.data).toMatchObject({ strategy: 'direct', winner: target, queueId: QUEUE });
    floor.sim.remoteHangup(id);
    await logout(waitingLonger);
  });

  it('an agent who does not answer before the reservation expires: the queue gives the caller to another', async () => {
    target = await agent('4003', { answer: false });
    await agent('4004');
    const id = floor.sim.inboundCall('13800138662', DID);
    await until('offered to the agent', () => floor.server.endpoint(id)?.agentId === target);
    await until('queued', () => floor.server.endpoint(id)?.status === 'queued');
    await floor.advance(16_000); // past the reservation (15 s)
    expect(await bridgedTo(id)).not.toBe(target);
    floor.sim.remoteHangup(id);
  });

  it('an agent who is not free: the caller waits for them (still ringing) and reaches them once they are ready', async () => {
    target = await agent('4005', { ready: false });
    const colleague = await agent('4006');
    const id = floor.sim.inboundCall('13800138663', DID);
    await until('waiting', async () => (await floor.types(callStreamId(id))).includes('CallWaitingForAgent'));
    expect(floor.server.endpoint(id)).toBeUndefined(); // not in the queue: the ready colleague is not offered it
    expect(await floor.server.agentCommand(target, { type: 'READY' })).toBeUndefined();
    expect(await bridgedTo(id)).toBe(target);
    const waited = (await floor.events(callStreamId(id))).find((e) => e.type === 'CallWaitingForAgent');
    expect(waited?.data).toMatchObject({ agentId: target, queueId: QUEUE });
    floor.sim.remoteHangup(id);
    await logout(colleague);
  });

  it('an agent still not free when the wait (20 s by default) is over: the queue serves the caller, and the record says why', async () => {
    target = await agent('4007', { ready: false });
    await agent('4008');
    const id = floor.sim.inboundCall('13800138664', DID);
    await until('waiting', async () => (await floor.types(callStreamId(id))).includes('CallWaitingForAgent'));
    await floor.advance(19_000);
    expect(floor.server.endpoint(id)).toBeUndefined();
    await floor.advance(2_000);
    expect(await bridgedTo(id)).not.toBe(target);
    const ended = (await floor.events(callStreamId(id))).find((e) => e.type === 'CallAgentWaitEnded');
    expect(String(ended?.data.reason)).toContain(`agent ${target} was not free in time`);
    floor.sim.remoteHangup(id);
    await logout(target);
  });

  it('a caller who hangs up while waiting: the call ends, recorded, and nothing is left waiting', async () => {
    target = await agent('4009', { ready: false });
    const id = floor.sim.inboundCall('13800138665', DID);
    await until('waiting', async () => (await floor.types(callStreamId(id))).includes('CallWaitingForAgent'));
    floor.sim.remoteHangup(id);
    await until('ended', async () => (await floor.types(callStreamId(id))).includes('CallEnded'));
    expect(floor.scheduler.pendingTimers().filter((t) => t.command.id === id)).toEqual([]);
    await logout(target);
  });

  it('the wait deadline is durable: after a restart a caller still waiting goes on to the queue', async () => {
    target = await agent('4010', { ready: false });
    const id = floor.sim.inboundCall('13800138666', DID);
    await until('waiting', async () => (await floor.types(callStreamId(id))).includes('CallWaitingForAgent'));
    await inbound.stop();
    await floor.restartProcess();
    await recover(floor.server);
    inbound = await startRouting(floor, rules);
    await floor.advance(21_000);
    await until('queued', async () => (await floor.types(callStreamId(id))).includes('CallQueued'));
    const events = await floor.events(callStreamId(id));
    expect(events.find((e) => e.type === 'CallAgentWaitEnded')?.data).toMatchObject({ agentId: target, queueId: QUEUE });
    expect(events.find((e) => e.type === 'CallQueued')?.data).toMatchObject({ queueId: QUEUE });
  });
});
