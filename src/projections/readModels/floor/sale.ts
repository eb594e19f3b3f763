import type { OrderEvent } from '../../../domain/order/events.ts';

/**
 * What an order adds to the floor's figures (agent ranking, campaign and task reports).
 *
 * The rule, as a floor counts sales: an order counts once it is approved (shipped and delivered orders have
 * been approved), in the hour it was placed, so a day's report shows that day's sales as review clears them;
 * a rejected order never counts; a cancelled order (at any stage) leaves the figures; revenue is the total net
 * of refunds, never below zero. The counters carry only deltas, so a late approval, refund or cancellation
 * corrects the placement hour the way a disposition correction does.
 */
export interface SaleDoc {
  orderId: string;
  agentId: string;
  campaignId?: string;
  placedAt: string;
  totalFen: number;
  refundedFen: number;
  /** Counted in the figures now (approved and not cancelled). */
  counted: boolean;
  cancelled: boolean;
}

export interface SaleDelta {
  agentId: string;
  campaignId?: string;
  /** The hour the deltas belong to: the placement's. */
  at: string;
  orders: number;
  revenueFen: number;
}

const net = (s: SaleDoc) => Math.max(0, s.totalFen - s.refundedFen);

/** Folds one order event (in place) and returns the change to the figures, if any. */
export function evolveSale(current: SaleDoc | undefined, event: OrderEvent, at: string): { doc?: SaleDoc; delta?: SaleDelta } {
  if (event.type === 'OrderPlaced') {
    const e = event.data;
    if (current) return { doc: current };
    return { doc: { orderId: e.orderId, agentId: e.agentId, campaignId: e.campaignId, placedAt: at, totalFen: e.totalFen, refundedFen: 0, counted: false, cancelled: false } };
  }
  const s = current;
  if (!s) return {};
  const delta = (orders: number, revenueFen: number): SaleDelta => ({ agentId: s.agentId, campaignId: s.campaignId, at: s.placedAt, orders, revenueFen });
  switch (event.type) {
    case 'OrderApproved':
      if (s.counted || s.cancelled) return { doc: s };
      s.counted = true;
      return { doc: s, delta: delta(1, net(s)) };
    case 'OrderRefundRecorded': {
      const before = net(s);
      s.refundedFen = Math.max(s.refundedFen, event.data.refundedTotalFen);
      return { doc: s, delta: s.counted && net(s) !== before ? delta(0, net(s) - before) : undefined };
    }
    case 'OrderCancelled': {
      const was = s.counted;
      s.counted = false;
      s.cancelled = true;
      return { doc: s, delta: was ? delta(-1, -net(s)) : undefined };
    }
    default:
      return { doc: s };
  }
}
