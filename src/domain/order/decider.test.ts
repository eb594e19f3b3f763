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
