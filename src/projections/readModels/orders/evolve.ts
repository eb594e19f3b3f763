import type { Gift, OrderEvent, OrderLine, PaymentMethod } from '../../../domain/order/events.ts';

export type OrderStatus = 'pending_review' | 'reviewed' | 'approved' | 'rejected' | 'cancelled' | 'shipped' | 'delivered';

export interface OrderDoc {
  orderId: string;
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
  placedAt: string;
  status: OrderStatus;
  reviews: { reviewerId: string; notes: string; at: string }[];
  decision?: { by: string; at: string; approved: boolean; reason?: string };
  payments: { paymentId: string; payer: string; method: PaymentMethod; amountFen: number; at: string }[];
  paidTotalFen: number;
  /** Money given back; paidTotalFen stays what was received. Absent on documents from before refunds existed. */
  refunds?: { refundId: string; method: PaymentMethod; amountFen: number; reason: string; by?: string; at: string }[];
  refundedTotalFen?: number;
  cancellation?: { by?: string; at: string; reason: string; stage: string };
  shipment?: { carrier: string; trackingNo: string; shippedAt: string; deliveredAt?: string; signedBy?: string };
}

/** Folds one order event into the order document (in place). Events before OrderPlaced are ignored. */
export function evolveOrder(current: OrderDoc | undefined, event: OrderEvent): OrderDoc | undefined {
  if (event.type === 'OrderPlaced') {
    const e = event.data;
    return {
      orderId: e.orderId,
      customerPhone: e.customerPhone,
      customerName: e.customerName,
      agentId: e.agentId,
      campaignId: e.campaignId,
      callId: e.callId,
      lines: e.lines,
      gifts: e.gifts,
      subtotalFen: e.subtotalFen,
      discountFen: e.discountFen,
      shippingFen: e.shippingFen,
      totalFen: e.totalFen,
      shippingAddress: e.shippingAddress,
      placedAt: e.at,
      status: 'pending_review',
      reviews: [],
      payments: [],
      paidTotalFen: 0,
    };
  }
  const doc = current;
  if (!doc) return undefined;
  switch (event.type) {
    case 'OrderReviewed':
      doc.reviews.push({ reviewerId: event.data.reviewerId, notes: event.data.notes, at: event.data.at });
      if (doc.status === 'pending_review') doc.status = 'reviewed';
      break;
    case 'OrderApproved':
      doc.decision = { by: event.data.approverId, at: event.data.at, approved: true };
      doc.status = 'approved';
      break;
    case 'OrderRejected':
      doc.decision = { by: event.data.rejectedBy, at: event.data.at, approved: false, reason: event.data.reason };
      doc.status = 'rejected';
      break;
    case 'OrderPaymentRecorded': {
      const e = event.data;
      doc.payments.push({ paymentId: e.paymentId, payer: e.payer, method: e.method, amountFen: e.amountFen, at: e.at });
      doc.paidTotalFen = e.paidTotalFen;
      break;
    }
    case 'OrderRefundRecorded': {
      const e = event.data;
      doc.refunds = [...(doc.refunds ?? []), { refundId: e.refundId, method: e.method, amountFen: e.amountFen, reason: e.reason, by: e.refundedBy, at: e.at }];
      doc.refundedTotalFen = e.refundedTotalFen;
      break;
    }
    case 'OrderCancelled':
      doc.cancellation = { by: event.data.cancelledBy, at: event.data.at, reason: event.data.reason, stage: event.data.stage };
      doc.status = 'cancelled';
      break;
    case 'OrderShipped':
      doc.shipment = { carrier: event.data.carrier, trackingNo: event.data.trackingNo, shippedAt: event.data.at };
      doc.status = 'shipped';
      break;
    case 'OrderDelivered':
      if (doc.shipment) Object.assign(doc.shipment, { deliveredAt: event.data.at, signedBy: event.data.signedBy });
      doc.status = 'delivered';
      break;
  }
  return doc;
}
