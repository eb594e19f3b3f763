import type { DomainEvent } from '../decider.ts';

type Base = { phone: string; at: string };

/**
 * A number the whole floor refuses: never dialed (outbound receipts name the list version) and rejected
 * when it calls in. Unlike do-not-call (the customer's wish, per lead), it is the operator's decision:
 * abusive or fraudulent callers, numbers the regulator or the client forbids.
 */
export type NumberBlacklisted = DomainEvent<'NumberBlacklisted', Base & { reason: string; by?: string }>;
export type NumberUnblacklisted = DomainEvent<'NumberUnblacklisted', Base & { reason: string; by?: string }>;

export type BlacklistEvent = NumberBlacklisted | NumberUnblacklisted;

export const BLACKLIST_EVENT_TYPES = ['NumberBlacklisted', 'NumberUnblacklisted'] as const;
