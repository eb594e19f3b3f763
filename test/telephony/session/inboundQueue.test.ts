import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboundRules } from '../../../src/acd/inboundRouting.ts';
import { callStreamId } from '../../../src/domain/call/streams.ts';
import { enterQueue, inboundWaiting } from '../../../src/inbound/queueInbound.ts';
import { receiveInbound } from '../../../src/inbound/receiveInbound.ts';
import { agentLegId } from '../../../src/telephony/session/callEndpoint.ts';
import { openFloor, until, type Floor } from './harness.ts';

const rules: InboundRules = {
  version: 'r1', timeZone: 'Asia/Shanghai', blacklist: [], whitelist: [], holidays: [],
  openHours: [{ days: [0, 1, 2, 3, 4, 5, 6], start: '00:00', end: '23:59' }],
  closed: { kind: 'voicemail' }, byDid: {}, byCallerPrefix: [],
  defaultDestination: { kind: 'queue', id: 'q-service' }, stickyToLastAgent: false,
};

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
  receiveInbound(floor.server, { rules: () => rules, onRouted: (id, d) => void enterQueue(floor.server, id, { queueId: d.destination.id! }) });
});
afterEach(async () => {
  await floor.close();
});

describe('an inbound caller routed to a queue', () => {
  it('waits while no agent is ready, then is bridged to the agent who becomes ready', async () => {
    const id = floor.sim.inboundCall('13800138000', '+862180000001');
    await until('queued', () => floor.server.endpoint(id)?.status === 'queued');
    expect(inboundWaiting(floor.server)).toBe(1);
    const agentId = `a-${randomUUID()}`;
    floor.sim.switch.agents.set('1001', { answerMs: 500 });
    expect(await floor.server.agentCommand(agentId, { type: 'LOGIN', extension: '1001' })).toBeUndefined();
    expect(await floor.server.agentCommand(agentId, { type: 'READY' })).toBeUndefined();
    await until('bridged', () => floor.server.endpoint(id)?.status === 'bridged');
    expect(floor.sim.hears(id)).toContain(agentLegId(id, agentId));
    expect(inboundWaiting(floor.server)).toBe(0);
    // Routing explains the wait (nobody logged in, then nobody ready) and the offer.
    expect(await floor.types(callStreamId(id))).toEqual([
      'CallReceived', 'InboundCallRouted', 'CallAnswered', 'CallQueued', 'CallRoutingDeferred', 'CallRoutingDeferred', 'CallOffered', 'CallBridged',
    ]);
  });

  it('a caller who hangs up while waiting is recorded as abandoned with how long they waited', async () => {
    const id = floor.sim.inboundCall('13800138002', '+862180000001');
    await until('queued', () => floor.server.endpoint(id)?.status === 'queued');
    floor.clock.t += 42_000;
    floor.sim.remoteHangup(id);
    await until('ended', async () => (await floor.types(callStreamId(id))).includes('CallEnded'));
    const events = await floor.events(callStreamId(id));
    expect(events.map((e) => e.type)).toEqual(['CallReceived', 'InboundCallRouted', 'CallAnswered', 'CallQueued', 'CallRoutingDeferred', 'CallAbandoned', 'CallEnded']);
    expect(events[5].data).toMatchObject({ reason: 'CALLER_HUNG_UP', waitedMs: 42_000 });
    expect(inboundWaiting(floor.server)).toBe(0);
  });
});
