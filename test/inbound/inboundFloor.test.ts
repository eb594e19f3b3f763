import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { SERVICE_QUEUE_ID, startInboundFloor } from '../../src/floor/inboundFloor.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor.close();
});

describe('inbound floor', () => {
  it('simulated callers ring the service line and a ready agent takes them', async () => {
    const lines: string[] = [];
    floor.sim.switch.agents.set('1001', { answerMs: 200 });
    await floor.server.agentCommand('agent-in', { type: 'LOGIN', extension: '1001' });
    await floor.server.agentCommand('agent-in', { type: 'READY' });
    const inbound = startInboundFloor({ store: floor.store, media: floor.server, simulator: floor.sim, log: (l) => lines.push(l), gapMs: [50, 100] });
    try {
      const callId = await until('a bridged inbound call', () => [...floor.server.endpoints.values()].find((ep) => ep.options.inbound && ep.status === 'bridged')?.callId);
      const events = await floor.events(callStreamId(callId));
      expect(events[1].data).toMatchObject({ rule: 'did', destination: { kind: 'queue', id: SERVICE_QUEUE_ID } });
      expect(lines.some((l) => l.includes(callId))).toBe(true);
    } finally {
      inbound.stop();
    }
  });
});
