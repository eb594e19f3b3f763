export const PRODUCT_CATEGORY = 'product';
export const productStreamId = (productId: string): string => `${PRODUCT_CATEGORY}-${productId}`;
