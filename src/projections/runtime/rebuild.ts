import { sql, type DatabasePool, type DatabaseTransactionConnection } from 'slonik';
import type { EventStore, RecordedEvent } from '../../eventstore/types.ts';
import { attachBuildCache, BuildCache, detachBuildCache } from './buildCache.ts';
import { applyBatch, readCheckpoints } from './checkpoints.ts';
import { createContext } from './context.ts';
import { replay } from './replay.ts';
import { createSchemaWithTables, dropSchema, finishShadowTables, moveTables, newSchemaName } from './schemas.ts';
import { LIVE_SCHEMA, type Projection } from './types.ts';

export interface RebuildProgress {
  projections: string[];
  position: number;
  head: number;
  events: number;
  phase: 'building' | 'swapping' | 'done';
}

export interface RebuildOptions {
  onProgress?: (p: RebuildProgress) => void;
  batchSize?: number;
  /** Events between writes of the in-memory rows to the shadow tables (default 50,000). */
  flushEvery?: number;
  /** Rows kept in memory after a flush before the clean ones are dropped (default 1,000,000: about 1 GB of heap). */
  maxCachedRows?: number;
  /**
   * Fill the shadow tables unlogged and make them durable at the end (default false: with rows written behind,
   * each row reaches the log about once anyway, and SET LOGGED would copy every table a second time).
   */
  unlogged?: boolean;
}

export interface RebuildResult {
  projections: string[];
  position: number;
  events: number;
  ms: number;
}

/** A shadow build is thrown away on a crash, so its commits need not wait for the disk. */
async function buildStep(tx: DatabaseTransactionConnection, p: Projection, events: RecordedEvent[], schema: string): Promise<void> {
  await tx.query(sql.unsafe`SET LOCAL synchronous_commit = off`);
  await p.handle(tx, events, createContext(schema)); // `events` are already this projection's types
}

export function selectProjections(all: Projection[], target: string | string[] | 'all'): Projection[] {
  if (target === 'all') return all;
  const names = Array.isArray(target) ? target : [target];
  return names.map((n) => {
    const p = all.find((x) => x.name === n);
    if (!p) throw new Error(`unknown projection "${n}"; known: ${all.map((x) => x.name).join(', ')}`);
    return p;
  });
}

/**
 * Rebuilds projections from position 0 into a shadow schema while the live tables keep serving, then
 * swaps them in. The swap locks the checkpoint rows (live batches wait), applies what was appended
 * meanwhile, moves the tables and stores the new version and position in one transaction.
 */
export async function rebuildProjections(pool: DatabasePool, store: EventStore, projections: Projection[], opts: RebuildOptions = {}): Promise<RebuildResult> {
  const started = Date.now();
  const names = projections.map((p) => p.name);
  const shadow = newSchemaName('rm_build');
  const unlogged = opts.unlogged ?? false;
  const indexes = await createSchemaWithTables(pool, shadow, projections, { deferIndexes: true, unlogged });
  const cache = new BuildCache(shadow, { maxRows: opts.maxCachedRows });
  attachBuildCache(cache);
  const flushEvery = opts.flushEvery ?? 50_000;
  let unflushed = 0;
  let events = 0;
  try {
    const head = await store.headPosition();
    const report = (position: number, phase: RebuildProgress['phase']) => opts.onProgress?.({ projections: names, position, head, events, phase });
    // Each projection applies its batches in order on its own connection, so one projection's SQL runs while
    // another's documents are folded in JavaScript and the next batch is read. Two batches in flight at most.
    const chains = new Map<string, Promise<void>>(projections.map((p) => [p.name, Promise.resolve()]));
    const inFlight: Promise<void>[] = [];
    const onBatch = async (batch: RecordedEvent[]) => {
      if (unflushed >= flushEvery) {
        // Every batch so far is folded in; the write runs in PostgreSQL while the next batches fold here.
        await Promise.all(inFlight.splice(0));
        void cache.flush(pool).catch(() => {}); // awaited (and its error thrown) by the next flush
        unflushed = 0;
      }
      unflushed += batch.length;
      const steps = projections.map((p) => {
        const types = new Set(p.eventTypes);
        const mine = batch.filter((e) => types.has(e.type));
        const next = chains.get(p.name)!.then(() => (mine.length ? pool.transaction((tx) => buildStep(tx, p, mine, shadow)) : undefined));
        chains.set(p.name, next);
        return next;
      });
      const done = Promise.all(steps).then(() => {
        events += batch.length;
        report(batch[batch.length - 1].position, 'building');
      });
      done.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
      inFlight.push(done);
      if (inFlight.length >= 2) await inFlight.shift();
    };
    let position = await replay(store, projections, 0, onBatch, { batchSize: opts.batchSize ?? 10_000 });
    await Promise.all(inFlight);
    await cache.flush(pool);
    detachBuildCache(cache);
    await finishShadowTables(pool, projections, shadow, indexes, { unlogged });
    report(position, 'swapping');
    await pool.transaction(async (tx) => {
      await tx.query(sql.unsafe`SELECT name FROM projection_checkpoints WHERE name = ANY(${sql.array(names, 'text')}) ORDER BY name FOR UPDATE`);
      position = await replay(store, projections, position, (batch) => applyBatch(tx, projections, batch, shadow), { batchSize: opts.batchSize });
      const trash = newSchemaName('rm_trash');
      await tx.query(sql.unsafe`CREATE SCHEMA ${sql.identifier([trash])}`);
      for (const p of projections) {
        await moveTables(tx, p, LIVE_SCHEMA, trash);
        await moveTables(tx, p, shadow, LIVE_SCHEMA);
        await tx.query(sql.unsafe`
          INSERT INTO projection_checkpoints (name, version, position) VALUES (${p.name}, ${p.version}, ${position})
          ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, position = EXCLUDED.position, updated_at = now()`);
      }
      await dropSchema(tx, trash);
    });
    report(position, 'done');
    return { projections: names, position, events, ms: Date.now() - started };
  } finally {
    detachBuildCache(cache);
    await dropSchema(pool, shadow);
  }
}

/**
 * Makes each projection ready to run live: creates its tables and checkpoint the first time, and
 * rebuilds (shadow, then swap) those whose stored version differs from the code's.
 */
export async function ensureProjections(pool: DatabasePool, store: EventStore, projections: Projection[], opts: RebuildOptions = {}): Promise<string[]> {
  const stored = await readCheckpoints(pool, projections.map((p) => p.name));
  const fresh = projections.filter((p) => !stored.has(p.name));
  if (fresh.length) {
    await pool.transaction(async (tx) => {
      await createSchemaWithTables(tx, LIVE_SCHEMA, fresh);
      for (const p of fresh) {
        await tx.query(sql.unsafe`INSERT INTO projection_checkpoints (name, version, position) VALUES (${p.name}, ${p.version}, 0) ON CONFLICT (name) DO NOTHING`);
      }
    });
  }
  const stale = projections.filter((p) => stored.has(p.name) && stored.get(p.name)!.version !== p.version);
  if (stale.length) await rebuildProjections(pool, store, stale, opts);
  return stale.map((p) => p.name);
}
