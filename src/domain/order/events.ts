import type { DomainEvent } from '../decider.ts';

/** All money is integer fen (1 yuan = 100 fen): floats drift when totals are summed. */
export interface OrderLine {
  productId: string;
  name: string;
  quantity: number;
  unitPriceFen: number;
  lineTotalFen: number;
}

export interface Gift {
  productId: string;
  name: string;
  quantity: number;
}

export type PaymentMethod = 'cash_on_delivery' | 'wechat' | 'alipay' | 'bank_transfer' | 'card' | 'other';

type Base = {
  orderId: string;
  at: string;
};

export type OrderPlaced = DomainEvent<
  'OrderPlaced',
  Base & {
    customerPhone: string;
    customerName?: string;
    agentId: string;
    campaignId?: string;
    callId?: string;
    lines: OrderLine[];
    gifts: Gift[];
    subtotalFen: number;
    discountFen: number;
    shippingFen: number;
    totalFen: number;
    shippingAddress?: string;
  }
>;
export type OrderReviewed = DomainEvent<'OrderReviewed', Base & { reviewerId: string; notes: string }>;
export type OrderApproved = DomainEvent<'OrderApproved', Base & { approverId: string }>;
export type OrderRejected = DomainEvent<'OrderRejected', Base & { rejectedBy: string; reason: string }>;
export type OrderPaymentRecorded = DomainEvent<
  'OrderPaymentRecorded',
  Base & { paymentId: string; payer: string; method: PaymentMethod; amountFen: number; paidTotalFen: number }
>;
export type OrderRefundRecorded = DomainEvent<
  'OrderRefundRecorded',
  Base & {
    refundId: string;
    method: PaymentMethod;
    amountFen: number;
    reason: string;
    refundedBy?: string;
    refundedTotalFen: number;
  }
>;
/** `stage`: what the order was when cancelled (placed, reviewed or approved). */
export type OrderCancelled = DomainEvent<
  'OrderCancelled',
  Base & { reason: string; cancelledBy?: string; cancellerRole?: string; stage: string }
>;
export type OrderShipped = DomainEvent<'OrderShipped', Base & { carrier: string; trackingNo: string }>;
export type OrderDelivered = DomainEvent<'OrderDelivered', Base & { signedBy?: string }>;

export type OrderEvent =
  | OrderPlaced
  | OrderReviewed
  | OrderApproved
  | OrderRejected
  | OrderPaymentRecorded
  | OrderRefundRecorded
  | OrderCancelled
  | OrderShipped
  | OrderDelivered;
