import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import type { NewEvent } from '../../src/eventstore/types.ts';
import { CampaignLeads } from '../../src/floor/campaignLeads.ts';
import { seededRandom } from '../../src/telephony/simulator/customers.ts';
import { createTestDatabase } from '../support/db.ts';

const LEADS = 400;
const phone = (i: number) => `+86139${String(i).padStart(8, '0')}`;

// The live dialer's lead selection uses indexes (a cursor over fresh leads, heaps of due leads, a small set of
// leads with callbacks, assignees or owners) so it does not scan a million leads per dial. Whatever the log
// holds, it must pick exactly what a scan of every lead through selectLead picks.
describe('indexed lead selection agrees with the full scan', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  const rnd = seededRandom(42);
  const pick = <T,>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const dnc: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('selection_index');
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 50 });
    const config = { maxAttempts: 3, retryRules: { busy: { delayMinutes: 10 }, no_answer: { delayMinutes: 60 }, machine: { delayMinutes: 120, maxAttempts: 2 } }, recycle: { afterMinutes: 30, maxPasses: 2, dispositions: ['no_answer', 'busy'] } };
    await store.append('campaign-c', [
      { type: 'CampaignCreated', data: { campaignId: 'c', config } },
      { type: 'CampaignListAttached', data: { campaignId: 'c', listId: 'l1' } },
    ]);
    const writes: Promise<unknown>[] = [];
    const put = (stream: string, events: NewEvent[]) => writes.push(store.append(stream, events));
    let call = 0;
    let blocked = 0;
    for (let i = 0; i < LEADS; i++) {
      const p = phone(i);
      const lead: NewEvent[] = [{ type: 'LeadImported', data: { phone: p, batchId: rnd() < 0.85 ? 'l1' : 'l2' } }];
      const r = rnd();
      if (r < 0.05) {
        lead.push({ type: 'LeadDoNotCallAdded', data: { phone: p } });
        dnc.push(p);
      }
      else if (r < 0.1) lead.push({ type: 'LeadAssigned', data: { phone: p, assignee: pick([{ kind: 'agent', id: 'a1' }, { kind: 'team', id: 't2' }]) } });
      else if (r < 0.13) lead.push({ type: 'LeadClaimed', data: { phone: p, agentId: pick(['a1', 'a2']), privateUntil: iso(now + pick([-1, 1]) * 3600_000) } });
      else if (r < 0.18) lead.push({ type: 'LeadCallbackScheduled', data: { phone: p, callbackId: `cb${i}`, owner: pick(['a1', 'a2']), dueAt: iso(now + (rnd() - 0.7) * 7200_000), visibility: pick(['public', 'private']) } });
      put(`lead-${p}`, lead);
      // Dials in the last few hours, with their outcomes.
      const dials = rnd() < 0.85 && !dnc.includes(p) ? 1 + Math.floor(rnd() * 3) : 0;
      for (let k = 0; k < dials; k++) {
        const callId = `call-${++call}`;
        const at = iso(now - rnd() * 4 * 3600_000);
        const ev: NewEvent[] = [{ type: 'CallDialAttempted', data: { callId, phone: p, campaignId: 'c', at, pass: k === 3 ? 1 : undefined } }];
        const o = rnd();
        if (o < 0.3) ev.push({ type: 'CallAnswered', data: { callId, answeredBy: o < 0.1 ? 'machine' : 'human' } });
        ev.push({ type: 'CallEnded', data: { callId, cause: o > 0.8 ? 'USER_BUSY' : 'NORMAL_CLEARING' } });
        put(`call-${callId}`, ev);
      }
      if (dials > 0 && rnd() < 0.2) put(`lead-${p}`, [{ type: 'LeadDispositionRecorded', data: { phone: p, campaignId: 'c', code: pick(['SALE', 'CALLBACK', 'NOT_INTERESTED', 'INTERESTED']) } }]);
      if (blocked < 10 && rnd() < 0.03) {
        blocked++;
        put(`call-b${i}`, [{ type: 'CallDialBlocked', data: { callId: `b${i}`, phone: p, campaignId: 'c' } }]);
      }
    }
    await Promise.all(writes);
  });
  afterAll(async () => {
    await store.close();
    await db.close();
  });

  it('picks the same lead for the same reason, pick after pick as a dialer placing many dials at once', async () => {
    const leads = new CampaignLeads(store, 'c');
    await leads.catchUp();
    const agents = [undefined, { agentId: 'a1', teamId: 't1' }, { agentId: 'a2', teamId: 't2' }];
    const reasons = new Set<string>();
    const dialed: string[] = [];
    for (let k = 0; k < 9; k++) {
      // Halfway, customers come off the do-not-call list: leads the fresh-lead cursor had already passed.
      if (k === 4) {
        await Promise.all(dnc.map((p) => store.append(`lead-${p}`, [{ type: 'LeadDoNotCallRemoved', data: { phone: p } }])));
        await leads.catchUp();
      }
      const at = iso(now + (rnd() - 0.3) * 6 * 3600_000);
      const busy = new Set(Array.from({ length: Math.floor(rnd() * 30) }, () => phone(Math.floor(rnd() * LEADS))));
      const agent = agents[k % agents.length];
      for (let n = 0; n < LEADS; n++) {
        const fast = leads.select(at, busy, agent);
        const slow = leads.scanSelect(at, busy, agent);
        expect({ phone: fast?.lead.phone, reason: fast?.reason }, `at ${at}, agent ${agent?.agentId}, pick ${n}`).toEqual({ phone: slow?.lead.phone, reason: slow?.reason });
        if (!fast) break;
        reasons.add(fast.reason);
        busy.add(fast.lead.phone);
        // In the first rounds the dialer really dials the first picks: fresh leads are used up and the cursor moves on.
        if (k < 4 && n < 80) dialed.push(fast.lead.phone);
      }
      await Promise.all(
        dialed.splice(0).map((p, j) => {
          const callId = `live-${k}-${j}`;
          return store.append(`call-${callId}`, [
            { type: 'CallDialAttempted', data: { callId, phone: p, campaignId: 'c', at: iso(now) } },
            { type: 'CallEnded', data: { callId, cause: 'NORMAL_CLEARING' } },
          ]);
        }),
      );
      await leads.catchUp();
    }
    // The comparison reaches every kind of pick, not only the first fresh lead.
    expect([...reasons].sort()).toEqual(expect.arrayContaining(['new', 'retry_due', 'recycled', 'assigned_agent', 'callback_public']));
  });

  it('reading the log from two requests at once folds every event once (two agents asking together)', async () => {
    const together = new CampaignLeads(store, 'c');
    await Promise.all([together.catchUp(), together.catchUp(), together.catchUp()]);
    const alone = new CampaignLeads(store, 'c');
    await alone.catchUp();
    const busyA = new Set<string>();
    const busyB = new Set<string>();
    const at = iso(now + 3 * 3600_000);
    for (let n = 0; n < 60; n++) {
      const a = together.select(at, busyA);
      const b = alone.select(at, busyB);
      expect({ phone: a?.lead.phone, attempts: a?.lead.attempts }).toEqual({ phone: b?.lead.phone, attempts: b?.lead.attempts });
      if (!a || !b) break;
      busyA.add(a.lead.phone);
      busyB.add(b.lead.phone);
    }
  });
  it('a due public callback is found behind more closed ones than one pick looks at (do-not-call, claimed)', async () => {
    const ph = (n: number) => `+86137${String(n).padStart(8, '0')}`;
    await store.append('campaign-c2', [
      { type: 'CampaignCreated', data: { campaignId: 'c2', config: { maxAttempts: 3, retryRules: { busy: { delayMinutes: 10 } } } } },
      { type: 'CampaignListAttached', data: { campaignId: 'c2', listId: 'l-c2' } },
    ]);
    const cb = (p: string, minutesAgo: number) => ({ type: 'LeadCallbackScheduled', data: { phone: p, callbackId: `cb-${p}`, owner: 'a1', dueAt: iso(now - minutesAgo * 60_000), visibility: 'public' } });
    // 20 public callbacks due first whose customers then asked not to be called, 5 still privately claimed by an agent.
    for (let n = 0; n < 25; n++) {
      const p = ph(n);
      const closing = n < 20 ? { type: 'LeadDoNotCallAdded', data: { phone: p } } : { type: 'LeadClaimed', data: { phone: p, agentId: 'a2', privateUntil: iso(now + 3600_000) } };
      await store.append(`lead-${p}`, [{ type: 'LeadImported', data: { phone: p, batchId: 'l-c2' } }, cb(p, 200 - n), closing]);
    }
    // The one public callback the campaign may take, due after all of them; and a busy retry that is due too.
    await store.append(`lead-${ph(30)}`, [{ type: 'LeadImported', data: { phone: ph(30), batchId: 'l-c2' } }, cb(ph(30), 60)]);
    await store.append(`lead-${ph(31)}`, [{ type: 'LeadImported', data: { phone: ph(31), batchId: 'l-c2' } }]);
    await store.append('call-c2-retry', [
      { type: 'CallDialAttempted', data: { callId: 'c2-retry', phone: ph(31), campaignId: 'c2', at: iso(now - 3600_000) } },
      { type: 'CallEnded', data: { callId: 'c2-retry', cause: 'USER_BUSY' } },
    ]);
    const leads = new CampaignLeads(store, 'c2');
    await leads.catchUp();
    const picks = (at: string) => {
      const busy = new Set<string>();
      const out: string[] = [];
      for (let fast = leads.select(at, busy); fast; fast = leads.select(at, busy)) {
        const slow = leads.scanSelect(at, busy);
        expect({ phone: fast.lead.phone, reason: fast.reason }).toEqual({ phone: slow?.lead.phone, reason: slow?.reason });
        out.push(`${fast.lead.phone} ${fast.reason}`);
        busy.add(fast.lead.phone);
      }
      return out;
    };
    expect(picks(iso(now))).toEqual([`${ph(30)} callback_public`, `${ph(31)} retry_due`]);
    // Once the claims' protection ends, their public callbacks are the campaign's too.
    const later = picks(iso(now + 2 * 3600_000));
    expect(later.filter((x) => x.endsWith('callback_public'))).toHaveLength(6);
  });
});
