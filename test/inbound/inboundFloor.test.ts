import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { SALES_QUEUE_ID, SERVICE_IVR_ID, SERVICE_QUEUE_ID, startInboundFloor } from '../../src/floor/inboundFloor.ts';
import { seedServiceLine } from '../../src/floor/seedDemo.ts';
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

const bridgedInbound = () => [...floor.server.endpoints.values()].find((ep) => ep.options.inbound && ep.status === 'bridged')?.callId;

async function agentReady(agentId: string, extension: string): Promise<void> {
  floor.sim.switch.agents.set(extension, { answerMs: 200 });
  await floor.server.agentCommand(agentId, { type: 'LOGIN', extension });
  await floor.server.agentCommand(agentId, { type: 'READY' });
}

describe('inbound floor', () => {
  it('a simulated caller of the seeded service line keys through the menu (a wrong key, then 2) and a ready agent of the service queue takes them', async () => {
    await seedServiceLine(floor.store);
    // Seeding again (a restart) adds nothing.
    const before = await floor.store.headPosition();
    await seedServiceLine(floor.store);
    expect(await floor.store.headPosition()).toBe(before);
    await agentReady('agent-in', '1001');
    const callers = startInboundFloor({ media: floor.server, simulator: floor.sim, log: () => {}, gapMs: [200, 400], keyDelayMs: [10, 20], keys: () => ['7', '2'] });
    try {
      const callId = await until('a bridged inbound call', bridgedInbound);
      const events = await floor.events(callStreamId(callId));
      expect(events[1].data).toMatchObject({ rule: 'did', destination: { kind: 'ivr', id: SERVICE_IVR_ID } });
      expect(events.find((e) => e.type === 'IvrEntered')?.data).toMatchObject({ menuId: SERVICE_IVR_ID, version: 1 });
      expect(events.filter((e) => e.type === 'IvrDigitReceived').map((e) => e.data)).toMatchObject([
        { digit: '7', valid: false },
        { digit: '2', valid: true, target: { kind: 'queue', id: SERVICE_QUEUE_ID } },
      ]);
      expect(events.find((e) => e.type === 'CallQueued')?.data).toMatchObject({ queueId: SERVICE_QUEUE_ID });
    } finally {
      callers.stop();
    }
  });

  it('a caller keying 1 reaches the sales queue', async () => {
    await seedServiceLine(floor.store);
    const callers = startInboundFloor({ media: floor.server, simulator: floor.sim, log: () => {}, gapMs: [200, 400], keyDelayMs: [10, 20], keys: () => ['1'] });
    try {
      const sales = await until('a caller queued for sales', () => [...floor.server.endpoints.values()].find((ep) => ep.options.queueId === SALES_QUEUE_ID)?.callId);
      const events = await until('queued', async () => {
        const stream = await floor.events(callStreamId(sales));
        return stream.some((e) => e.type === 'CallQueued') && stream;
      });
      expect(events.filter((e) => e.type === 'IvrDigitReceived').map((e) => e.data)).toMatchObject([{ digit: '1', valid: true }]);
      expect(events.find((e) => e.type === 'CallQueued')?.data).toMatchObject({ queueId: SALES_QUEUE_ID });
    } finally {
      callers.stop();
    }
  });
});
