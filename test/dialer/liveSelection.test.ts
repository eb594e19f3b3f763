import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../src/eventstore/types.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { CampaignLeads } from '../../src/floor/campaignLeads.ts';
import { createTestDatabase } from '../support/db.ts';

// The live floor picks leads with selectLead under the campaign's policy as the log tells it: attached
// lists, attempts and last outcome per lead, callbacks, do-not-call, final dispositions.
describe('campaign leads for the live dialer', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  const MIN = 60_000;
  const t0 = Date.parse('2026-11-23T02:00:00.000Z');
  const iso = (ms: number) => new Date(ms).toISOString();
  const phones = ['+8613800000001', '+8613800000002', '+8613800000003', '+8613800000004'];
  const put = (stream: string, events: NewEvent[]) => store.append(stream, events);
  const lead = (phone: string, type: string, data: Record<string, unknown> = {}) => put(`lead-${phone}`, [{ type, data: { phone, at: iso(t0), ...data } }]);
  let n = 0;
  const dial = async (phone: string, at: number, end: { cause: string; answeredBy?: string }) => {
    const callId = `call${++n}`;
    const events: NewEvent[] = [{ type: 'CallDialAttempted', data: { callId, phone, campaignId: 'c1', at: iso(at) } }];
    if (end.answeredBy) events.push({ type: 'CallAnswered', data: { callId, answeredBy: end.answeredBy, at: iso(at + 5000) } });
    events.push({ type: 'CallEnded', data: { callId, cause: end.cause, at: iso(at + 20_000) } });
    await put(`call-${callId}`, events);
  };

  beforeAll(async () => {
    db = await createTestDatabase('live_selection');
    store = await PostgresEventStore.connect(db.url);
    const config = { maxAttempts: 3, retryRules: { busy: { delayMinutes: 30 }, no_answer: { delayMinutes: 120 }, machine: { delayMinutes: 240 } } };
    await put('campaign-c1', [
      { type: 'CampaignCreated', data: { campaignId: 'c1', at: iso(t0), name: 'c1', departmentId: 'd1', config } },
      { type: 'CampaignListAttached', data: { campaignId: 'c1', at: iso(t0), listId: 'list-1' } },
    ]);
    for (const p of phones) await lead(p, 'LeadImported', { rawPhone: p, source: 'file', batchId: 'list-1', fields: {} });
    await lead('+8613900000009', 'LeadImported', { rawPhone: '+8613900000009', source: 'file', batchId: 'other-list', fields: {} });
  });
  afterAll(async () => {
    await store.close();
    await db.close();
  });

  it('works the list in order, waits out retry delays per outcome, then takes due callbacks first', async () => {
    const leads = new CampaignLeads(store, 'c1');
    await leads.catchUp();
    expect(leads.next(iso(t0), new Set())).toBe(phones[0]);
    expect(leads.next(iso(t0), new Set([phones[0]]))).toBe(phones[1]); // never two dials to one number

    await dial(phones[0], t0, { cause: 'USER_BUSY' }); // busy: again after 30 min
    await dial(phones[1], t0, { cause: 'NO_ANSWER' }); // no answer: after 120 min
    await dial(phones[2], t0, { cause: 'NORMAL_CLEARING', answeredBy: 'human' });
    // The campaign's default (Chinese) list: 成交 is a sale and closes the lead.
    await lead(phones[2], 'LeadDispositionRecorded', { dispositionId: 'd1', code: '成交', notes: '', agentId: 'a1', campaignId: 'c1' });
    await lead(phones[3], 'LeadDoNotCallAdded', { reason: 'asked', source: 'agent' });
    await leads.catchUp();
    expect(leads.next(iso(t0 + 10 * MIN), new Set())).toBeUndefined(); // sold, do-not-call, two retries not due
    expect(leads.next(iso(t0 + 31 * MIN), new Set())).toBe(phones[0]);
    expect(leads.next(iso(t0 + 121 * MIN), new Set([phones[0]]))).toBe(phones[1]);

    // A public callback past its owner's grace comes before a due retry.
    await lead(phones[1], 'LeadCallbackScheduled', { callbackId: 'cb1', owner: 'a2', dueAt: iso(t0 + 60 * MIN), visibility: 'public' });
    await leads.catchUp();
    expect(leads.next(iso(t0 + 121 * MIN), new Set())).toBe(phones[1]);
  });

  it('stops at the campaign maximum of attempts', async () => {
    const leads = new CampaignLeads(store, 'c1');
    await dial(phones[0], t0 + 40 * MIN, { cause: 'USER_BUSY' });
    await dial(phones[0], t0 + 80 * MIN, { cause: 'USER_BUSY' });
    await leads.catchUp();
    expect(leads.next(iso(t0 + 200 * MIN), new Set([phones[1]]))).toBeUndefined();
  });

  it('lets a lead whose dial was refused rest before trying it again, instead of refusing it on every tick', async () => {
    const fresh = '+8613800000005';
    await lead(fresh, 'LeadImported', { rawPhone: fresh, source: 'file', batchId: 'list-1', fields: {} });
    const leads = new CampaignLeads(store, 'c1');
    await leads.catchUp();
    const busy = new Set([phones[0], phones[1]]);
    expect(leads.next(new Date().toISOString(), busy)).toBe(fresh);
    await put('call-blocked-1', [{ type: 'CallDialBlocked', data: { callId: 'blocked-1', phone: fresh, campaignId: 'c1', at: new Date().toISOString() } }]);
    await leads.catchUp();
    expect(leads.next(new Date().toISOString(), busy)).toBeUndefined();
    expect(leads.next(new Date(Date.now() + 16 * MIN).toISOString(), busy)).toBe(fresh);
  });

  it('holds only the leads of its own lists, also when a list is attached after its leads were imported', async () => {
    // c2 is created now, long after list-1 and other-list were imported, and takes list-1.
    await put('campaign-c2', [
      { type: 'CampaignCreated', data: { campaignId: 'c2', at: iso(t0), name: 'c2', departmentId: 'd1', config: { maxAttempts: 3, retryRules: {} } } },
      { type: 'CampaignListAttached', data: { campaignId: 'c2', at: iso(t0), listId: 'list-1' } },
    ]);
    const leads = new CampaignLeads(store, 'c2');
    await leads.catchUp();
    expect(leads.size).toBe(phones.length + 1); // list-1's five leads (one imported by the test above); other-list's is not kept
    expect(leads.next(iso(t0), new Set())).toBe(phones[0]);
  });
});
