import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { SERVICE_IVR_ID, SERVICE_QUEUE_ID, startInboundFloor } from '../../src/floor/inboundFloor.ts';
import { startInbound, type Inbound } from '../../src/inbound/startInbound.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';

let floor: Floor;
let inbound: Inbound;
beforeEach(async () => {
  floor = await openFloor();
  inbound = await startInbound(floor.server, { promptsDir: path.join(floor.recordingsDir, 'prompts') });
});
afterEach(async () => {
  await inbound.stop();
  await floor.close();
});

describe('inbound floor', () => {
  it('simulated callers ring the service line; without a published menu they go to the service queue and a ready agent takes them', async () => {
    const lines: string[] = [];
    floor.sim.switch.agents.set('1001', { answerMs: 200 });
    await floor.server.agentCommand('agent-in', { type: 'LOGIN', extension: '1001' });
    await floor.server.agentCommand('agent-in', { type: 'READY' });
    const callers = startInboundFloor({ media: floor.server, simulator: floor.sim, log: (l) => lines.push(l), gapMs: [50, 100] });
    try {
      const callId = await until('a bridged inbound call', () => [...floor.server.endpoints.values()].find((ep) => ep.options.inbound && ep.status === 'bridged')?.callId);
      const events = await floor.events(callStreamId(callId));
      expect(events[1].data).toMatchObject({ rule: 'did', destination: { kind: 'ivr', id: SERVICE_IVR_ID } });
      const unavailable = events.find((e) => e.type === 'IvrUnavailable');
      expect(unavailable?.data).toMatchObject({ menuId: SERVICE_IVR_ID, reason: `IVR menu ${SERVICE_IVR_ID} is not published`, fallback: { kind: 'queue', id: SERVICE_QUEUE_ID } });
      expect(events.find((e) => e.type === 'CallQueued')?.data).toMatchObject({ queueId: SERVICE_QUEUE_ID });
    } finally {
      callers.stop();
    }
  });
});
