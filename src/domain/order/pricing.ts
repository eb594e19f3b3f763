import type { DomainError } from '../decider.ts';
import { isFen, isNonEmpty, reject } from '../rules.ts';
import type { PlaceOrder } from './commands.ts';
import type { Gift, OrderLine } from './events.ts';

export interface Priced {
  lines: OrderLine[];
  gifts: Gift[];
  subtotalFen: number;
  discountFen: number;
  shippingFen: number;
  totalFen: number;
}

const MAX_QUANTITY = 10_000;

/** Totals in integer fen, computed here and only here; a product of two safe integers is checked to stay safe. */
export function priceOrder(d: PlaceOrder['data']): Priced | DomainError {
  if (!Array.isArray(d.lines) || d.lines.length === 0)
    return reject('ORDER_EMPTY', 'An order has at least one product');
  const lines: OrderLine[] = [];
  let subtotalFen = 0;
  for (const l of d.lines) {
    if (!isNonEmpty(l?.productId) || !isNonEmpty(l.name))
      return reject('ORDER_LINE_INVALID', 'Every line names its product');
    if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > MAX_QUANTITY) {
      return reject('QUANTITY_INVALID', `Quantity of ${l.name} must be a whole number from 1 to ${MAX_QUANTITY}`);
    }
    if (!isFen(l.unitPriceFen)) return reject('PRICE_INVALID', `Price of ${l.name} must be whole fen (分), 0 or more`);
    const lineTotalFen = l.quantity * l.unitPriceFen;
    subtotalFen += lineTotalFen;
    if (!Number.isSafeInteger(subtotalFen)) return reject('PRICE_INVALID', 'The order total is too large');
    lines.push({
      productId: l.productId,
      name: l.name,
      quantity: l.quantity,
      unitPriceFen: l.unitPriceFen,
      lineTotalFen,
    });
  }
  const gifts: Gift[] = [];
  for (const g of d.gifts ?? []) {
    if (!isNonEmpty(g?.productId) || !isNonEmpty(g.name))
      return reject('ORDER_LINE_INVALID', 'Every gift names its product');
    if (!Number.isInteger(g.quantity) || g.quantity < 1 || g.quantity > MAX_QUANTITY)
      return reject('QUANTITY_INVALID', `Quantity of gift ${g.name} is invalid`);
    gifts.push({ productId: g.productId, name: g.name, quantity: g.quantity });
  }
  const discountFen = d.discountFen ?? 0;
  const shippingFen = d.shippingFen ?? 0;
  if (!isFen(discountFen) || discountFen > subtotalFen)
    return reject('DISCOUNT_INVALID', 'The discount is whole fen and at most the subtotal');
  if (!isFen(shippingFen)) return reject('SHIPPING_INVALID', 'Shipping is whole fen, 0 or more');
  return { lines, gifts, subtotalFen, discountFen, shippingFen, totalFen: subtotalFen - discountFen + shippingFen };
}
