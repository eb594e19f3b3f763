import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionReadModels } from '../../src/api/projectionReadModels.ts';
import { rebuild } from '../../src/projections/index.ts';
import { startServer, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startServer(({ pool, store }) => ({ readModels: projectionReadModels(pool, store) }), 'api_orders');
});
afterAll(async () => {
  await h?.close();
});

const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;
const PLACE = 'mutation($lead: ID!) { placeOrder(leadId: $lead, lines: [{ sku: "tea-1", name: "龙井", quantity: 1, unitPrice: 12800 }]) { streamId } }';
const APPROVE = 'mutation($id: ID!) { approveOrder(orderId: $id) { position } }';
const CANCEL = 'mutation($id: ID!, $reason: String!, $cmd: ID) { cancelOrder(orderId: $id, reason: $reason, commandId: $cmd) { position repeated events { type } } }';
const PAY = 'mutation($id: ID!, $amount: Money!) { recordPayment(orderId: $id, amount: $amount, method: "wechat") { position } }';
const REFUND = 'mutation($id: ID!, $amount: Money!, $cmd: ID) { recordRefund(orderId: $id, amount: $amount, method: "wechat", reason: "客户退订 / customer withdrew", commandId: $cmd) { position repeated events { type } } }';
const ORDER = 'query($id: ID!) { order(id: $id) { status paid } }';

async function place(agent: string, lead: string): Promise<string> {
  const r = await h.gql(PLACE, { lead }, await h.token(agent));
  expect(r.errors).toBeUndefined();
  return r.data.placeOrder.streamId.slice('order-'.length);
}
const types = async (id: string) => (await h.store.readStream(`order-${id}`)).map((e) => e.type);
async function orderView(id: string, user = 'admin') {
  await rebuild('orders', { pool: h.pool, store: h.store });
  const r = await h.gql(ORDER, { id }, await h.token(user));
  expect(r.errors).toBeUndefined();
  return r.data.order;
}

describe('cancelOrder', () => {
  it('the agent who took it cancels before approval; the event is durable, a repeat idempotent, the order CANCELLED', async () => {
    const id = await place('agent-east', '13800138401');
    const r = await h.gql(CANCEL, { id, reason: '客户改主意 / changed their mind', cmd: 'k1' }, await h.token('agent-east'));
    expect(r.errors).toBeUndefined();
    expect(r.data.cancelOrder.events).toEqual([{ type: 'OrderCancelled' }]);
    const again = await h.gql(CANCEL, { id, reason: '客户改主意 / changed their mind', cmd: 'k1' }, await h.token('agent-east'));
    expect(again.data.cancelOrder).toMatchObject({ repeated: true, position: r.data.cancelOrder.position });
    const cancelled = (await h.store.readStream(`order-${id}`)).find((e) => e.type === 'OrderCancelled')!;
    expect(cancelled.data).toMatchObject({ reason: '客户改主意 / changed their mind', cancelledBy: 'agent-east', stage: 'placed' });
    expect(await orderView(id, 'agent-east')).toEqual({ status: 'CANCELLED', paid: 0 });
    const twice = await h.gql(CANCEL, { id, reason: '再来一次' }, await h.token('agent-east'));
    expect(code(twice)).toBe('ORDER_NOT_OPEN');
    expect(code(await h.gql(APPROVE, { id }, await h.token('sup-east')))).toBe('ORDER_NOT_OPEN');
  });

  it('after approval only a supervisor of the agent\'s department or an admin cancels', async () => {
    const id = await place('agent-east', '13800138402');
    expect((await h.gql(APPROVE, { id }, await h.token('sup-east'))).errors).toBeUndefined();
    const agent = await h.gql(CANCEL, { id, reason: '客户改主意' }, await h.token('agent-east'));
    expect(code(agent)).toBe('ORDER_CANCEL_NEEDS_SUPERVISOR');
    expect(agent.errors?.[0].extensions.reason).toMatch(/supervisor/);
    expect(code(await h.gql(CANCEL, { id, reason: '缺货' }, await h.token('sup-west')))).toBe('FORBIDDEN');
    expect(code(await h.gql(CANCEL, { id, reason: '缺货' }, await h.token('agent-east-2')))).toBe('FORBIDDEN');
    expect(code(await h.gql(CANCEL, { id, reason: '缺货' }, await h.token('auditor')))).toBe('FORBIDDEN');
    expect(await types(id)).not.toContain('OrderCancelled');
    expect((await h.gql(CANCEL, { id, reason: '缺货 / out of stock' }, await h.token('sup-east'))).errors).toBeUndefined();
    expect(await orderView(id)).toMatchObject({ status: 'CANCELLED' });
  });

  it('an order paid in full is cancelled only after the refund is recorded; the refund is a supervisor\'s and never more than was paid', async () => {
    const id = await place('agent-east', '13800138403');
    await h.gql(APPROVE, { id }, await h.token('sup-east'));
    expect((await h.gql(PAY, { id, amount: 12800 }, await h.token('sup-east'))).errors).toBeUndefined();
    expect(await orderView(id)).toEqual({ status: 'PAID', paid: 12800 });
    const held = await h.gql(CANCEL, { id, reason: '客户退订' }, await h.token('sup-east'));
    expect(code(held)).toBe('ORDER_PAID_NOT_REFUNDED');
    expect(held.errors?.[0].extensions.reason).toMatch(/128\.00/);
    expect(code(await h.gql(REFUND, { id, amount: 12800 }, await h.token('agent-east')))).toBe('FORBIDDEN');
    expect(code(await h.gql(REFUND, { id, amount: 12801 }, await h.token('sup-east')))).toBe('REFUND_EXCEEDS_PAID');
    const refund = await h.gql(REFUND, { id, amount: 12800, cmd: 'r1' }, await h.token('sup-east'));
    expect(refund.data.recordRefund.events).toEqual([{ type: 'OrderRefundRecorded' }]);
    expect((await h.gql(REFUND, { id, amount: 12800, cmd: 'r1' }, await h.token('sup-east'))).data.recordRefund.repeated).toBe(true);
    expect((await h.gql(CANCEL, { id, reason: '客户退订 / withdrew' }, await h.token('sup-east'))).errors).toBeUndefined();
    expect(await types(id)).toEqual(['OrderPlaced', 'OrderReviewed', 'OrderApproved', 'OrderPaymentRecorded', 'OrderRefundRecorded', 'OrderCancelled']);
    expect(await orderView(id)).toEqual({ status: 'CANCELLED', paid: 0 });
    expect(code(await h.gql(PAY, { id, amount: 100 }, await h.token('sup-east')))).toBe('ORDER_CANCELLED');
  });
});
