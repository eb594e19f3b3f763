export const LOYALTY_CATEGORY = 'loyalty';
/** One account per customer, keyed by the customer's E.164 number. */
export const loyaltyStreamId = (customerPhone: string): string => `${LOYALTY_CATEGORY}-${customerPhone}`;
