import type { DomainEvent } from '../decider.ts';

type Base = { productId: string; at: string };

/** Prices are integer fen; `points` are the loyalty points one unit earns. */
export type ProductAdded = DomainEvent<
  'ProductAdded',
  Base & { sku: string; name: string; priceFen: number; points: number; category?: string }
>;
export type ProductPriceChanged = DomainEvent<
  'ProductPriceChanged',
  Base & { previousPriceFen: number; priceFen: number; changedBy?: string }
>;
export type ProductDiscontinued = DomainEvent<'ProductDiscontinued', Base & { reason: string; by?: string }>;

export type ProductEvent = ProductAdded | ProductPriceChanged | ProductDiscontinued;
