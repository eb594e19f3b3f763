import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { campaignDecider } from '../../src/domain/campaign/decider.ts';
import { leadDecider } from '../../src/domain/lead/decider.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { CampaignDialers } from '../../src/floor/campaignDialers.ts';
import type { MediaServer } from '../../src/telephony/session/mediaServer.ts';
import { createTestDatabase } from '../support/db.ts';

// Two campaigns working the same list at the same moment must never ring one customer twice at once.
describe('two campaigns sharing a list', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let dialers: CampaignDialers;
  const placed: unknown[] = [];
  const media = { dial: async (r: unknown) => void placed.push(r), agents: { readyAgents: () => ['u1', 'u2', 'u3'].map((agentId) => ({ agentId })) } } as unknown as MediaServer;
  let seq = 0;
  const meta = () => ({ now: new Date().toISOString(), commandId: `sl-${++seq}`, actorId: 'admin-1', actorRole: 'admin' });

  beforeAll(async () => {
    db = await createTestDatabase('shared_list');
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 20 });
    for (const u of ['u1', 'u2', 'u3']) await store.append(`user-${u}`, [{ type: 'UserCreated', data: { userId: u, username: u, role: 'agent', departmentId: 'd1' } }]);
    for (let i = 0; i < 4; i++) {
      const phone = `+86138001387${String(i).padStart(2, '0')}`;
      await handleCommand(store, leadDecider, phone, { type: 'ImportLead', data: { phone, source: 'file', batchId: 'rb', row: i + 1, departmentId: 'd1' }, meta: meta() });
    }
    const callingHours = { windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' }], timeZonePolicy: 'lead', timeZone: 'Asia/Shanghai' };
    for (const id of ['s1', 's2']) {
      for (const [type, data] of [
        ['CreateCampaign', { campaignId: id, name: `Shared ${id}`, departmentId: 'd1', config: { mode: 'predictive', callingHours } }],
        ['AttachList', { listId: 'rb' }],
        ['StartCampaign', {}],
      ] as const) {
        await handleCommand(store, campaignDecider, id, { type, data, meta: meta() } as never);
      }
    }
    dialers = new CampaignDialers({ store, media, dialString: (n) => `sofia/gateway/t/${n.slice(1)}`, tickMs: 20 });
    await dialers.start();
  });
  afterAll(async () => {
    await dialers.stop();
    await store.close();
    await db.close();
  });

  it('dials each number once while its call is live, whichever campaign picks it first', async () => {
    for (let i = 0; i < 40 && placed.length < 4; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500)); // more ticks of both dialers
    const dials = await store.readAll({ after: 0, maxCount: 100, filter: { eventTypes: ['CallDialAttempted'] } });
    const phones = dials.map((e) => e.data.phone);
    expect(phones.length).toBe(4);
    expect(new Set(phones).size).toBe(phones.length);
  });
});
