import type { Decider, Decision } from '../decider.ts';
import { isE164 } from '../phone/normalize.ts';
import { isNonEmpty, reject } from '../rules.ts';
import type { LoyaltyCommand } from './commands.ts';
import type { LoyaltyEvent } from './events.ts';
import { LOYALTY_CATEGORY } from './streams.ts';

export interface LoyaltyState {
  customerPhone?: string;
  balance: number;
}

const initialState = (): LoyaltyState => ({ balance: 0 });

function evolve(s: LoyaltyState, e: LoyaltyEvent): LoyaltyState {
  switch (e.type) {
    case 'LoyaltyPointsAccrued':
    case 'LoyaltyPointsRedeemed':
      return { customerPhone: e.data.customerPhone, balance: e.data.balance };
    default:
      return s;
  }
}

function decide(c: LoyaltyCommand, s: LoyaltyState): Decision<LoyaltyEvent> {
  const { customerPhone, points, orderId, reason } = c.data;
  if (!isE164(customerPhone)) return reject('PHONE_NOT_E164', 'The customer is identified by a normalized number');
  if (s.customerPhone && s.customerPhone !== customerPhone)
    return reject('LOYALTY_ACCOUNT_MISMATCH', `This account belongs to ${s.customerPhone}`);
  if (!Number.isSafeInteger(points) || points <= 0)
    return reject('POINTS_INVALID', 'Points are a positive whole number');
  if (!isNonEmpty(reason)) return reject('REASON_REQUIRED', 'Say why the points change');
  const at = c.meta.now;
  if (c.type === 'AccruePoints') {
    return [
      {
        type: 'LoyaltyPointsAccrued',
        data: { customerPhone, at, points, orderId, reason, balance: s.balance + points },
      },
    ];
  }
  if (points > s.balance)
    return reject('LOYALTY_INSUFFICIENT', `Only ${s.balance} points available; cannot redeem ${points}`, {
      balance: s.balance,
    });
  return [
    {
      type: 'LoyaltyPointsRedeemed',
      data: { customerPhone, at, points, orderId, reason, balance: s.balance - points },
    },
  ];
}

export const loyaltyDecider: Decider<LoyaltyCommand, LoyaltyEvent, LoyaltyState> = {
  category: LOYALTY_CATEGORY,
  initialState,
  evolve,
  decide,
};
