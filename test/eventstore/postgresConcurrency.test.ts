import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { UpcasterRegistry } from '../../src/eventstore/upcasting.ts';
import { createTestDatabase } from '../support/db.ts';

describe('postgres event store under concurrency', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const stores: PostgresEventStore[] = [];
  beforeAll(async () => {
    db = await createTestDatabase('es_conc');
    // Three independent stores = three processes' worth of connections and writer queues.
    for (let i = 0; i < 3; i++) stores.push(await PostgresEventStore.connect(db.url));
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    await db.close();
  });

  it('an incremental reader never skips an event that commits late, with writers in several processes', async () => {
    const [a, b, reader] = stores;
    const seen: number[] = [];
    let after = 0;
    let writing = true;
    const tail = (async () => {
      while (writing || (await reader.headPosition()) > after) {
        const page = await reader.readAll({ after, maxCount: 50 });
        for (const e of page) seen.push(e.position);
        if (page.length) after = page[page.length - 1].position;
      }
    })();
    const writer = (store: PostgresEventStore, w: number) =>
      (async () => {
        for (let i = 0; i < 60; i++) {
          // Mix single appends and multi-event appends so transactions differ in size and duration.
          await store.append(`agent-${w}-${i % 7}`, i % 3 ? [{ type: 'T', data: { w, i } }] : [1, 2, 3].map((k) => ({ type: 'T', data: { w, i, k } })));
        }
      })();
    await Promise.all([0, 1, 2, 3].map((w) => writer(w % 2 ? a : b, w)));
    writing = false;
    await tail;
    const all = (await reader.readAll({ maxCount: 100_000 })).map((e) => e.position);
    expect(all).toHaveLength(4 * (40 + 20 * 3));
    expect(seen).toEqual(all);
  });

  it('writes nothing of an append whose stream moved on, and reports why', async () => {
    const [a] = stores;
    await a.append('lead-x', [{ type: 'LeadImported', data: {} }]);
    const before = await a.headPosition();
    await expect(a.append('lead-x', [{ type: 'A', data: {} }, { type: 'B', data: {} }], 'no-stream')).rejects.toThrow(
      /expected revision no-stream, but the stream is at 1/,
    );
    expect(await a.headPosition()).toBe(before);
    expect(await a.readStream('lead-x')).toHaveLength(1);
  });

  it('one failing append in a grouped commit does not fail its neighbours', async () => {
    const [a] = stores;
    const results = await Promise.allSettled([
      a.append('order-1', [{ type: 'OrderPlaced', data: { ok: 1 } }]),
      a.append('order-2', [{ type: 'OrderPlaced', data: { bad: '\u0000' } }]), // jsonb refuses NUL
      a.append('order-3', [{ type: 'OrderPlaced', data: { ok: 3 } }]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await a.readStream('order-2')).toEqual([]);
    expect(await a.readStream('order-3')).toHaveLength(1);
  });

  it('upcasts older event versions on read and passes unknown types through', async () => {
    const upcasters = new UpcasterRegistry().register('CallbackScheduled', 1, (d) => ({ ...d, visibility: d.public ? 'public' : 'private' }));
    const store = await PostgresEventStore.connect(db.url, { upcast: upcasters.upcast });
    try {
      await store.append('lead-up', [
        { type: 'CallbackScheduled', data: { public: true }, metadata: { schemaVersion: 1 } },
        { type: 'SomethingFromTheFuture', data: { x: 1 }, metadata: { schemaVersion: 7 } },
      ]);
      const [cb, future] = await store.readStream('lead-up');
      expect(cb.data).toEqual({ public: true, visibility: 'public' });
      expect(cb.metadata.schemaVersion).toBe(2);
      expect(future.data).toEqual({ x: 1 });
    } finally {
      await store.close();
    }
  });
});
