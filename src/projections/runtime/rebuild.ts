import { sql, type DatabasePool } from 'slonik';
import type { EventStore } from '../../eventstore/types.ts';
import { applyBatch, readCheckpoints } from './checkpoints.ts';
import { replay } from './replay.ts';
import { createSchemaWithTables, dropSchema, moveTables, newSchemaName } from './schemas.ts';
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
}

export interface RebuildResult {
  projections: string[];
  position: number;
  events: number;
  ms: number;
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
  await createSchemaWithTables(pool, shadow, projections);
  let events = 0;
  try {
    const head = await store.headPosition();
    const report = (position: number, phase: RebuildProgress['phase']) => opts.onProgress?.({ projections: names, position, head, events, phase });
    const onBatch = async (batch: Parameters<typeof applyBatch>[2]) => {
      await pool.transaction((tx) => applyBatch(tx, projections, batch, shadow));
      events += batch.length;
      report(batch[batch.length - 1].position, 'building');
    };
    let position = await replay(store, projections, 0, onBatch, { batchSize: opts.batchSize });
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
