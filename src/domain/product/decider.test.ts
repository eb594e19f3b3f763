import { describe, it } from 'vitest';
import { given } from '../testing/spec.ts';
import type { ProductCommand } from './commands.ts';
import { productDecider } from './decider.ts';
import type { ProductEvent } from './events.ts';

const at = '2026-03-02T01:00:00.000Z';
const cmd = <C extends ProductCommand>(type: C['type'], data: C['data']) => ({ type, data, meta: { now: at } }) as C;
const added: ProductEvent = {
  type: 'ProductAdded',
  data: {
    productId: 'p1',
    at,
    sku: 'FO-60',
    name: '深海鱼油 60粒',
    priceFen: 19_990,
    points: 200,
    category: undefined,
  },
};

describe('product catalogue', () => {
  it('adds a product priced in fen', () => {
    given(productDecider)
      .when(cmd('AddProduct', { productId: 'p1', sku: 'FO-60', name: '深海鱼油 60粒', priceFen: 19_990, points: 200 }))
      .then([added]);
    given(productDecider)
      .when(cmd('AddProduct', { productId: 'p1', sku: 'FO-60', name: 'x', priceFen: 199.9 }))
      .thenRejects('PRICE_INVALID');
    given(productDecider, [added])
      .when(cmd('AddProduct', { productId: 'p1', sku: 'FO-60', name: 'x', priceFen: 1 }))
      .thenRejects('PRODUCT_EXISTS');
  });

  it('changes price keeping the previous one; same price changes nothing', () => {
    given(productDecider, [added])
      .when(cmd('ChangeProductPrice', { priceFen: 16_800 }))
      .then([
        {
          type: 'ProductPriceChanged',
          data: { productId: 'p1', at, previousPriceFen: 19_990, priceFen: 16_800, changedBy: undefined },
        },
      ]);
    given(productDecider, [added])
      .when(cmd('ChangeProductPrice', { priceFen: 19_990 }))
      .thenNothingHappened();
  });

  it('a discontinued product cannot be repriced', () => {
    const gone: ProductEvent = { type: 'ProductDiscontinued', data: { productId: 'p1', at, reason: '停产' } };
    given(productDecider, [added])
      .when(cmd('DiscontinueProduct', { reason: '' }))
      .thenRejects('REASON_REQUIRED');
    given(productDecider, [added, gone])
      .when(cmd('ChangeProductPrice', { priceFen: 1 }))
      .thenRejects('PRODUCT_DISCONTINUED');
  });
});
