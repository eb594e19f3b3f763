import type { Command } from '../decider.ts';

export type AddProduct = Command<
  'AddProduct',
  { productId: string; sku: string; name: string; priceFen: number; points?: number; category?: string }
>;
export type ChangeProductPrice = Command<'ChangeProductPrice', { priceFen: number }>;
export type DiscontinueProduct = Command<'DiscontinueProduct', { reason: string }>;

export type ProductCommand = AddProduct | ChangeProductPrice | DiscontinueProduct;
