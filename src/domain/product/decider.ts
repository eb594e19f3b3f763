import type { Decider, Decision } from '../decider.ts';
import { isFen, isNonEmpty, reject } from '../rules.ts';
import type { ProductCommand } from './commands.ts';
import type { ProductEvent } from './events.ts';
import { PRODUCT_CATEGORY } from './streams.ts';

export interface ProductState {
  productId?: string;
  priceFen: number;
  discontinued: boolean;
}

function decide(c: ProductCommand, s: ProductState): Decision<ProductEvent> {
  const at = c.meta.now;
  if (c.type === 'AddProduct') {
    const d = c.data;
    if (s.productId) return reject('PRODUCT_EXISTS', `Product ${s.productId} already exists`);
    if (!isNonEmpty(d.productId) || !isNonEmpty(d.sku) || !isNonEmpty(d.name))
      return reject('PRODUCT_NAME_REQUIRED', 'A product has an id, a SKU and a name');
    if (!isFen(d.priceFen)) return reject('PRICE_INVALID', 'Price is whole fen (分), 0 or more');
    const points = d.points ?? 0;
    if (!Number.isSafeInteger(points) || points < 0)
      return reject('POINTS_INVALID', 'Points are a whole number, 0 or more');
    return [
      {
        type: 'ProductAdded',
        data: {
          productId: d.productId,
          at,
          sku: d.sku,
          name: d.name,
          priceFen: d.priceFen,
          points,
          category: d.category,
        },
      },
    ];
  }
  if (!s.productId) return reject('PRODUCT_NOT_FOUND', 'No such product');
  if (s.discontinued) return reject('PRODUCT_DISCONTINUED', 'The product is discontinued');
  if (c.type === 'ChangeProductPrice') {
    if (!isFen(c.data.priceFen)) return reject('PRICE_INVALID', 'Price is whole fen (分), 0 or more');
    if (c.data.priceFen === s.priceFen) return [];
    return [
      {
        type: 'ProductPriceChanged',
        data: {
          productId: s.productId,
          at,
          previousPriceFen: s.priceFen,
          priceFen: c.data.priceFen,
          changedBy: c.meta.actorId,
        },
      },
    ];
  }
  if (!isNonEmpty(c.data.reason)) return reject('REASON_REQUIRED', 'Say why the product is discontinued');
  return [
    { type: 'ProductDiscontinued', data: { productId: s.productId, at, reason: c.data.reason, by: c.meta.actorId } },
  ];
}

export const productDecider: Decider<ProductCommand, ProductEvent, ProductState> = {
  category: PRODUCT_CATEGORY,
  initialState: () => ({ priceFen: 0, discontinued: false }),
  evolve: (s, e) => {
    switch (e.type) {
      case 'ProductAdded':
        return { productId: e.data.productId, priceFen: e.data.priceFen, discontinued: false };
      case 'ProductPriceChanged':
        return { ...s, priceFen: e.data.priceFen };
      case 'ProductDiscontinued':
        return { ...s, discontinued: true };
      default:
        return s;
    }
  },
  decide,
};
