export const BLACKLIST_CATEGORY = 'blacklist';

/** One stream per number (E.164): its whole listing history. */
export const blacklistStreamId = (e164: string): string => `${BLACKLIST_CATEGORY}-${e164}`;
