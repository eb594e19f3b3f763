import { sql } from 'slonik';
import type { OrderEvent } from '../../../domain/order/events.ts';
import { loadDocs, saveDocs } from '../../runtime/docs.ts';
import type { Projection } from '../../runtime/types.ts';
import { evolveOrder, type OrderDoc } from './evolve.ts';

/** Orders: the review queue, payments and delivery. */
export const ordersProjection: Projection = {
  name: 'orders',
  version: 1,
  eventTypes: ['OrderPlaced', 'OrderReviewed', 'OrderApproved', 'OrderRejected', 'OrderPaymentRecorded', 'OrderRefundRecorded', 'OrderCancelled', 'OrderShipped', 'OrderDelivered'],
  tables: ['orders'],
  createTables: (schema) => {
    const t = sql.identifier([schema, 'orders']);
    return [
      sql.unsafe`CREATE TABLE IF NOT EXISTS ${t} (
        key text PRIMARY KEY,
        doc jsonb NOT NULL,
        status text GENERATED ALWAYS AS (doc ->> 'status') STORED,
        customer_phone text GENERATED ALWAYS AS (doc ->> 'customerPhone') STORED,
        agent_id text GENERATED ALWAYS AS (doc ->> 'agentId') STORED,
        campaign_id text GENERATED ALWAYS AS (doc ->> 'campaignId') STORED,
        placed_at text GENERATED ALWAYS AS (doc ->> 'placedAt') STORED,
        total_fen bigint GENERATED ALWAYS AS ((doc ->> 'totalFen')::bigint) STORED,
        paid_fen bigint GENERATED ALWAYS AS ((doc ->> 'paidTotalFen')::bigint) STORED
      )`,
      sql.unsafe`CREATE INDEX IF NOT EXISTS ${sql.identifier(['orders_by_status'])} ON ${t} (status, placed_at, key)`,
      sql.unsafe`CREATE INDEX IF NOT EXISTS ${sql.identifier(['orders_by_phone'])} ON ${t} (customer_phone, placed_at)`,
      sql.unsafe`CREATE INDEX IF NOT EXISTS ${sql.identifier(['orders_by_agent'])} ON ${t} (agent_id, placed_at)`,
    ];
  },
  async handle(tx, events, ctx) {
    const table = ctx.table('orders');
    const ids = events.map((e) => (e.data as any).orderId as string);
    const docs = await loadDocs<OrderDoc>(tx, table, ids);
    for (const e of events) {
      const id = (e.data as any).orderId as string;
      const doc = evolveOrder(docs.get(id), e as unknown as OrderEvent);
      if (doc) docs.set(id, doc);
      ctx.changed('orders', id);
    }
    await saveDocs(tx, table, docs, docs.keys());
  },
};
