import { describe, expect, it } from 'vitest';
import { deciders } from './index.ts';

describe('domain index', () => {
  it('lists each decider under its own stream category, with no two sharing one', () => {
    const categories = Object.entries(deciders).map(([key, d]) => {
      expect(d.category).toBe(key);
      return d.category;
    });
    expect(new Set(categories).size).toBe(categories.length);
    for (const c of categories) expect(c).not.toContain('-'); // the id follows the first dash of the stream name
  });

  it('every evolve ignores an unknown event type instead of crashing', () => {
    for (const d of Object.values(deciders)) {
      const s = d.initialState();
      expect(
        (d.evolve as (s: unknown, e: unknown) => unknown)(s, { type: 'SomethingFromTheFuture', data: { x: 1 } }),
      ).toBe(s);
    }
  });
});
