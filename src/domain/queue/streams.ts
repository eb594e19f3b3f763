export const QUEUE_CATEGORY = 'queue';
export const queueStreamId = (queueId: string): string => `${QUEUE_CATEGORY}-${queueId}`;
