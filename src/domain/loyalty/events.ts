import type { DomainEvent } from '../decider.ts';

/** One loyalty account per customer (stream `loyalty-<E.164 phone>`); `balance` is after the change. */
type Base = {
  customerPhone: string;
  at: string;
};

export type LoyaltyPointsAccrued = DomainEvent<
  'LoyaltyPointsAccrued',
  Base & { points: number; orderId?: string; reason: string; balance: number }
>;
export type LoyaltyPointsRedeemed = DomainEvent<
  'LoyaltyPointsRedeemed',
  Base & { points: number; orderId?: string; reason: string; balance: number }
>;

export type LoyaltyEvent = LoyaltyPointsAccrued | LoyaltyPointsRedeemed;
