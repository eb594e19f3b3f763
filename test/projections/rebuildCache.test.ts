import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'slonik';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { allProjections } from '../../src/projections/readModels/index.ts';
import { rebuildProjections } from '../../src/projections/runtime/rebuild.ts';
import { ProjectionRunner } from '../../src/projections/runtime/runner.ts';
import { floorDay } from '../../src/projections/sim/floorDay.ts';
import { appendAll } from '../../src/projections/sim/load.ts';
import { createTestDatabase } from '../support/db.ts';

// A rebuild keeps the shadow rows in memory between batches and writes them behind; whatever the batch size,
// flush interval or eviction, the rebuilt read models must equal what the live runner built event by batch.
describe('rebuild with rows held in memory', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let live: Record<string, unknown[]>;
  const snapshot = async () => {
    const out: Record<string, unknown[]> = {};
    for (const p of allProjections) {
      for (const t of p.tables) {
        const rows = await db.pool.any(sql.unsafe`SELECT to_jsonb(x) AS row FROM ${sql.identifier(['rm', t])} x ORDER BY key`);
        out[t] = rows.map((r) => (r as { row: unknown }).row);
      }
    }
    return out;
  };
  beforeAll(async () => {
    db = await createTestDatabase('proj_rebuild_cache');
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 100 });
    await appendAll(store, floorDay({ events: 5000, agents: 10, seed: 11 }));
    const runner = new ProjectionRunner({ pool: db.pool, store, projections: allProjections, batchSize: 200 });
    await runner.start();
    await runner.waitFor(await store.headPosition());
    await runner.stop();
    live = await snapshot();
  }, 60_000);
  afterAll(async () => {
    await store.close();
    await db.close();
  });

  it('rebuilt in one flush, the tables equal the live ones', async () => {
    expect(live.call.length).toBeGreaterThan(100);
    expect(live.agent_hour.length).toBeGreaterThan(10);
    const r = await rebuildProjections(db.pool, store, allProjections, { batchSize: 1000 });
    expect(r.events).toBeGreaterThanOrEqual(5000);
    expect(await snapshot()).toEqual(live);
  });

  it('flushing every few batches and evicting rows (misses then read back from the table) gives the same tables', async () => {
    await rebuildProjections(db.pool, store, allProjections, { batchSize: 150, flushEvery: 600, maxCachedRows: 50 });
    expect(await snapshot()).toEqual(live);
  });
});
