import { describe, expect, it } from 'vitest';
import { given } from '../testing/spec.ts';
import type { OrderCommand, PlaceOrder } from './commands.ts';
import { orderDecider } from './decider.ts';
import type { OrderEvent } from './events.ts';

const at = '2026-03-02T03:00:00.000Z';
const cmd = <C extends OrderCommand>(type: C['type'], data: C['data']) => ({ type, data, meta: { now: at } }) as C;

const place: PlaceOrder['data'] = {
  orderId: 'o1',
  customerPhone: '+8613800138000',
  customerName: '李四',
  agentId: 'a1',
  lines: [
    { productId: 'p1', name: '深海鱼油', quantity: 3, unitPriceFen: 19_990 },
    { productId: 'p2', name: '钙片', quantity: 1, unitPriceFen: 10 },
  ],
  gifts: [{ productId: 'g1', name: '保温杯', quantity: 1 }],
  discountFen: 2_000,
  shippingFen: 1_000,
};

const placed = given(orderDecider)
  .when(cmd('PlaceOrder', place))
  .then(() => {}) as OrderEvent[];
const reviewed: OrderEvent = {
  type: 'OrderReviewed',
  data: { orderId: 'o1', at, reviewerId: 'r1', notes: '地址已核对' },
};
const approved: OrderEvent = { type: 'OrderApproved', data: { orderId: 'o1', at, approverId: 's1' } };
const shipped: OrderEvent = { type: 'OrderShipped', data: { orderId: 'o1', at, carrier: '顺丰', trackingNo: 'SF123' } };

describe('order: placing and totals in integer fen', () => {
  it('computes line totals, subtotal and total in fen', () => {
    expect(placed).toHaveLength(1);
    expect(placed[0].data).toMatchObject({
      lines: [
        { productId: 'p1', quantity: 3, unitPriceFen: 19_990, lineTotalFen: 59_970 },
        { productId: 'p2', quantity: 1, unitPriceFen: 10, lineTotalFen: 10 },
      ],
      gifts: [{ productId: 'g1', quantity: 1 }],
      subtotalFen: 59_980,
      discountFen: 2_000,
      shippingFen: 1_000,
      totalFen: 58_980,
    });
  });

  it.each([
    [{ lines: [] }, 'ORDER_EMPTY'],
    [{ lines: [{ productId: 'p1', name: 'x', quantity: 0, unitPriceFen: 100 }] }, 'QUANTITY_INVALID'],
    [{ lines: [{ productId: 'p1', name: 'x', quantity: 1.5, unitPriceFen: 100 }] }, 'QUANTITY_INVALID'],
    [{ lines: [{ productId: 'p1', name: 'x', quantity: 1, unitPriceFen: 199.9 }] }, 'PRICE_INVALID'],
    [{ lines: [{ productId: 'p1', name: 'x', quantity: 1, unitPriceFen: -1 }] }, 'PRICE_INVALID'],
    [{ discountFen: 10_000_000 }, 'DISCOUNT_INVALID'],
    [{ customerPhone: '13800138000' }, 'PHONE_NOT_E164'],
  ])('rejects %j with %s', (patch, code) => {
    given(orderDecider)
      .when(cmd('PlaceOrder', { ...place, ...patch } as PlaceOrder['data']))
      .thenRejects(code);
  });
});

describe('order: review, approval, shipping', () => {
  it('is reviewed and approved by someone other than the agent', () => {
    given(orderDecider, placed)
      .when(cmd('ReviewOrder', { reviewerId: 'a1', notes: '' }))
      .thenRejects('SELF_REVIEW');
    given(orderDecider, placed)
      .when(cmd('ReviewOrder', { reviewerId: 'r1', notes: '地址已核对' }))
      .then([reviewed]);
    given(orderDecider, placed)
      .when(cmd('ApproveOrder', { approverId: 's1' }))
      .thenRejects('ORDER_NOT_REVIEWED');
    given(orderDecider, [...placed, reviewed])
      .when(cmd('ApproveOrder', { approverId: 'a1' }))
      .thenRejects('SELF_APPROVAL');
    given(orderDecider, [...placed, reviewed])
      .when(cmd('ApproveOrder', { approverId: 's1' }))
      .then([approved]);
  });

  it('a rejected order cannot be approved, shipped or paid', () => {
    const rejected: OrderEvent = {
      type: 'OrderRejected',
      data: { orderId: 'o1', at, rejectedBy: 'r1', reason: '重复下单' },
    };
    given(orderDecider, [...placed, rejected])
      .when(cmd('ApproveOrder', { approverId: 's1' }))
      .thenRejects('ORDER_NOT_REVIEWED');
    given(orderDecider, [...placed, rejected])
      .when(cmd('ShipOrder', { carrier: 'x', trackingNo: 'y' }))
      .thenRejects('ORDER_NOT_APPROVED');
    given(orderDecider, [...placed, rejected])
      .when(cmd('RecordPayment', { paymentId: 'pay1', payer: '李四', method: 'wechat', amountFen: 100 }))
      .thenRejects('ORDER_REJECTED');
  });

  it('ships only when approved, delivers only when shipped', () => {
    given(orderDecider, [...placed, reviewed])
      .when(cmd('ShipOrder', { carrier: '顺丰', trackingNo: 'SF123' }))
      .thenRejects('ORDER_NOT_APPROVED');
    given(orderDecider, [...placed, reviewed, approved])
      .when(cmd('ShipOrder', { carrier: '顺丰', trackingNo: 'SF123' }))
      .then([shipped]);
    given(orderDecider, [...placed, reviewed, approved])
      .when(cmd('MarkDelivered', {}))
      .thenRejects('ORDER_NOT_SHIPPED');
    given(orderDecider, [...placed, reviewed, approved, shipped])
      .when(cmd('MarkDelivered', { signedBy: '本人' }))
      .then((e) => expect(e[0].type).toBe('OrderDelivered'));
  });
});

describe('order: payments', () => {
  it('records partial payments up to the total and rejects overpayment with what is still due', () => {
    const first = given(orderDecider, placed)
      .when(cmd('RecordPayment', { paymentId: 'pay1', payer: '李四', method: 'wechat', amountFen: 50_000 }))
      .then([
        {
          type: 'OrderPaymentRecorded',
          data: {
            orderId: 'o1',
            at,
            paymentId: 'pay1',
            payer: '李四',
            method: 'wechat',
            amountFen: 50_000,
            paidTotalFen: 50_000,
          },
        },
      ]);
    given(orderDecider, [...placed, ...first])
      .when(cmd('RecordPayment', { paymentId: 'pay2', payer: '李四', method: 'alipay', amountFen: 8_981 }))
      .thenRejects('OVERPAYMENT', /¥89\.80/);
    given(orderDecider, [...placed, ...first])
      .when(cmd('RecordPayment', { paymentId: 'pay2', payer: '李四', method: 'alipay', amountFen: 8_980 }))
      .then((e) => expect(e[0].data).toMatchObject({ paidTotalFen: 58_980 }));
    given(orderDecider, [...placed, ...first])
      .when(cmd('RecordPayment', { paymentId: 'pay1', payer: 'x', method: 'wechat', amountFen: 1 }))
      .thenRejects('PAYMENT_EXISTS');
  });

  it('rejects zero, fractional and unknown-method payments', () => {
    given(orderDecider, placed)
      .when(cmd('RecordPayment', { paymentId: 'p', payer: 'x', method: 'wechat', amountFen: 0 }))
      .thenRejects('AMOUNT_INVALID');
    given(orderDecider, placed)
      .when(cmd('RecordPayment', { paymentId: 'p', payer: 'x', method: 'wechat', amountFen: 10.5 }))
      .thenRejects('AMOUNT_INVALID');
    given(orderDecider, placed)
      .when(cmd('RecordPayment', { paymentId: 'p', payer: 'x', method: 'bitcoin' as never, amountFen: 10 }))
      .thenRejects('PAYMENT_METHOD_INVALID');
  });

  it('ignores unknown events', () => {
    const s = orderDecider.initialState();
    expect(orderDecider.evolve(s, { type: 'OrderLost', data: {} } as unknown as OrderEvent)).toBe(s);
  });
});

describe('order: cancelling', () => {
  const as = (actorId: string, actorRole: string) => ({ now: at, actorId, actorRole });
  const cancel = (reason: string, actorId: string, actorRole: string) =>
    ({ type: 'CancelOrder', data: { reason }, meta: as(actorId, actorRole) }) as OrderCommand;
  const refund = (refundId: string, amountFen: number, actorRole = 'supervisor') =>
    ({ type: 'RecordRefund', data: { refundId, amountFen, method: 'wechat', reason: '客户退订' }, meta: as('s1', actorRole) }) as OrderCommand;
  const paid = (amountFen: number): OrderEvent => ({
    type: 'OrderPaymentRecorded',
    data: { orderId: 'o1', at, paymentId: `pay-${amountFen}`, payer: '李四', method: 'wechat', amountFen, paidTotalFen: amountFen },
  });

  it('the agent who took it cancels before approval, with the reason and the stage it was at', () => {
    given(orderDecider, placed)
      .when(cancel(' 客户改主意 ', 'a1', 'agent'))
      .then([{ type: 'OrderCancelled', data: { orderId: 'o1', at, reason: '客户改主意', cancelledBy: 'a1', cancellerRole: 'agent', stage: 'placed' } }]);
    given(orderDecider, [...placed, reviewed])
      .when(cancel('客户改主意', 's1', 'supervisor'))
      .then((e) => expect(e[0].data).toMatchObject({ stage: 'reviewed', cancelledBy: 's1' }));
    given(orderDecider, placed).when(cancel('抢单', 'a2', 'agent')).thenRejects('ORDER_CANCEL_FORBIDDEN', /a1/);
    given(orderDecider, placed).when(cancel(' ', 'a1', 'agent')).thenRejects('REASON_REQUIRED');
  });

  it('after approval only a supervisor cancels; never once shipped, rejected or cancelled', () => {
    given(orderDecider, [...placed, reviewed, approved]).when(cancel('客户改主意', 'a1', 'agent')).thenRejects('ORDER_CANCEL_NEEDS_SUPERVISOR');
    given(orderDecider, [...placed, reviewed, approved])
      .when(cancel('库存不足', 's1', 'admin'))
      .then((e) => expect(e[0]).toMatchObject({ type: 'OrderCancelled', data: { stage: 'approved' } }));
    given(orderDecider, [...placed, reviewed, approved, shipped]).when(cancel('x', 's1', 'supervisor')).thenRejects('ORDER_ALREADY_SHIPPED');
    const rejected: OrderEvent = { type: 'OrderRejected', data: { orderId: 'o1', at, rejectedBy: 's1', reason: '地址不全' } };
    given(orderDecider, [...placed, rejected]).when(cancel('x', 's1', 'supervisor')).thenRejects('ORDER_NOT_OPEN');
    const cancelled: OrderEvent = { type: 'OrderCancelled', data: { orderId: 'o1', at, reason: 'x', cancelledBy: 'a1', stage: 'placed' } };
    given(orderDecider, [...placed, cancelled]).when(cancel('again', 'a1', 'agent')).thenRejects('ORDER_NOT_OPEN', /cancelled/);
    given(orderDecider, [...placed, cancelled])
      .when(cmd('RecordPayment', { paymentId: 'p9', payer: '李四', method: 'wechat', amountFen: 100 }))
      .thenRejects('ORDER_CANCELLED');
    given(orderDecider, [...placed, cancelled]).when(cmd('ApproveOrder', { approverId: 's1' })).thenRejects('ORDER_NOT_REVIEWED');
  });

  it('an order holding the customer\'s money is cancelled only once the refund is recorded', () => {
    const total = (placed[0].data as { totalFen: number }).totalFen;
    const history = [...placed, reviewed, approved, paid(total)];
    given(orderDecider, history).when(cancel('客户退订', 's1', 'supervisor')).thenRejects('ORDER_PAID_NOT_REFUNDED', /589\.80/);
    given(orderDecider, [...placed, paid(100)]).when(cancel('客户退订', 'a1', 'agent')).thenRejects('ORDER_PAID_NOT_REFUNDED');
    given(orderDecider, history)
      .when(refund('r1', total))
      .then([{ type: 'OrderRefundRecorded', data: { orderId: 'o1', at, refundId: 'r1', method: 'wechat', amountFen: total, reason: '客户退订', refundedBy: 's1', refundedTotalFen: total } }]);
    const refunded: OrderEvent = { type: 'OrderRefundRecorded', data: { orderId: 'o1', at, refundId: 'r1', method: 'wechat', amountFen: total - 1, reason: 'x', refundedTotalFen: total - 1 } };
    given(orderDecider, [...history, refunded]).when(cancel('客户退订', 's1', 'supervisor')).thenRejects('ORDER_PAID_NOT_REFUNDED', /0\.01/);
    const rest: OrderEvent = { type: 'OrderRefundRecorded', data: { orderId: 'o1', at, refundId: 'r2', method: 'wechat', amountFen: 1, reason: 'x', refundedTotalFen: total } };
    given(orderDecider, [...history, refunded, rest])
      .when(cancel('客户退订', 's1', 'supervisor'))
      .then((e) => expect(e[0].type).toBe('OrderCancelled'));
  });

  it('a refund is a supervisor\'s, never more than was received, once per id', () => {
    given(orderDecider, [...placed, paid(100)]).when(refund('r1', 100, 'agent')).thenRejects('REFUND_NEEDS_SUPERVISOR');
    given(orderDecider, [...placed, paid(100)]).when(refund('r1', 101)).thenRejects('REFUND_EXCEEDS_PAID', /1\.00/);
    given(orderDecider, placed).when(refund('r1', 1)).thenRejects('REFUND_EXCEEDS_PAID');
    given(orderDecider, [...placed, paid(100)]).when(refund('r1', 0)).thenRejects('AMOUNT_INVALID');
    const r1: OrderEvent = { type: 'OrderRefundRecorded', data: { orderId: 'o1', at, refundId: 'r1', method: 'wechat', amountFen: 50, reason: 'x', refundedTotalFen: 50 } };
    given(orderDecider, [...placed, paid(100), r1]).when(refund('r1', 10)).thenRejects('REFUND_EXISTS');
  });
});
