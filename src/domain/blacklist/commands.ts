import type { Command } from '../decider.ts';

export type BlacklistNumber = Command<'BlacklistNumber', { phone: string; reason: string }>;
export type UnblacklistNumber = Command<'UnblacklistNumber', { reason: string }>;

export type BlacklistCommand = BlacklistNumber | UnblacklistNumber;
