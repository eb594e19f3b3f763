import { sql } from 'slonik';
import { DocRow } from '../shared/rows.ts';
import { decodeCursor, QueryInputError, e164, encodeCursor, isoInstant, pageSize, tableIn, toPage, type Db, type Page, type PageArgs, type ReadOptions } from '../shared/query.ts';
import type { OrderDoc, OrderStatus } from './evolve.ts';

/**
 * What an order looks like to its readers, with money taken into account: an approved order is shown as
 * paid, partly paid or approved (nothing held) by what the customer has paid and not had back.
 */
export type OrderView = 'pending_approval' | 'approved' | 'partially_paid' | 'paid' | 'rejected' | 'cancelled' | 'shipped';

export interface OrderFilter extends PageArgs, ReadOptions {
  status?: OrderStatus[];
  /** Any of these views (in SQL, so pages stay full). */
  views?: OrderView[];
  agentId?: string;
  /** Only orders of these agents (the caller's scope), applied in the query so pages stay full. */
  agentIds?: string[];
  campaignId?: string;
  phone?: string;
  from?: string;
  to?: string;
  /** Only orders not fully paid. */
  unpaid?: boolean;
}

/** Orders, oldest first (a review queue is worked from the oldest). */
export async function listOrders(db: Db, f: OrderFilter = {}): Promise<Page<OrderDoc>> {
  const size = pageSize(f);
  const where = [sql.fragment`TRUE`];
  if (f.status?.length) where.push(sql.fragment`status = ANY(${sql.array(f.status, 'text')})`);
  if (f.views?.length) where.push(sql.fragment`(${sql.join(f.views.map(viewClause), sql.fragment` OR `)})`);
  if (f.agentId) where.push(sql.fragment`agent_id = ${f.agentId}`);
  if (f.agentIds) where.push(sql.fragment`agent_id = ANY(${sql.array(f.agentIds, 'text')})`);
  if (f.campaignId) where.push(sql.fragment`campaign_id = ${f.campaignId}`);
  if (f.phone) where.push(sql.fragment`customer_phone = ${e164(f.phone)}`);
  const from = isoInstant(f.from, 'from');
  const to = isoInstant(f.to, 'to');
  if (from) where.push(sql.fragment`placed_at >= ${from}`);
  if (to) where.push(sql.fragment`placed_at < ${to}`);
  if (f.unpaid) where.push(sql.fragment`paid_fen < total_fen`);
  const after = decodeCursor(f.after);
  if (after) where.push(sql.fragment`(placed_at, key) > (${String(after.sortValue)}, ${after.key})`);
  const rows = await db.any(sql.type(DocRow)`
    SELECT key, doc FROM ${tableIn(f, 'orders')} WHERE ${sql.join(where, sql.fragment` AND `)} ORDER BY placed_at, key LIMIT ${size + 1}`);
  return toPage(rows, size, (r) => r.doc as OrderDoc, (r) => encodeCursor(r.doc.placedAt, r.key));
}

const held = sql.fragment`(paid_fen - coalesce((doc ->> 'refundedTotalFen')::bigint, 0))`;

// The same lines as the API's order status (src/api/readModelShapes.ts orderOut), so a filter finds what a row shows.
function viewClause(v: OrderView) {
  switch (v) {
    case 'pending_approval':
      return sql.fragment`status IN ('pending_review', 'reviewed')`;
    case 'approved':
      return sql.fragment`(status = 'approved' AND ${held} <= 0 AND ${held} < total_fen)`;
    case 'partially_paid':
      return sql.fragment`(status = 'approved' AND ${held} > 0 AND ${held} < total_fen)`;
    case 'paid':
      return sql.fragment`(status = 'approved' AND ${held} >= total_fen)`;
    case 'shipped':
      return sql.fragment`status IN ('shipped', 'delivered')`;
    case 'rejected':
    case 'cancelled':
      return sql.fragment`status = ${v}`;
    default:
      throw new QueryInputError('BAD_ORDER_STATUS', `unknown order status ${String(v)}`);
  }
}

/** The review queue: placed or reviewed, not yet approved or rejected. */
export function reviewQueue(db: Db, f: Omit<OrderFilter, 'status'> = {}): Promise<Page<OrderDoc>> {
  return listOrders(db, { ...f, status: ['pending_review', 'reviewed'] });
}

export async function getOrder(db: Db, orderId: string, opts: ReadOptions = {}): Promise<OrderDoc | null> {
  const row = await db.maybeOne(sql.type(DocRow)`SELECT key, doc FROM ${tableIn(opts, 'orders')} WHERE key = ${orderId}`);
  return row ? (row.doc as OrderDoc) : null;
}
