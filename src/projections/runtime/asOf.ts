import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { EventStore } from '../../eventstore/types.ts';
import { attachBuildCache, BuildCache, detachBuildCache } from './buildCache.ts';
import { applyBatch } from './checkpoints.ts';
import { replay } from './replay.ts';
import { createSchemaWithTables, dropSchema, newSchemaName } from './schemas.ts';
import type { Projection } from './types.ts';

export interface AsOfRequest {
  projections: Projection[];
  /** Build up to and including this global position ... */
  position?: number;
  /** ... or up to this instant (ISO-8601), judged by when events were stored (default) or happened. */
  instant?: string;
  by?: 'recordedAt' | 'occurredAt';
  batchSize?: number;
}

export interface AsOfResult {
  schema: string;
  /** Last position applied. */
  position: number;
  events: number;
}

/**
 * Builds read models as they were at a past position or instant into a fresh schema `asof_…`. Every query
 * function takes a `schema` parameter, so the same report can be read from it. Drop it with `dropAsOf`.
 */
export async function buildAsOf(pool: DatabasePool, store: EventStore, req: AsOfRequest): Promise<AsOfResult> {
  if ((req.position === undefined) === (req.instant === undefined)) throw new TypeError('give exactly one of position or instant');
  if (req.position !== undefined && !(Number.isInteger(req.position) && req.position >= 0)) throw new TypeError(`position must be a whole number >= 0, got ${req.position}`);
  if (req.instant !== undefined && Number.isNaN(Date.parse(req.instant))) throw new TypeError(`not an ISO-8601 instant: ${req.instant}`);
  const schema = newSchemaName('asof');
  await createSchemaWithTables(pool, schema, req.projections);
  // The as-of schema is private to this build: its rows stay in memory between batches and are written behind.
  const cache = new BuildCache(schema);
  attachBuildCache(cache);
  let events = 0;
  let flushedAt = 0;
  try {
    const position = await replay(
      store,
      req.projections,
      0,
      async (batch) => {
        await pool.transaction(async (tx) => {
          await tx.query(sql.unsafe`SET LOCAL synchronous_commit = off`); // a temporary view: nothing to lose
          await applyBatch(tx, req.projections, batch, schema);
        });
        events += batch.length;
        if (events - flushedAt >= 50_000) {
          flushedAt = events;
          await cache.flush(pool); // bounds memory on a long log (clean rows are dropped past the cache's limit)
        }
      },
      { batchSize: req.batchSize, limit: { position: req.position, instant: req.instant, by: req.by } },
    );
    await cache.flush(pool);
    detachBuildCache(cache);
    const upTo = req.position !== undefined ? { position: req.position } : { instant: req.instant, by: req.by ?? 'recordedAt' };
    await pool.query(sql.unsafe`
      INSERT INTO projection_asof (schema_name, projections, up_to, position)
      VALUES (${schema}, ${sql.array(req.projections.map((p) => p.name), 'text')}, ${sql.jsonb(upTo)}, ${position})`);
    return { schema, position, events };
  } catch (e) {
    detachBuildCache(cache);
    await dropSchema(pool, schema);
    throw e;
  }
}

export async function dropAsOf(pool: DatabasePool, schema: string): Promise<void> {
  if (!schema.startsWith('asof_')) throw new Error(`not an as-of schema: ${schema}`);
  await dropSchema(pool, schema);
  await pool.query(sql.unsafe`DELETE FROM projection_asof WHERE schema_name = ${schema}`);
}

const AsOfRow = z.object({ schema_name: z.string(), projections: z.array(z.string()), up_to: z.record(z.string(), z.unknown()), position: z.number(), created_at: z.number() });

export async function listAsOf(pool: DatabasePool) {
  return pool.any(sql.type(AsOfRow)`SELECT schema_name, projections, up_to, position, created_at FROM projection_asof ORDER BY created_at`);
}

/** Drops as-of schemas older than `maxAgeMs` (auditors' views are temporary). */
export async function dropAsOfOlderThan(pool: DatabasePool, maxAgeMs: number): Promise<string[]> {
  const old = (await listAsOf(pool)).filter((r) => Date.now() - r.created_at > maxAgeMs);
  for (const r of old) await dropAsOf(pool, r.schema_name);
  return old.map((r) => r.schema_name);
}
