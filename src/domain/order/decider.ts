import { DomainError, type Decider, type Decision } from '../decider.ts';
import { isE164 } from '../phone/normalize.ts';
import { isFen, isNonEmpty, isSupervisor, reject } from '../rules.ts';
import type { CancelOrder, OrderCommand, RecordRefund } from './commands.ts';
import type { OrderEvent, PaymentMethod } from './events.ts';
import { priceOrder } from './pricing.ts';
import { ORDER_CATEGORY } from './streams.ts';

export type OrderStatus = 'none' | 'placed' | 'reviewed' | 'approved' | 'rejected' | 'cancelled' | 'shipped' | 'delivered';

export interface OrderState {
  status: OrderStatus;
  orderId?: string;
  agentId?: string;
  totalFen: number;
  paidFen: number;
  paymentIds: string[];
  refundedFen: number;
  refundIds: string[];
}

const METHODS: readonly PaymentMethod[] = ['cash_on_delivery', 'wechat', 'alipay', 'bank_transfer', 'card', 'other'];
const initialState = (): OrderState => ({ status: 'none', totalFen: 0, paidFen: 0, paymentIds: [], refundedFen: 0, refundIds: [] });

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
    case 'OrderRefundRecorded':
      return { ...s, refundedFen: e.data.refundedTotalFen, refundIds: [...s.refundIds, e.data.refundId] };
    case 'OrderCancelled':
      return { ...s, status: 'cancelled' };
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
      if (s.status === 'cancelled') return reject('ORDER_CANCELLED', '订单已取消，不能收款 / A cancelled order takes no payment');
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
    case 'RecordRefund':
      return refund(c, s, orderId);
    case 'CancelOrder':
      return cancel(c, s, orderId);
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

function refund(c: RecordRefund, s: OrderState, orderId: string): Decision<OrderEvent> {
  const d = c.data;
  if (!isSupervisor(c.meta.actorRole))
    return reject('REFUND_NEEDS_SUPERVISOR', '退款须由主管登记 / Only a supervisor records a refund');
  if (!isNonEmpty(d.refundId)) return reject('REFUND_ID_REQUIRED', 'A refund needs an id');
  if (s.refundIds.includes(d.refundId)) return reject('REFUND_EXISTS', `Refund ${d.refundId} is already recorded`);
  if (!METHODS.includes(d.method))
    return reject('PAYMENT_METHOD_INVALID', `Refund method is one of ${METHODS.join(', ')}`);
  if (!isNonEmpty(d.reason)) return reject('REASON_REQUIRED', '请填写退款原因 / Give the reason for the refund');
  if (!isFen(d.amountFen) || d.amountFen === 0)
    return reject('AMOUNT_INVALID', 'A refund is a positive whole number of fen');
  const held = s.paidFen - s.refundedFen;
  if (d.amountFen > held)
    return reject('REFUND_EXCEEDS_PAID', `只收了 ${yuan(held)}，不能退 ${yuan(d.amountFen)} / Only ${yuan(held)} was received; ${yuan(d.amountFen)} cannot be refunded`, { heldFen: held });
  const refundedTotalFen = s.refundedFen + d.amountFen;
  const data = { orderId, at: c.meta.now, refundId: d.refundId, method: d.method, amountFen: d.amountFen, reason: d.reason.trim(), refundedBy: c.meta.actorId, refundedTotalFen };
  return [{ type: 'OrderRefundRecorded', data }];
}

/**
 * Who may cancel, and when (the rule a sales floor runs on):
 * - before approval, the agent who took the order (the customer changed their mind on the phone) or a supervisor;
 * - once approved, only a supervisor: the order is in the warehouse's queue and someone answers for stopping it;
 * - never once shipped (that is a return, not a cancellation), nor a rejected or already cancelled order;
 * - never while the order still holds the customer's money: record the refund first, so no cancelled
 *   order keeps money (this covers "paid in full" and part payments alike).
 */
function cancel(c: CancelOrder, s: OrderState, orderId: string): Decision<OrderEvent> {
  if (s.status === 'shipped' || s.status === 'delivered')
    return reject('ORDER_ALREADY_SHIPPED', `订单已发货，请走退货流程 / A ${s.status} order is returned, not cancelled`, { status: s.status });
  if (s.status !== 'placed' && s.status !== 'reviewed' && s.status !== 'approved')
    return reject('ORDER_NOT_OPEN', `订单已${s.status === 'cancelled' ? '取消' : '驳回'} / The order is already ${s.status}`, { status: s.status });
  const actor = c.meta.actorId;
  const supervisor = isSupervisor(c.meta.actorRole);
  if (s.status === 'approved' && !supervisor)
    return reject('ORDER_CANCEL_NEEDS_SUPERVISOR', '订单已批准，须由主管取消 / An approved order is cancelled by a supervisor only');
  if (!supervisor && actor !== s.agentId)
    return reject('ORDER_CANCEL_FORBIDDEN', `只有下单坐席 ${s.agentId} 或主管可取消 / Only ${s.agentId}, who took the order, or a supervisor may cancel it`, { agentId: s.agentId });
  if (!isNonEmpty(c.data.reason)) return reject('REASON_REQUIRED', '请填写取消原因 / Give the reason for cancelling');
  const held = s.paidFen - s.refundedFen;
  if (held > 0)
    return reject('ORDER_PAID_NOT_REFUNDED', `客户已付 ${yuan(held)}，请先登记退款 / ${yuan(held)} of the customer's money is held; record the refund first`, { heldFen: held });
  return [{ type: 'OrderCancelled', data: { orderId, at: c.meta.now, reason: c.data.reason.trim(), cancelledBy: actor, cancellerRole: c.meta.actorRole, stage: s.status } }];
}

export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  category: ORDER_CATEGORY,
  initialState,
  evolve,
  decide,
};
