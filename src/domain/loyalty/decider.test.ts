import { describe, expect, it } from 'vitest';
import { given } from '../testing/spec.ts';
import type { LoyaltyCommand } from './commands.ts';
import { loyaltyDecider } from './decider.ts';
import type { LoyaltyEvent } from './events.ts';

const at = '2026-03-02T03:00:00.000Z';
const customerPhone = '+8613800138000';
const cmd = <C extends LoyaltyCommand>(type: C['type'], data: Omit<C['data'], 'customerPhone'>) =>
  ({ type, data: { customerPhone, ...data }, meta: { now: at } }) as C;
const accrued: LoyaltyEvent = {
  type: 'LoyaltyPointsAccrued',
  data: { customerPhone, at, points: 590, orderId: 'o1', reason: '订单积分', balance: 590 },
};

describe('loyalty points', () => {
  it('accrues and keeps the running balance', () => {
    given(loyaltyDecider)
      .when(cmd('AccruePoints', { points: 590, orderId: 'o1', reason: '订单积分' }))
      .then([accrued]);
    given(loyaltyDecider, [accrued])
      .when(cmd('AccruePoints', { points: 10, reason: '生日' }))
      .then((e) => expect(e[0].data).toMatchObject({ balance: 600 }));
  });

  it('redeems down to zero but never below', () => {
    given(loyaltyDecider, [accrued])
      .when(cmd('RedeemPoints', { points: 590, reason: '兑换礼品' }))
      .then((e) => expect(e[0].data).toMatchObject({ balance: 0 }));
    given(loyaltyDecider, [accrued])
      .when(cmd('RedeemPoints', { points: 591, reason: '兑换礼品' }))
      .thenRejects('LOYALTY_INSUFFICIENT', /590/);
    given(loyaltyDecider)
      .when(cmd('RedeemPoints', { points: 1, reason: 'x' }))
      .thenRejects('LOYALTY_INSUFFICIENT');
  });

  it('rejects non-positive or fractional points and a foreign account', () => {
    given(loyaltyDecider, [accrued])
      .when(cmd('AccruePoints', { points: 0, reason: 'x' }))
      .thenRejects('POINTS_INVALID');
    given(loyaltyDecider, [accrued])
      .when(cmd('AccruePoints', { points: 1.5, reason: 'x' }))
      .thenRejects('POINTS_INVALID');
    given(loyaltyDecider, [accrued])
      .when({
        type: 'AccruePoints',
        data: { customerPhone: '+8613900139000', points: 1, reason: 'x' },
        meta: { now: at },
      })
      .thenRejects('LOYALTY_ACCOUNT_MISMATCH');
  });
});
