import type { DatabasePool } from 'slonik';
import type { EventStore } from '../eventstore/types.ts';
import { buildAsOf, dropAsOf } from '../projections/index.ts';
import type { CallDoc } from '../projections/readModels/floor/call.ts';
import { getCall, searchCalls } from '../projections/readModels/callDetail/queries.ts';
import { listDoNotCall } from '../projections/readModels/doNotCall/queries.ts';
import type { OrderDoc } from '../projections/readModels/orders/evolve.ts';
import { getOrder, listOrders } from '../projections/readModels/orders/queries.ts';
import { inScope, type Scope } from './auth/principal.ts';
import type { Page, ReadModels } from './readModels.ts';

type A = Record<string, any>;

const display = (e164?: string) => (e164?.startsWith('+86') && e164.length === 14 ? `${e164.slice(3, 6)} ${e164.slice(6, 10)} ${e164.slice(10)}` : (e164 ?? ''));
const seconds = (ms?: number) => (ms == null ? null : Math.round(ms / 1000));
const lower = (v?: string) => (v ? String(v).toLowerCase() : undefined);

/** The CallDoc of the floor projection in the schema's Call shape (people and campaigns resolved by loaders). */
export function callOut(c: CallDoc, recordingUrl = (id: string) => `/recordings/${encodeURIComponent(id)}`) {
  const outcome = c.blocked?.length
    ? 'REJECTED_DNC'
    : c.abandoned
      ? 'ABANDONED'
      : c.answeredBy === 'machine'
        ? 'MACHINE'
        : c.bridgedAt || c.answeredAt
          ? 'ANSWERED'
          : !c.endedAt
            ? 'IN_PROGRESS'
            : c.cause === 'USER_BUSY'
              ? 'BUSY'
              : c.cause === 'NO_ANSWER' || c.cause === 'NO_USER_RESPONSE'
                ? 'NO_ANSWER'
                : 'FAILED';
  return {
    id: c.callId,
    direction: (c.direction ?? 'outbound').toUpperCase(),
    phone: c.phone ?? '',
    phoneDisplay: display(c.phone),
    agentId: c.agentId,
    campaignId: c.campaignId,
    queueId: c.queueId,
    startedAt: c.startedAt,
    answeredAt: c.answeredAt,
    endedAt: c.endedAt,
    talkSeconds: seconds(c.talkMs),
    holdSeconds: seconds(c.holdMs),
    outcome,
    hangupCause: c.cause,
    disposition: c.disposition?.code,
    dispositionNote: c.disposition?.notes,
    recordings: c.recordings.map((r) => ({ id: r.recordingId, callId: c.callId, startedAt: r.startedAt ?? c.startedAt, durationSeconds: seconds(r.durationMs), sha256: r.sha256, url: recordingUrl(r.recordingId) })),
    position: 0,
  };
}

const ORDER_STATUS: Record<string, string> = { pending_review: 'PENDING_APPROVAL', reviewed: 'PENDING_APPROVAL', approved: 'APPROVED', rejected: 'REJECTED', shipped: 'SHIPPED', delivered: 'SHIPPED' };

export function orderOut(o: OrderDoc) {
  const paid = o.paidTotalFen ?? 0;
  const status = o.status === 'approved' && paid >= o.totalFen ? 'PAID' : o.status === 'approved' && paid > 0 ? 'PARTIALLY_PAID' : (ORDER_STATUS[o.status] ?? 'PENDING_APPROVAL');
  return {
    id: o.orderId,
    leadId: o.customerPhone,
    callId: o.callId,
    agentId: o.agentId,
    campaignId: o.campaignId,
    lines: o.lines.map((l) => ({ sku: l.productId, name: l.name, quantity: l.quantity, unitPrice: l.unitPriceFen })),
    total: o.totalFen,
    paid,
    status,
    placedAt: o.placedAt,
    approvedById: o.decision?.approved ? o.decision.by : undefined,
    approvedAt: o.decision?.approved ? o.decision.at : undefined,
    rejectionReason: o.decision && !o.decision.approved ? o.decision.reason : undefined,
    payments: o.payments.map((p) => ({ id: p.paymentId, amount: p.amountFen, method: p.method, reference: p.payer, at: p.at })),
    position: 0,
  };
}

/**
 * Scope on top of queries that filter by one agent: a single-person scope (or an agent filter inside the
 * scope) is pushed into SQL; a wider, partial scope filters the page afterwards, so a page may come back
 * shorter than asked but never shows a row outside the scope.
 */
async function scopedPage<T, O>(scope: Scope, agentFilter: string | undefined, fetch: (agentId?: string) => Promise<{ items: T[]; endCursor?: string; hasNextPage: boolean }>, agentOf: (t: T) => string | undefined, out: (t: T) => O): Promise<Page<O>> {
  if (agentFilter && !inScope(scope, agentFilter)) return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
  const single = !scope.all && scope.userIds.length === 1 ? scope.userIds[0] : undefined;
  const page = await fetch(agentFilter ?? single);
  const items = scope.all ? page.items : page.items.filter((t) => inScope(scope, agentOf(t)));
  return { nodes: items.map(out), pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor ?? null } };
}

/** The ReadModels port served from src/projections (for src/main.ts). */
export function projectionReadModels(pool: DatabasePool, store: EventStore): ReadModels {
  return {
    calls: (a, scope) => {
      const f: A = a.filter ?? {};
      return scopedPage(
        scope,
        f.agentId,
        (agentId) =>
          searchCalls(pool, { first: a.first, after: a.after ?? undefined, schema: a.schema, from: f.from, to: f.to, phone: f.phone, agentId, campaignId: f.campaignId, queueId: f.queueId, disposition: f.disposition, direction: lower(f.direction) as any, hasRecording: f.hasRecording ?? undefined }),
        (c) => c.agentId,
        (c) => callOut(c),
      );
    },
    call: async (id, scope, schema) => {
      const c = await getCall(pool, id, { schema });
      return c && (inScope(scope, c.agentId) || c.agents.some((x) => inScope(scope, x))) ? callOut(c) : null;
    },
    orders: async (a, scope) => {
      const f: A = a.filter ?? {};
      if (f.orderId) {
        const o = await getOrder(pool, f.orderId, { schema: a.schema });
        return { nodes: o && inScope(scope, o.agentId) ? [orderOut(o)] : [], pageInfo: { hasNextPage: false, endCursor: null } };
      }
      return scopedPage(scope, f.agentId, (agentId) => listOrders(pool, { first: a.first, after: a.after ?? undefined, schema: a.schema, agentId, campaignId: f.campaignId, phone: f.leadId, from: f.from, to: f.to }), (o) => o.agentId, orderOut);
    },
    dnc: async (a) => {
      const page = await listDoNotCall(pool, { first: a.first, after: a.after ?? undefined, schema: a.schema });
      return {
        nodes: page.items.map((d) => ({ phone: d.phone, scope: 'GLOBAL', reason: d.reason, source: d.source, addedById: d.by, addedAt: d.at })),
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor ?? null },
      };
    },
    asOf: async (at) => {
      const built = await buildAsOf({ pool, store, position: at.position, instant: at.instant });
      return { schema: built.schema, release: () => dropAsOf(pool, built.schema) };
    },
  };
}
