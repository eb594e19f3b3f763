export const ORDER_CATEGORY = 'order';
export const orderStreamId = (orderId: string): string => `${ORDER_CATEGORY}-${orderId}`;
