import type { Command } from '../decider.ts';
import type { PaymentMethod } from './events.ts';

/** Totals are computed by the decider from the lines; the caller never supplies them. */
export type PlaceOrder = Command<
  'PlaceOrder',
  {
    orderId: string;
    customerPhone: string;
    customerName?: string;
    agentId: string;
    campaignId?: string;
    callId?: string;
    lines: { productId: string; name: string; quantity: number; unitPriceFen: number }[];
    gifts?: { productId: string; name: string; quantity: number }[];
    discountFen?: number;
    shippingFen?: number;
    shippingAddress?: string;
  }
>;
export type ReviewOrder = Command<'ReviewOrder', { reviewerId: string; notes: string }>;
export type ApproveOrder = Command<'ApproveOrder', { approverId: string }>;
export type RejectOrder = Command<'RejectOrder', { rejectedBy: string; reason: string }>;
export type RecordPayment = Command<
  'RecordPayment',
  { paymentId: string; payer: string; method: PaymentMethod; amountFen: number }
>;
/** Money given back to the customer (after a payment); a supervisor's act, with the reason. */
export type RecordRefund = Command<
  'RecordRefund',
  { refundId: string; amountFen: number; method: PaymentMethod; reason: string }
>;
/** Withdraws an order before it ships; see the decider for who may and when. */
export type CancelOrder = Command<'CancelOrder', { reason: string }>;
export type ShipOrder = Command<'ShipOrder', { carrier: string; trackingNo: string }>;
export type MarkDelivered = Command<'MarkDelivered', { signedBy?: string }>;

export type OrderCommand =
  | PlaceOrder
  | ReviewOrder
  | ApproveOrder
  | RejectOrder
  | RecordPayment
  | RecordRefund
  | CancelOrder
  | ShipOrder
  | MarkDelivered;
