import type { ProductEvent } from './events.ts';

/** One product as the catalogue lists it: the price now, and whether it may still be sold. */
export interface CatalogueItem {
  productId: string;
  sku: string;
  name: string;
  priceFen: number;
  points: number;
  category?: string;
  discontinued: boolean;
}

/** Folds product events (any order of streams, each stream in order) into the catalogue, by product id. */
export function foldCatalogue(events: readonly ProductEvent[], into = new Map<string, CatalogueItem>()): Map<string, CatalogueItem> {
  for (const e of events) {
    const id = e.data.productId;
    if (e.type === 'ProductAdded') {
      const d = e.data;
      into.set(id, { productId: id, sku: d.sku, name: d.name, priceFen: d.priceFen, points: d.points, category: d.category, discontinued: false });
      continue;
    }
    const item = into.get(id);
    if (!item) continue; // a change without its product (a partial read) shows nothing rather than a half product
    if (e.type === 'ProductPriceChanged') into.set(id, { ...item, priceFen: e.data.priceFen });
    else into.set(id, { ...item, discontinued: true });
  }
  return into;
}

export const PRODUCT_EVENT_TYPES = ['ProductAdded', 'ProductPriceChanged', 'ProductDiscontinued'] as const;
