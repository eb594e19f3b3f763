import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import type { RecordedEvent } from '../../src/eventstore/types.ts';
import { allProjections } from '../../src/projections/readModels/index.ts';
import { ProjectionRunner } from '../../src/projections/runtime/runner.ts';
import { buildAsOf, dropAsOf } from '../../src/projections/runtime/asOf.ts';
import { floorDay } from '../../src/projections/sim/floorDay.ts';
import { appendAll } from '../../src/projections/sim/load.ts';
import { taskDetail, taskStatistics } from '../../src/projections/readModels/taskReports/queries.ts';
import { campaignProgress } from '../../src/projections/readModels/campaignProgress/queries.ts';
import { agentRanking } from '../../src/projections/readModels/agentPerformance/queries.ts';
import { searchCalls, searchRecordings } from '../../src/projections/readModels/callDetail/queries.ts';
import { screenPop } from '../../src/projections/readModels/customer360/queries.ts';
import { wallboard } from '../../src/projections/readModels/wallboard/queries.ts';
import { listDoNotCall, getDoNotCall } from '../../src/projections/readModels/doNotCall/queries.ts';
import { callbacksDue } from '../../src/projections/readModels/callbacks/queries.ts';
import { getOrder, reviewQueue } from '../../src/projections/readModels/orders/queries.ts';
import { qaByAgent, qaByCriterion } from '../../src/projections/readModels/qa/queries.ts';
import { listLeadsByOwner, getLeadOwnership } from '../../src/projections/readModels/leadOwnership/queries.ts';
import type { Page } from '../../src/projections/readModels/shared/query.ts';
import { createTestDatabase } from '../support/db.ts';

const DAY = { from: '2026-11-19T16:00:00.000Z', to: '2026-11-23T16:00:00.000Z' };

async function everything(store: PostgresEventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (;;) {
    const batch = await store.readAll({ after: all.at(-1)?.position ?? 0, maxCount: 5000 });
    if (!batch.length) return all;
    all.push(...batch);
  }
}

async function allPages<T>(fetch: (after?: string) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  do {
    const page = await fetch(after);
    out.push(...page.items);
    after = page.endCursor;
  } while (after);
  return out;
}

const inc = (m: Map<string, number>, k: string, by = 1) => m.set(k, (m.get(k) ?? 0) + by);

/** The floor's rule, straight from the log: approved and not cancelled orders count; revenue is net of refunds. */
function salesOf(log: RecordedEvent[]) {
  const orders = new Map<string, { agentId: string; campaignId?: string; totalFen: number; refundedFen: number; approved: boolean; cancelled: boolean }>();
  for (const e of log) {
    const d = e.data as any;
    if (e.type === 'OrderPlaced') orders.set(d.orderId, { agentId: d.agentId, campaignId: d.campaignId, totalFen: d.totalFen, refundedFen: 0, approved: false, cancelled: false });
    const o = orders.get(d.orderId);
    if (!o) continue;
    if (e.type === 'OrderApproved') o.approved = true;
    if (e.type === 'OrderCancelled') o.cancelled = true;
    if (e.type === 'OrderRefundRecorded') o.refundedFen = d.refundedTotalFen;
  }
  return [...orders.values()].filter((o) => o.approved && !o.cancelled).map((o) => ({ ...o, netFen: Math.max(0, o.totalFen - o.refundedFen) }));
}

describe('read models over a simulated floor day', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;
  let log: RecordedEvent[];
  beforeAll(async () => {
    db = await createTestDatabase('proj_read_models');
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 100 });
    await appendAll(store, floorDay({ events: 6000, agents: 12, seed: 7 }));
    runner = new ProjectionRunner({ pool: db.pool, store, projections: allProjections, batchSize: 333 });
    await runner.start();
    await runner.waitFor(await store.headPosition());
    log = await everything(store);
  }, 60_000);
  afterAll(async () => {
    await runner.stop();
    await store.close();
    await db.close();
  });

  it('task statistics reconcile with sums over the event log', async () => {
    const campaignOfCall = new Map<string, string>();
    const bridged = new Set<string>();
    const want = new Map<string, Map<string, number>>();
    const count = (campaign: string | undefined, k: string, by = 1) => campaign && inc(want.get(campaign) ?? want.set(campaign, new Map()).get(campaign)!, k, by);
    const answeredBy = new Map<string, string>();
    for (const e of log) {
      const d = e.data as any;
      if (e.type === 'CallDialAttempted') {
        campaignOfCall.set(d.callId, d.campaignId);
        count(d.campaignId, 'dials');
      }
      if (e.type === 'CallAnswered') {
        answeredBy.set(d.callId, d.answeredBy);
        if (d.answeredBy === 'human') count(campaignOfCall.get(d.callId), 'answered');
      }
      if (e.type === 'CallBridged' && !bridged.has(d.callId)) {
        bridged.add(d.callId);
        if (answeredBy.get(d.callId) !== 'machine') count(campaignOfCall.get(d.callId), 'contacts');
      }
      if (e.type === 'CallAbandoned') count(campaignOfCall.get(d.callId), 'abandoned');
      if (e.type === 'LeadDispositionRecorded') count(d.campaignId, `disp:${d.code}`);
    }
    for (const o of salesOf(log)) {
      count(o.campaignId, 'orders');
      count(o.campaignId, 'revenueFen', o.netFen);
    }
    expect(want.size).toBe(3);
    for (const [campaignId, w] of want) {
      const stats = await taskStatistics(db.pool, campaignId, DAY);
      const got = stats.total;
      const n = (k: string) => w.get(k) ?? 0;
      expect({ dials: got.dials, answered: got.answered, contacts: got.contacts, abandoned: got.abandoned, orders: got.orders, revenueFen: got.revenueFen }).toEqual({
        dials: n('dials'), answered: n('answered'), contacts: n('contacts'), abandoned: n('abandoned'), orders: n('orders'), revenueFen: n('revenueFen'),
      });
      expect(got.dispositions).toEqual(Object.fromEntries([...w].filter(([k]) => k.startsWith('disp:')).map(([k, v]) => [k.slice(5), v])));
      expect(stats.rows.reduce((a, r) => a + r.dials, 0)).toBe(n('dials'));
      expect(stats.rows.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.period))).toBe(true);
      const progress = await campaignProgress(db.pool, campaignId, { now: '2026-11-21T00:00:00.000Z' });
      expect(progress.total.dials).toBe(n('dials'));
      expect(progress.last30d.abandonRate).toBeCloseTo(n('abandoned') / n('answered'), 10);
      expect(progress.campaign?.status).toBe('running');
      const leadsOfCampaign = new Set(log.filter((e) => e.type === 'LeadImported' && (e.data as any).batchId === `list-${campaignId}`).map((e) => (e.data as any).phone));
      // a campaign's leads: those on its lists, and those it dialed last
      const lastCampaign = new Map<string, string>();
      for (const e of log) if (e.type === 'CallDialAttempted') lastCampaign.set((e.data as any).phone, (e.data as any).campaignId);
      for (const [phone, c] of lastCampaign) if (c === campaignId) leadsOfCampaign.add(phone);
      expect(progress.leadsTotal).toBe(leadsOfCampaign.size);
      const detail = await allPages((after) => taskDetail(db.pool, campaignId, { first: 100, after }));
      expect(detail.length).toBe(progress.leadsTotal);
      expect(new Set(detail.map((r) => r.phone)).size).toBe(detail.length);
    }
  });

  it('agent ranking reconciles calls, orders and QA with the log, and ranks by orders', async () => {
    const calls = new Map<string, number>();
    const orders = new Map<string, number>();
    const qa = new Map<string, number>();
    const seen = new Set<string>();
    for (const e of log) {
      const d = e.data as any;
      if (e.type === 'CallBridged' && !seen.has(d.callId)) {
        seen.add(d.callId);
        inc(calls, d.agentId);
      }
      if (e.type === 'CallScored') inc(qa, d.agentId);
    }
    for (const o of salesOf(log)) inc(orders, o.agentId);
    const ranking = await agentRanking(db.pool, DAY);
    for (const r of ranking) {
      expect(r.calls).toBe(calls.get(r.agentId) ?? 0);
      expect(r.orders).toBe(orders.get(r.agentId) ?? 0);
      expect(r.qaCount).toBe(qa.get(r.agentId) ?? 0);
      expect(r.talkMs).toBeGreaterThan(0);
      expect(r.name).toMatch(/^坐席/);
    }
    expect(ranking.map((r) => r.orders)).toEqual([...ranking.map((r) => r.orders)].sort((a, b) => b - a));
    expect(ranking[0].rank).toBe(1);
    const byQa = await qaByAgent(db.pool);
    expect(byQa.reduce((a, r) => a + r.evaluations, 0)).toBe([...qa.values()].reduce((a, b) => a + b, 0));
    const criteria = await qaByCriterion(db.pool, { agentId: ranking[0].agentId });
    expect(new Set(criteria.map((c) => c.criterionId))).toEqual(new Set(['greeting', 'pitch', 'closing']));
  });

  it('call detail records: every call once across pages, searchable by agent, phone and disposition', async () => {
    const callIds = new Set(log.filter((e) => e.streamId.startsWith('call-')).map((e) => (e.data as any).callId));
    const all = await allPages((after) => searchCalls(db.pool, { first: 97, after }));
    expect(all.length).toBe(callIds.size);
    expect(new Set(all.map((c) => c.callId))).toEqual(callIds);
    const sample = all.find((c) => c.disposition?.code === 'sale')!;
    const byAgent = await allPages((after) => searchCalls(db.pool, { agentId: sample.agentId, disposition: 'sale', first: 50, after }));
    expect(byAgent.length).toBe(all.filter((c) => c.agentId === sample.agentId && c.disposition?.code === 'sale').length);
    // an agent types the number the Chinese way
    const local = sample.phone!.slice(3);
    const byPhone = await searchCalls(db.pool, { phone: `${local.slice(0, 3)} ${local.slice(3, 7)} ${local.slice(7)}` });
    expect(byPhone.items.map((c) => c.callId)).toContain(sample.callId);
    const recordings = await allPages((after) => searchRecordings(db.pool, { campaignId: sample.campaignId, first: 200, after }));
    expect(recordings.length).toBe(all.filter((c) => c.campaignId === sample.campaignId && c.recordings.length).length);
    await expect(searchCalls(db.pool, { after: 'garbage' })).rejects.toThrow(/cursor/);
    await expect(searchCalls(db.pool, { phone: '12' })).rejects.toThrow();
  });

  it('screen pop shows the customer, fields, last agent, calls with dispositions, orders, callbacks and answers', async () => {
    const order = log.find((e) => e.type === 'OrderPlaced')!.data as any;
    const pop = await screenPop(db.pool, order.customerPhone);
    expect(pop.known).toBe(true);
    expect(pop.customer?.name).toMatch(/^客户/);
    expect(pop.fields.city).toBeDefined();
    expect(pop.orders.map((o) => o.orderId)).toContain(order.orderId);
    expect(pop.calls.map((c) => c.callId)).toContain(order.callId);
    expect(pop.calls.find((c) => c.callId === order.callId)?.disposition?.code).toBe('sale');
    expect(pop.lastAgentId).toBeDefined();
    const answered = log.find((e) => e.type === 'AnswersRecorded')!.data as any;
    const pop2 = await screenPop(db.pool, answered.leadPhone);
    expect(pop2.answers.map((a) => a.callId)).toContain(answered.callId);
    const cb = log.find((e) => e.type === 'LeadCallbackScheduled')!.data as any;
    expect((await screenPop(db.pool, cb.phone)).callbacks.map((c) => c.callbackId)).toContain(cb.callbackId);
    expect((await screenPop(db.pool, '+8613999999999')).known).toBe(false);
  });

  it('do-not-call list, callbacks due (private ones only for their owner), ownership, review queue', async () => {
    const dnc = new Set(log.filter((e) => e.type === 'LeadDoNotCallAdded').map((e) => (e.data as any).phone));
    const list = await allPages((after) => listDoNotCall(db.pool, { first: 10, after }));
    expect(new Set(list.map((x) => x.phone))).toEqual(dnc);
    expect(await getDoNotCall(db.pool, [...dnc][0])).toMatchObject({ reason: '客户要求' });

    const scheduled = log.filter((e) => e.type === 'LeadCallbackScheduled').map((e) => e.data as any);
    const owner = scheduled[0].owner;
    const dueBefore = '2026-11-25T00:00:00.000Z';
    const mine = await allPages((after) => callbacksDue(db.pool, { viewer: owner, owner, dueBefore, after }));
    expect(mine.length).toBe(scheduled.filter((c) => c.owner === owner).length);
    const others = await callbacksDue(db.pool, { viewer: 'someone-else', owner, dueBefore });
    expect(others.items).toEqual([]);

    const claim = log.find((e) => e.type === 'LeadClaimed')!.data as any;
    const own = await getLeadOwnership(db.pool, claim.phone, { now: claim.at });
    expect(own?.owner).toEqual({ kind: 'agent', id: claim.agentId });
    const held = await allPages((after) => listLeadsByOwner(db.pool, { agentId: claim.agentId, now: claim.at, after }));
    expect(held.map((l) => l.phone)).toContain(claim.phone);

    expect((await reviewQueue(db.pool)).items).toEqual([]);
    await store.append('order-o-new', [{ type: 'OrderPlaced', data: { orderId: 'o-new', customerPhone: claim.phone, agentId: 'a001', lines: [], gifts: [], subtotalFen: 100, discountFen: 0, shippingFen: 0, totalFen: 100, at: '2026-11-21T01:00:00.000Z' } }]);
    await runner.waitFor(await store.headPosition());
    expect((await reviewQueue(db.pool)).items.map((o) => o.orderId)).toEqual(['o-new']);
    expect(await getOrder(db.pool, 'o-new')).toMatchObject({ status: 'pending_review', paidTotalFen: 0 });
  });

  it('the wallboard as of a past moment shows who was talking then, from an as-of schema', async () => {
    const bridge = log.filter((e) => e.type === 'CallBridged')[20];
    const d = bridge.data as any;
    const asOf = await buildAsOf(db.pool, store, { projections: allProjections, position: bridge.position });
    try {
      const board = await wallboard(db.pool, { schema: asOf.schema, now: d.at });
      expect(board.agents.find((a) => a.agentId === d.agentId)).toMatchObject({ state: 'talking', callId: d.callId, secondsInState: 0 });
      const live = await wallboard(db.pool, { now: '2026-11-23T00:00:00.000Z' });
      expect(live.agents.find((a) => a.agentId === d.agentId)?.callId).not.toBe(d.callId);
      const abandoned = log.filter((e) => e.type === 'CallAbandoned');
      const all = await wallboard(db.pool, { now: '2026-11-23T00:00:00.000Z', windowStart: DAY.from });
      expect(all.abandonedCalls.length).toBe(abandoned.length);
      expect(all.queues.reduce((a, q) => a + q.abandoned, 0)).toBe(abandoned.length);
      expect(all.queues.every((q) => q.serviceLevel === null || (q.serviceLevel >= 0 && q.serviceLevel <= 1))).toBe(true);
    } finally {
      await dropAsOf(db.pool, asOf.schema);
    }
  });
  it('rejected and cancelled orders leave the ranking and campaign figures, refunds come off revenue; a rebuild agrees', async () => {
    const at = (m: number) => new Date(Date.parse('2026-11-21T03:00:00.000Z') + m * 60_000).toISOString();
    const placed = (orderId: string, agentId: string, totalFen: number) => ({
      type: 'OrderPlaced',
      data: { orderId, customerPhone: '+8613900000001', agentId, campaignId: 'c-solo', lines: [], gifts: [], subtotalFen: totalFen, discountFen: 0, shippingFen: 0, totalFen, at: at(0) },
    });
    const approved = (orderId: string) => [
      { type: 'OrderReviewed', data: { orderId, reviewerId: 'sup1', notes: '', at: at(1) } },
      { type: 'OrderApproved', data: { orderId, approverId: 'sup1', at: at(2) } },
    ];
    const figures = async (schema?: string) => {
      const row = (await agentRanking(db.pool, { ...DAY, schema })).find((r) => r.agentId === 'a-solo');
      const campaign = (await campaignProgress(db.pool, 'c-solo', { schema, now: '2026-11-22T00:00:00.000Z' })).total;
      return { agent: { orders: row?.orders ?? 0, revenueFen: row?.revenueFen ?? 0 }, campaign: { orders: campaign.orders, revenueFen: campaign.revenueFen } };
    };
    // placed and waiting for review: not a sale yet; rejected: never one
    await store.append('order-solo-1', [placed('solo-1', 'a-solo', 30_000)]);
    await store.append('order-solo-2', [placed('solo-2', 'a-solo', 50_000), { type: 'OrderRejected', data: { orderId: 'solo-2', rejectedBy: 'sup1', reason: '地址不全', at: at(1) } }]);
    await runner.waitFor(await store.headPosition());
    expect(await figures()).toEqual({ agent: { orders: 0, revenueFen: 0 }, campaign: { orders: 0, revenueFen: 0 } });

    await store.append('order-solo-1', approved('solo-1'));
    await store.append('order-solo-3', [placed('solo-3', 'a-solo', 20_000), ...approved('solo-3')]);
    await runner.waitFor(await store.headPosition());
    expect(await figures()).toEqual({ agent: { orders: 2, revenueFen: 50_000 }, campaign: { orders: 2, revenueFen: 50_000 } });

    // a partial refund comes off the revenue; the cancelled order leaves entirely, its refund with it
    await store.append('order-solo-1', [
      { type: 'OrderPaymentRecorded', data: { orderId: 'solo-1', paymentId: 'p1', payer: 'x', method: 'wechat', amountFen: 30_000, paidTotalFen: 30_000, at: at(3) } },
      { type: 'OrderRefundRecorded', data: { orderId: 'solo-1', refundId: 'r1', method: 'wechat', amountFen: 5_000, reason: '少发一件', refundedBy: 'sup1', refundedTotalFen: 5_000, at: at(4) } },
    ]);
    await store.append('order-solo-3', [
      { type: 'OrderRefundRecorded', data: { orderId: 'solo-3', refundId: 'r3', method: 'wechat', amountFen: 1_000, reason: '运费', refundedBy: 'sup1', refundedTotalFen: 1_000, at: at(4) } },
      { type: 'OrderCancelled', data: { orderId: 'solo-3', reason: '客户取消', cancelledBy: 'sup1', stage: 'approved', at: at(5) } },
    ]);
    await runner.waitFor(await store.headPosition());
    const live = await figures();
    expect(live).toEqual({ agent: { orders: 1, revenueFen: 25_000 }, campaign: { orders: 1, revenueFen: 25_000 } });

    // the rebuild path (an as-of build from position 0) folds the same rule and gets the same figures
    const asOf = await buildAsOf(db.pool, store, { projections: allProjections, position: await store.headPosition() });
    try {
      expect(await figures(asOf.schema)).toEqual(live);
      const all = await agentRanking(db.pool, { ...DAY, schema: asOf.schema });
      const want = new Map<string, number>();
      for (const o of salesOf(await everything(store))) inc(want, o.agentId);
      for (const r of all) expect(r.orders).toBe(want.get(r.agentId) ?? 0);
    } finally {
      await dropAsOf(db.pool, asOf.schema);
    }
  });
});
