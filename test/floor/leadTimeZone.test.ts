import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { campaignDecider } from '../../src/domain/campaign/decider.ts';
import { leadDecider } from '../../src/domain/lead/decider.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { CampaignDialers } from '../../src/floor/campaignDialers.ts';
import type { MediaServer } from '../../src/telephony/session/mediaServer.ts';
import { createTestDatabase } from '../support/db.ts';

const HOME = '+8613800138501'; // a Chinese mobile: Asia/Shanghai by its number
const ABROAD = '+8613800138502'; // the same kind of number, but the customer lives in New York (lead field 时区)

// Calling hours are judged in the callee's local time: from the number, unless the lead names its own zone.
describe("a lead's own time zone overrides its number's", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let dialers: CampaignDialers;
  const media = { dial: async () => {}, agents: { readyAgents: () => [{ agentId: 'u1' }] } } as unknown as MediaServer;
  let seq = 0;
  const meta = () => ({ now: new Date().toISOString(), commandId: `tz-${++seq}`, actorId: 'admin-1', actorRole: 'admin' });

  beforeAll(async () => {
    db = await createTestDatabase('lead_time_zone');
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 20 });
    await store.append('user-u1', [{ type: 'UserCreated', data: { userId: 'u1', username: 'u1', role: 'agent', departmentId: 'd1' } }]);
    await handleCommand(store, leadDecider, HOME, { type: 'ImportLead', data: { phone: HOME, source: 'file', batchId: 'tz', row: 1, departmentId: 'd1' }, meta: meta() });
    await handleCommand(store, leadDecider, ABROAD, { type: 'ImportLead', data: { phone: ABROAD, source: 'file', batchId: 'tz', row: 2, departmentId: 'd1', fields: { 时区: 'America/New_York' } }, meta: meta() });
    // The calling window is this hour and the next in Shanghai, never these hours in New York (12 or 13 hours apart).
    const h = new Date(Date.now() + 8 * 3600_000).getUTCHours();
    const pad = (n: number) => String(n).padStart(2, '0');
    const callingHours = { windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: `${pad(h)}:00`, end: h === 23 ? '23:59' : `${pad(h + 1)}:59` }], timeZonePolicy: 'lead', timeZone: 'Asia/Shanghai' };
    for (const [type, data] of [
      ['CreateCampaign', { campaignId: 'tz', name: 'Time zones', departmentId: 'd1', config: { mode: 'progressive', callingHours } }],
      ['AttachList', { listId: 'tz' }],
      ['StartCampaign', {}],
    ] as const) {
      await handleCommand(store, campaignDecider, 'tz', { type, data, meta: meta() } as never);
    }
    dialers = new CampaignDialers({ store, media, dialString: (n) => `sofia/gateway/t/${n.slice(1)}`, tickMs: 20 });
    await dialers.start();
  });
  afterAll(async () => {
    await dialers.stop();
    await store.close();
    await db.close();
  });

  it('dials the customer at home and refuses the one abroad, naming the lead as the zone source', async () => {
    const receipts = async () => store.readAll({ after: 0, maxCount: 100, filter: { eventTypes: ['CallDialAttempted', 'CallDialBlocked'] } });
    const ended = new Set<string>();
    for (let i = 0; i < 100 && (await receipts()).length < 2; i++) {
      // Each dial goes unanswered, so the agent is free for the next one.
      for (const e of await receipts()) {
        const callId = e.data.callId as string;
        if (e.type === 'CallDialAttempted' && !ended.has(callId)) {
          ended.add(callId);
          await store.append(`call-${callId}`, [{ type: 'CallEnded', data: { callId, cause: 'NO_ANSWER' } }]);
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const byPhone = new Map((await receipts()).map((e) => [e.data.phone as string, e]));
    expect(byPhone.get(HOME)?.type).toBe('CallDialAttempted');
    const abroad = byPhone.get(ABROAD)!;
    expect(abroad.type).toBe('CallDialBlocked');
    expect(abroad.data.compliance).toMatchObject({ reasons: ['OUTSIDE_CALLING_HOURS'], inputs: { timeZone: 'America/New_York', timeZoneSource: 'lead' } });
  });
});
