import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { campaignDecider } from '../../src/domain/campaign/decider.ts';
import { leadDecider } from '../../src/domain/lead/decider.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { CampaignDialers } from '../../src/floor/campaignDialers.ts';
import type { MediaServer } from '../../src/telephony/session/mediaServer.ts';
import { createTestDatabase } from '../support/db.ts';

// A campaign whose every lead is refused (here: outside calling hours) must not run through its list writing a
// refusal per lead per tick: one refusal per round, and after a few in a row the dialer rests before trying again.
describe('a dialer facing refusal after refusal', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let dialers: CampaignDialers;
  const placed: unknown[] = [];
  const media = { dial: async (r: unknown) => void placed.push(r), agents: { readyAgents: () => ['u1', 'u2', 'u3'].map((agentId) => ({ agentId })) } } as unknown as MediaServer;
  let seq = 0;
  const meta = () => ({ now: new Date().toISOString(), commandId: `rb-${++seq}`, actorId: 'admin-1', actorRole: 'admin' });

  beforeAll(async () => {
    db = await createTestDatabase('refusal_backoff');
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 20 });
    for (const u of ['u1', 'u2', 'u3']) await store.append(`user-${u}`, [{ type: 'UserCreated', data: { userId: u, username: u, role: 'agent', departmentId: 'd1' } }]);
    for (let i = 0; i < 30; i++) {
      const phone = `+86138001386${String(i).padStart(2, '0')}`;
      await handleCommand(store, leadDecider, phone, { type: 'ImportLead', data: { phone, source: 'file', batchId: 'rb', row: i + 1, departmentId: 'd1' }, meta: meta() });
    }
    // A window that is never now in Shanghai (two hours ahead).
    const hour = String((new Date(Date.now() + 8 * 3600_000).getUTCHours() + 2) % 24).padStart(2, '0');
    const callingHours = { windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: `${hour}:00`, end: `${hour}:59` }], timeZonePolicy: 'lead', timeZone: 'Asia/Shanghai' };
    for (const [type, data] of [
      ['CreateCampaign', { campaignId: 'rb', name: 'Closed hours', departmentId: 'd1', config: { mode: 'progressive', callingHours } }],
      ['AttachList', { listId: 'rb' }],
      ['StartCampaign', {}],
    ] as const) {
      await handleCommand(store, campaignDecider, 'rb', { type, data, meta: meta() } as never);
    }
    dialers = new CampaignDialers({ store, media, dialString: (n) => `sofia/gateway/t/${n.slice(1)}`, tickMs: 20 });
    await dialers.start();
  });
  afterAll(async () => {
    await dialers.stop();
    await store.close();
    await db.close();
  });

  it('records a few refusals with their reason, then rests instead of refusing the whole list', async () => {
    await new Promise((r) => setTimeout(r, 2_000)); // 100 ticks of 20 ms, three agents ready
    const refused = await store.readAll({ after: 0, maxCount: 100, filter: { eventTypes: ['CallDialBlocked'] } });
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(refused.length).toBeLessThanOrEqual(4);
    expect((refused[0].data.compliance as { reasons: string[] }).reasons).toEqual(['OUTSIDE_CALLING_HOURS']);
    expect(placed).toHaveLength(0);
  });
});
