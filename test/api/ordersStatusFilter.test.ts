import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionReadModels } from '../../src/api/projectionReadModels.ts';
import { rebuild } from '../../src/projections/index.ts';
import { startServer, type Harness } from './harness.ts';

let h: Harness;

/** Appends an order's story: placed at minute `m`, then taken to `to`. */
async function order(id: string, agentId: string, m: number, to: 'pending' | 'approved' | 'partly' | 'paid' | 'rejected' | 'cancelled' | 'shipped') {
  const at = (k: number) => new Date(Date.parse('2026-11-20T02:00:00.000Z') + (m * 10 + k) * 60_000).toISOString();
  const events: { type: string; data: Record<string, unknown> }[] = [
    { type: 'OrderPlaced', data: { orderId: id, customerPhone: '+8613800138101', agentId, lines: [], gifts: [], subtotalFen: 1000, discountFen: 0, shippingFen: 0, totalFen: 1000, at: at(0) } },
  ];
  const push = (type: string, data: Record<string, unknown>, k: number) => events.push({ type, data: { orderId: id, ...data, at: at(k) } });
  if (to === 'rejected') push('OrderRejected', { rejectedBy: 'sup-east', reason: '重复下单' }, 1);
  if (to !== 'pending' && to !== 'rejected') {
    push('OrderReviewed', { reviewerId: 'sup-east', notes: '' }, 1);
    push('OrderApproved', { approverId: 'sup-east' }, 2);
  }
  if (to === 'partly' || to === 'paid' || to === 'shipped') push('OrderPaymentRecorded', { paymentId: `p-${id}`, payer: 'c', method: 'wechat', amountFen: to === 'partly' ? 400 : 1000, paidTotalFen: to === 'partly' ? 400 : 1000 }, 3);
  if (to === 'cancelled') push('OrderCancelled', { reason: '客户取消', cancelledBy: 'sup-east', stage: 'approved' }, 3);
  if (to === 'shipped') push('OrderShipped', { carrier: 'SF', trackingNo: `SF-${id}` }, 4);
  await h.store.append(`order-${id}`, events);
}

const Q = 'query($s: [OrderStatus!], $after: String) { orders(filter: { status: $s }, first: 2, after: $after) { nodes { id status agent { id } } pageInfo { hasNextPage endCursor } } }';

async function pages(user: string, status: string[]) {
  const token = await h.token(user);
  const out: { ids: string[]; statuses: string[]; agents: string[] }[] = [];
  let after: string | undefined;
  for (;;) {
    const r = await h.gql(Q, { s: status, after }, token);
    expect(r.errors).toBeUndefined();
    const c = r.data.orders;
    out.push({ ids: c.nodes.map((n: any) => n.id), statuses: c.nodes.map((n: any) => n.status), agents: c.nodes.map((n: any) => n.agent.id) });
    if (!c.pageInfo.hasNextPage) return out;
    after = c.pageInfo.endCursor;
  }
}

beforeAll(async () => {
  h = await startServer(({ pool, store }) => ({ readModels: projectionReadModels(pool, store) }), 'api_orders_status');
  // West's orders come first in time, so a filter applied after the page would leave east's pages short.
  for (let i = 0; i < 5; i++) await order(`w${i}`, 'agent-west', i, 'pending');
  await order('e-pend-1', 'agent-east', 10, 'pending');
  await order('e-appr', 'agent-east', 11, 'approved');
  await order('e-pend-2', 'agent-east', 12, 'pending');
  await order('e-partly', 'agent-east', 13, 'partly');
  await order('e-paid', 'agent-east', 14, 'paid');
  await order('e-rej', 'agent-east', 15, 'rejected');
  await order('e-canc', 'agent-east', 16, 'cancelled');
  await order('e-ship', 'agent-east', 17, 'shipped');
  await order('sh-pend', 'agent-sh', 18, 'pending');
  await rebuild('all', { pool: h.pool, store: h.store });
});
afterAll(() => h?.close());

describe('orders(filter: {status})', () => {
  it('filters by the status each order shows, in the query: a supervisor pages through full pages of their people', async () => {
    const pending = await pages('sup-east', ['PENDING_APPROVAL']);
    expect(pending.map((p) => p.ids)).toEqual([['e-pend-1', 'e-pend-2'], ['sh-pend']]);
    expect(pending.flatMap((p) => p.statuses)).toEqual(['PENDING_APPROVAL', 'PENDING_APPROVAL', 'PENDING_APPROVAL']);
    const west = await pages('sup-west', ['PENDING_APPROVAL']);
    expect(west.map((p) => p.ids)).toEqual([['w0', 'w1'], ['w2', 'w3'], ['w4']]);
  });

  it('tells approved, partly paid and paid orders apart by the money held, and finds rejected, cancelled and shipped ones', async () => {
    const one = async (s: string) => (await pages('sup-east', [s])).flatMap((p) => p.ids);
    expect(await one('APPROVED')).toEqual(['e-appr']);
    expect(await one('PARTIALLY_PAID')).toEqual(['e-partly']);
    expect(await one('PAID')).toEqual(['e-paid']);
    expect(await one('REJECTED')).toEqual(['e-rej']);
    expect(await one('CANCELLED')).toEqual(['e-canc']);
    expect(await one('SHIPPED')).toEqual(['e-ship']);
    const several = await pages('sup-east', ['APPROVED', 'PAID', 'CANCELLED']);
    expect(several.flatMap((p) => p.ids)).toEqual(['e-appr', 'e-paid', 'e-canc']);
    expect(several.flatMap((p) => p.statuses)).toEqual(['APPROVED', 'PAID', 'CANCELLED']);
    // an agent's filter stays within their own orders
    expect((await pages('agent-east', ['PENDING_APPROVAL'])).flatMap((p) => p.ids)).toEqual(['e-pend-1', 'e-pend-2']);
    expect((await pages('agent-west', ['PAID'])).flatMap((p) => p.ids)).toEqual([]);
  });

  it('narrows to a department (with its sub-departments) inside the caller\'s scope', async () => {
    const Qd = 'query($d: ID!, $s: [OrderStatus!]) { orders(filter: { departmentId: $d, status: $s }, first: 50) { nodes { id } } }';
    const ids = async (user: string, d: string, s?: string[]) => {
      const r = await h.gql(Qd, { d, s }, await h.token(user));
      expect(r.errors).toBeUndefined();
      return r.data.orders.nodes.map((n: any) => n.id);
    };
    expect(await ids('admin', 'east-sh')).toEqual(['sh-pend']);
    expect(await ids('admin', 'east', ['PENDING_APPROVAL'])).toEqual(['e-pend-1', 'e-pend-2', 'sh-pend']);
    expect(await ids('admin', 'west')).toEqual(['w0', 'w1', 'w2', 'w3', 'w4']);
    // another department named: still only what the caller may see
    expect(await ids('sup-east', 'west')).toEqual([]);
    expect(await ids('agent-east', 'east', ['PENDING_APPROVAL'])).toEqual(['e-pend-1', 'e-pend-2']);
  });
});
