import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogFold } from '../../src/eventstore/logFold.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import type { EventStore } from '../../src/eventstore/types.ts';
import { createTestDatabase } from '../support/db.ts';

// The in-memory folds of the live floor (compliance history, campaign leads, inbound routing) read the log with
// LogFold: each event exactly once whatever the callers do at the same time, and a fold may start over.
describe('LogFold', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await createTestDatabase('log_fold');
    store = await PostgresEventStore.connect(db.url);
    for (let i = 0; i < 30; i++) await store.append(`s-${i % 3}`, [{ type: i % 2 ? 'Odd' : 'Even', data: { i } }]);
  });
  afterAll(async () => {
    await store.close();
    await db.close();
  });

  it('applies each event of its types once, however many catch-ups run at once', async () => {
    const seen: number[] = [];
    const fold = new LogFold(store, ['Odd'], (e) => seen.push(e.data.i as number));
    await Promise.all([fold.catchUp(), fold.catchUp(), fold.catchUp()]);
    await store.append('s-x', [{ type: 'Odd', data: { i: 31 } }]);
    await Promise.all([fold.catchUp(), fold.catchUp()]);
    expect(seen).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31]);
  });

  it('starts over from the beginning when the fold rewinds it', async () => {
    const seen: number[] = [];
    let rewound = false;
    const fold: LogFold = new LogFold(store, ['Even'], (e) => {
      seen.push(e.data.i as number);
      if (e.data.i === 10 && !rewound) {
        rewound = true;
        seen.length = 0; // the owner forgets what it folded
        fold.rewind();
      }
    });
    await fold.catchUp();
    expect(seen).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28]);
  });

  it('follows the log after catching up, still applying each event once beside explicit catch-ups', async () => {
    const seen: number[] = [];
    const fold = new LogFold(store, ['Live'], (e) => seen.push(e.data.i as number));
    await store.append('live', [{ type: 'Live', data: { i: 1 } }]);
    await fold.follow();
    await store.append('live', [{ type: 'Live', data: { i: 2 } }]);
    await fold.catchUp(); // a reader that needs the newest now, while the subscription also delivers it
    for (let t = 0; t < 50 && seen.length < 2; t++) await new Promise((r) => setTimeout(r, 20));
    await store.append('live', [{ type: 'Live', data: { i: 3 } }]);
    for (let t = 0; t < 100 && seen.length < 3; t++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    await fold.stop();
    expect(seen).toEqual([1, 2, 3]);
  });

  it('a follow whose catch-up failed is tried again by the next follow, which then catches up and stays live', async () => {
    let failures = 1;
    const flaky: EventStore = {
      append: (streamId, events, expected) => store.append(streamId, events, expected),
      readStream: (streamId, options) => store.readStream(streamId, options),
      readAll: async (options) => {
        if (failures-- > 0) throw new Error('database away');
        return store.readAll(options);
      },
      subscribe: (handler, options) => store.subscribe(handler, options),
      headPosition: () => store.headPosition(),
      close: async () => {},
    };
    const seen: number[] = [];
    const fold = new LogFold(flaky, ['Retry'], (e) => seen.push(e.data.i as number));
    await store.append('retry', [{ type: 'Retry', data: { i: 1 } }]);
    await expect(fold.follow()).rejects.toThrow('database away');
    await fold.follow();
    expect(seen).toEqual([1]);
    await store.append('retry', [{ type: 'Retry', data: { i: 2 } }]);
    for (let t = 0; t < 100 && seen.length < 2; t++) await new Promise((r) => setTimeout(r, 20));
    await fold.stop();
    expect(seen).toEqual([1, 2]);
  });
});
