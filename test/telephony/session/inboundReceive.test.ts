import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboundDecision, InboundRules } from '../../../src/acd/inboundRouting.ts';
import { callStreamId } from '../../../src/domain/call/streams.ts';
import { receiveInbound } from '../../../src/inbound/receiveInbound.ts';
import { openFloor, until, type Floor } from './harness.ts';

const rules: InboundRules = {
  version: 'r1',
  timeZone: 'Asia/Shanghai',
  blacklist: ['+8613900000666'],
  whitelist: [],
  holidays: [],
  openHours: [{ days: [0, 1, 2, 3, 4, 5, 6], start: '00:00', end: '23:59' }] as InboundRules['openHours'],
  closed: { kind: 'voicemail' },
  byDid: { '+862180000000': { kind: 'ivr', id: 'ivr-main' } },
  byCallerPrefix: [],
  defaultDestination: { kind: 'queue', id: 'q-service' },
  stickyToLastAgent: false,
};

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor.close();
});

describe('a parked inbound call', () => {
  it('is recorded as CallReceived with the routing decision (rule, reason, inputs) and handed on', async () => {
    const routed: Array<[string, InboundDecision]> = [];
    receiveInbound(floor.server, { rules: () => rules, onRouted: (id, d) => void routed.push([id, d]) });
    const id = floor.sim.inboundCall('13800138000', '+862180000000');
    await until('routed', () => routed.length === 1);
    const events = await floor.events(callStreamId(id));
    expect(events.map((e) => e.type)).toEqual(['CallReceived', 'InboundCallRouted']);
    expect(events[0].data).toMatchObject({ phone: '+8613800138000', did: '+862180000000', direction: 'inbound' });
    expect(events[1].data).toMatchObject({ rule: 'did', destination: { kind: 'ivr', id: 'ivr-main' }, inputs: { rulesVersion: 'r1', timeZone: 'Asia/Shanghai' } });
    expect(routed[0][0]).toBe(id);
  });

  it('from a blacklisted caller is rejected on the switch and the refusal says why', async () => {
    const routed: string[] = [];
    receiveInbound(floor.server, { rules: () => rules, onRouted: (id) => void routed.push(id) });
    const id = floor.sim.inboundCall('13900000666', '+862180000000');
    await until('hung up', () => floor.facts.some((f) => f.kind === 'hung-up' && f.callId === id));
    const events = await floor.events(callStreamId(id));
    expect(events[1].data).toMatchObject({ rule: 'blacklist', destination: { kind: 'reject' }, reason: 'caller +8613900000666 is blacklisted' });
    const hung = floor.facts.find((f) => f.kind === 'hung-up' && f.callId === id) as { cause: string };
    expect(hung.cause).toBe('CALL_REJECTED');
    expect(routed).toEqual([]);
  });
});
