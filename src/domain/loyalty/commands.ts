import type { Command } from '../decider.ts';

export type AccruePoints = Command<
  'AccruePoints',
  { customerPhone: string; points: number; orderId?: string; reason: string }
>;
export type RedeemPoints = Command<
  'RedeemPoints',
  { customerPhone: string; points: number; orderId?: string; reason: string }
>;

export type LoyaltyCommand = AccruePoints | RedeemPoints;
