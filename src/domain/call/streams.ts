export const CALL_CATEGORY = 'call';
/** callId is the switch's call uuid, so telephony events find their stream without a lookup. */
export const callStreamId = (callId: string): string => `${CALL_CATEGORY}-${callId}`;
