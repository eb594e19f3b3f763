import { DomainError, type Decider, type Decision } from '../decider.ts';
import { isE164 } from '../phone/normalize.ts';
import { isFen, isNonEmpty, reject } from '../rules.ts';
import type { OrderCommand } from './commands.ts';
import type { OrderEvent, PaymentMethod } from './events.ts';
import { priceOrder } from './pricing.ts';
import { ORDER_CATEGORY } from './streams.ts';

export type OrderStatus = 'none' | 'placed' | 'reviewed' | 'approved' | 'rejected' | 'shipped' | 'delivered';

export interface OrderState {
  status: OrderStatus;
  orderId?: string;
  agentId?: string;
  totalFen: number;
  paidFen: number;
  paymentIds: string[];
}

const METHODS: readonly PaymentMethod[] = ['cash_on_delivery', 'wechat', 'alipay', 'bank_transfer', 'card', 'other'];
const initialState = (): OrderState => ({ status: 'none', totalFen: 0, paidFen: 0, paymentIds: [] });

function evolve(s: OrderState, e: OrderEvent): OrderState {
  switch (e.type) {
    case 'OrderPlaced':
      return { ...s, status: 'placed', orderId: e.data.orderId, agentId: e.data.agentId, totalFen: e.data.totalFen };
    case 'OrderReviewed':
      return { ...s, status: 'reviewed' };
    case 'OrderApproved':
      return { ...s, status: 'approved' };
    case 'OrderRejected':
      return { ...s, status: 'rejected' };
    case 'OrderPaymentRecorded':
      return { ...s, paidFen: e.data.paidTotalFen, paymentIds: [...s.paymentIds, e.data.paymentId] };
    case 'OrderShipped':
      return { ...s, status: 'shipped' };
    case 'OrderDelivered':
      return { ...s, status: 'delivered' };
    default:
      return s;
  }
}

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

function decide(c: OrderCommand, s: OrderState): Decision<OrderEvent> {
  const at = c.meta.now;
  if (c.type === 'PlaceOrder') {
    const d = c.data;
    if (s.status !== 'none') return reject('ORDER_EXISTS', `Order ${s.orderId} was already placed`);
    if (!isNonEmpty(d.orderId)) return reject('ORDER_ID_REQUIRED', 'An order needs an id');
    if (!isE164(d.customerPhone)) return reject('PHONE_NOT_E164', 'The customer phone must be a normalized number');
    if (!isNonEmpty(d.agentId)) return reject('AGENT_REQUIRED', 'An order names the agent who took it');
    const priced = priceOrder(d);
    if (priced instanceof DomainError) return priced;
    const { orderId, customerPhone, customerName, agentId, campaignId, callId, shippingAddress } = d;
    return [
      {
        type: 'OrderPlaced',
        data: { orderId, at, customerPhone, customerName, agentId, campaignId, callId, shippingAddress, ...priced },
      },
    ];
  }
  if (s.status === 'none' || !s.orderId) return reject('ORDER_NOT_FOUND', 'No such order');
  const orderId = s.orderId;
  switch (c.type) {
    case 'ReviewOrder':
      if (s.status !== 'placed' && s.status !== 'reviewed')
        return reject('ORDER_NOT_OPEN', `A ${s.status} order is past review`);
      if (!isNonEmpty(c.data.reviewerId)) return reject('REVIEWER_REQUIRED', 'Name the reviewer');
      if (c.data.reviewerId === s.agentId)
        return reject('SELF_REVIEW', 'The agent who took the order cannot review it');
      return [
        { type: 'OrderReviewed', data: { orderId, at, reviewerId: c.data.reviewerId, notes: c.data.notes ?? '' } },
      ];
    case 'ApproveOrder':
      if (s.status === 'approved') return [];
      if (s.status !== 'reviewed')
        return reject('ORDER_NOT_REVIEWED', `Only a reviewed order can be approved; it is ${s.status}`);
      if (!isNonEmpty(c.data.approverId) || c.data.approverId === s.agentId)
        return reject('SELF_APPROVAL', 'The agent who took the order cannot approve it');
      return [{ type: 'OrderApproved', data: { orderId, at, approverId: c.data.approverId } }];
    case 'RejectOrder':
      if (s.status !== 'placed' && s.status !== 'reviewed')
        return reject('ORDER_NOT_OPEN', `A ${s.status} order cannot be rejected`);
      if (!isNonEmpty(c.data.reason) || !isNonEmpty(c.data.rejectedBy))
        return reject('REASON_REQUIRED', 'Say who rejects the order and why');
      return [{ type: 'OrderRejected', data: { orderId, at, rejectedBy: c.data.rejectedBy, reason: c.data.reason } }];
    case 'RecordPayment': {
      const d = c.data;
      if (s.status === 'rejected') return reject('ORDER_REJECTED', 'A rejected order takes no payment');
      if (!isNonEmpty(d.paymentId)) return reject('PAYMENT_ID_REQUIRED', 'A payment needs an id');
      if (s.paymentIds.includes(d.paymentId))
        return reject('PAYMENT_EXISTS', `Payment ${d.paymentId} is already recorded`);
      if (!METHODS.includes(d.method))
        return reject('PAYMENT_METHOD_INVALID', `Payment method is one of ${METHODS.join(', ')}`);
      if (!isNonEmpty(d.payer)) return reject('PAYER_REQUIRED', 'Name the payer');
      if (!isFen(d.amountFen) || d.amountFen === 0)
        return reject('AMOUNT_INVALID', 'A payment is a positive whole number of fen');
      const paidTotalFen = s.paidFen + d.amountFen;
      if (paidTotalFen > s.totalFen) {
        return reject(
          'OVERPAYMENT',
          `Only ${yuan(s.totalFen - s.paidFen)} is still due; ${yuan(d.amountFen)} would overpay`,
          {
            dueFen: s.totalFen - s.paidFen,
          },
        );
      }
      return [
        {
          type: 'OrderPaymentRecorded',
          data: {
            orderId,
            at,
            paymentId: d.paymentId,
            payer: d.payer,
            method: d.method,
            amountFen: d.amountFen,
            paidTotalFen,
          },
        },
      ];
    }
    case 'ShipOrder':
      if (s.status !== 'approved')
        return reject('ORDER_NOT_APPROVED', `Only an approved order ships; it is ${s.status}`);
      if (!isNonEmpty(c.data.carrier) || !isNonEmpty(c.data.trackingNo))
        return reject('TRACKING_REQUIRED', 'Give the carrier and tracking number');
      return [{ type: 'OrderShipped', data: { orderId, at, carrier: c.data.carrier, trackingNo: c.data.trackingNo } }];
    case 'MarkDelivered':
      if (s.status === 'delivered') return [];
      if (s.status !== 'shipped') return reject('ORDER_NOT_SHIPPED', 'Only a shipped order can be delivered');
      return [{ type: 'OrderDelivered', data: { orderId, at, signedBy: c.data.signedBy } }];
  }
}

export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  category: ORDER_CATEGORY,
  initialState,
  evolve,
  decide,
};
