import { describe, expect, it } from 'vitest';
import { foldCatalogue } from './catalogue.ts';
import type { ProductEvent } from './events.ts';

const at = '2026-03-02T02:00:00.000Z';
const added = (productId: string, name: string, priceFen: number): ProductEvent => ({ type: 'ProductAdded', data: { productId, at, sku: `SKU-${productId}`, name, priceFen, points: 10 } });

describe('product catalogue', () => {
  it('lists each product with its current price and whether it is still sold', () => {
    const catalogue = foldCatalogue([
      added('p1', '深海鱼油', 29_900),
      added('p2', '钙片', 9_900),
      { type: 'ProductPriceChanged', data: { productId: 'p1', at, previousPriceFen: 29_900, priceFen: 25_900 } },
      { type: 'ProductDiscontinued', data: { productId: 'p2', at, reason: '停产' } },
    ]);
    expect([...catalogue.values()]).toEqual([
      { productId: 'p1', sku: 'SKU-p1', name: '深海鱼油', priceFen: 25_900, points: 10, category: undefined, discontinued: false },
      { productId: 'p2', sku: 'SKU-p2', name: '钙片', priceFen: 9_900, points: 10, category: undefined, discontinued: true },
    ]);
  });

  it('ignores a change whose product it has not seen', () => {
    expect(foldCatalogue([{ type: 'ProductDiscontinued', data: { productId: 'ghost', at, reason: 'x' } }]).size).toBe(0);
  });
});
