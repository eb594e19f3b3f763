import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { CampaignLeads } from '../../src/floor/campaignLeads.ts';
import { createTestDatabase } from '../support/db.ts';

const LEADS = 2500;
const MIN = 60_000;
// Most numbers are E.164 (held as numbers); every 500th is a local form, held as given.
const phone = (i: number) => (i % 500 === 7 ? `0${10_000_000 + i}` : `+86139${String(i).padStart(8, '0')}`);

// CampaignLeads keeps its leads in typed arrays that grow in blocks (the first holds 1,024 leads). A list longer
// than that must be worked exactly as a short one: list order, each lead once, and what happened to the first
// leads (do-not-call, a busy dial, a callback) still known after the arrays grew.
describe('a campaign list longer than the lead table’s first block', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  const t0 = Date.parse('2026-11-23T02:00:00.000Z');
  const iso = (ms: number) => new Date(ms).toISOString();

  beforeAll(async () => {
    db = await createTestDatabase('campaign_leads_table');
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 50 });
    await store.append('campaign-c', [
      { type: 'CampaignCreated', data: { campaignId: 'c', config: { maxAttempts: 3, retryRules: { busy: { delayMinutes: 10 } } } } },
      { type: 'CampaignListAttached', data: { campaignId: 'c', listId: 'l' } },
    ]);
    await Promise.all(Array.from({ length: LEADS }, (_, i) => store.append(`lead-${phone(i)}`, [{ type: 'LeadImported', data: { phone: phone(i), batchId: 'l', fields: {} } }])));
    await store.append(`lead-${phone(3)}`, [{ type: 'LeadDoNotCallAdded', data: { phone: phone(3) } }]);
    await store.append('call-1', [
      { type: 'CallDialAttempted', data: { callId: 'call-1', phone: phone(5), campaignId: 'c', at: iso(t0) } },
      { type: 'CallEnded', data: { callId: 'call-1', cause: 'USER_BUSY' } },
    ]);
    await store.append(`lead-${phone(2400)}`, [{ type: 'LeadCallbackScheduled', data: { phone: phone(2400), callbackId: 'cb', owner: 'a9', dueAt: iso(t0 - 60 * MIN), visibility: 'public' } }]);
  });
  afterAll(async () => {
    await store.close();
    await db.close();
  });

  it('goes out in list order, each lead once, after the public callback and the due retry; do-not-call never', async () => {
    const leads = new CampaignLeads(store, 'c');
    await leads.catchUp();
    expect(leads.size).toBe(LEADS);
    const at = iso(t0 + 11 * MIN);
    const busy = new Set<string>();
    const picked: { phone: string; reason: string }[] = [];
    for (let n = 0; ; n++) {
      const s = leads.select(at, busy);
      if (n % 250 === 0) {
        const scan = leads.scanSelect(at, busy);
        expect({ phone: s?.lead.phone, reason: s?.reason }).toEqual({ phone: scan?.lead.phone, reason: scan?.reason });
      }
      if (!s) break;
      picked.push({ phone: s.lead.phone, reason: s.reason });
      busy.add(s.lead.phone);
    }
    const fresh = Array.from({ length: LEADS }, (_, i) => i).filter((i) => ![3, 5, 2400].includes(i));
    expect(picked).toEqual([
      { phone: phone(2400), reason: 'callback_public' },
      { phone: phone(5), reason: 'retry_due' },
      ...fresh.map((i) => ({ phone: phone(i), reason: 'new' })),
    ]);
  });
});
