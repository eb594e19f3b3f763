import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { AGENT_WAIT_PROMPT } from '../../src/inbound/ivr/agentWait.ts';
import type { Inbound } from '../../src/inbound/startInbound.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';
import { allDayRules, routed, spokeBefore, startRouting } from './ivrSupport.ts';

const DID = '+862180000055';
const QUEUE = `q-${randomUUID()}`;
const rules = allDayRules('sticky-1', { [DID]: { kind: 'queue', id: QUEUE } }, { kind: 'queue', id: QUEUE }, { stickyToLastAgent: true });

let floor: Floor;
let inbound: Inbound;
beforeAll(async () => {
  floor = await openFloor();
  inbound = await startRouting(floor, () => rules);
});
afterAll(async () => {
  await inbound.stop();
  await floor.close();
});

async function agent(extension: string, ready = true): Promise<string> {
  const agentId = `a-${randomUUID()}`;
  floor.sim.switch.agents.set(extension, { answerMs: 200 });
  expect(await floor.server.agentCommand(agentId, { type: 'LOGIN', extension })).toBeUndefined();
  if (ready) expect(await floor.server.agentCommand(agentId, { type: 'READY' })).toBeUndefined();
  return agentId;
}

describe('a known customer calls again', () => {
  it('goes to the agent they spoke with last when that agent is free; the decision says so', async () => {
    const other = await agent('3001'); // ready longer: the queue would pick them
    const last = await agent('3002');
    await spokeBefore(floor, '+8613800138551', last, DID);
    const id = floor.sim.inboundCall('13800138551', DID);
    const d = await routed(floor, id);
    expect(d).toMatchObject({ rule: 'sticky_agent', destination: { kind: 'agent', id: last }, knownCustomer: { lastAgentId: last, lastAgentFree: true } });
    await until('bridged', () => floor.server.endpoint(id)?.status === 'bridged');
    const bridged = (await floor.events(callStreamId(id))).find((e) => e.type === 'CallBridged');
    expect(bridged?.data).toMatchObject({ agentId: last });
    floor.sim.remoteHangup(id);
    await floor.server.agentCommand(other, { type: 'LOGOUT', reason: 'test over' });
  });

  it('whose agent is busy (not ready) waits for them instead of going to a colleague who is free', async () => {
    const colleague = await agent('3004');
    const busy = await agent('3003', false);
    await spokeBefore(floor, '+8613800138552', busy, DID);
    floor.sim.switch.options.playbackMs = 60_000; // a prompt that only a break ends within the test
    const id = floor.sim.inboundCall('13800138552', DID);
    const d = await routed(floor, id);
    expect(d).toMatchObject({ rule: 'did', destination: { kind: 'queue', id: QUEUE }, offerToWaitFor: busy, knownCustomer: { lastAgentId: busy, lastAgentFree: false } });
    // Asked first (agentWaitOffer.test.ts covers the choices): 1 waits.
    await until('the offer', async () => (await floor.types(callStreamId(id))).includes('CallAgentWaitOffered'));
    floor.sim.injectDtmf(id, '1');
    await until('waiting', async () => (await floor.types(callStreamId(id))).includes('CallWaitingForAgent'));
    // They hear why they wait (early media: nobody has answered yet).
    await until('the wait prompt', () => floor.facts.some((f) => f.kind === 'playback-started' && f.callId === id && f.path === AGENT_WAIT_PROMPT));
    expect(await floor.server.agentCommand(busy, { type: 'READY' })).toBeUndefined();
    await until('bridged', () => floor.server.endpoint(id)?.status === 'bridged');
    floor.sim.switch.options.playbackMs = 2_000;
    expect(floor.facts.find((f) => f.kind === 'playback-stopped' && f.callId === id)).toMatchObject({ status: 'break' });
    expect((await floor.events(callStreamId(id))).find((e) => e.type === 'CallBridged')?.data).toMatchObject({ agentId: busy });
    floor.sim.remoteHangup(id);
    await floor.server.agentCommand(colleague, { type: 'LOGOUT', reason: 'test over' });
  });

  it('an unknown number is just routed', async () => {
    const d = await routed(floor, floor.sim.inboundCall('13800138553', DID));
    expect(d.rule).toBe('did');
    expect(d.knownCustomer).toBeUndefined();
  });
});
