import { sql, type CommonQueryMethods, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import type { RecordedEvent } from '../../eventstore/types.ts';
import { createContext } from './context.ts';
import type { ChangeNotice, Projection } from './types.ts';

const Checkpoint = z.object({ name: z.string(), version: z.number(), position: z.number() });
export type Checkpoint = z.infer<typeof Checkpoint>;

export async function readCheckpoints(db: CommonQueryMethods, names: string[]): Promise<Map<string, Checkpoint>> {
  const rows = await db.any(sql.type(Checkpoint)`SELECT name, version, position FROM projection_checkpoints WHERE name = ANY(${sql.array(names, 'text')})`);
  return new Map(rows.map((r) => [r.name, r]));
}

/** Thrown inside a batch when another process swapped in a different version of the projection. */
export class ProjectionSupersededError extends Error {
  readonly projection: string;
  constructor(projection: string, stored: number, mine: number) {
    super(`projection ${projection} is now at version ${stored}; this runner has version ${mine} and stops`);
    this.projection = projection;
  }
}

/**
 * Applies one batch to each projection and moves its checkpoint, all in the caller's transaction. The
 * checkpoint rows are locked first, and events at or before a projection's checkpoint are skipped: a batch
 * delivered twice (restart, second runner) has no second effect.
 */
export async function applyBatchWithCheckpoints(
  tx: DatabaseTransactionConnection,
  projections: Projection[],
  events: RecordedEvent[],
  schema: string,
): Promise<ChangeNotice[]> {
  const locked = await tx.any(
    sql.type(Checkpoint)`SELECT name, version, position FROM projection_checkpoints WHERE name = ANY(${sql.array(projections.map((p) => p.name), 'text')}) ORDER BY name FOR UPDATE`,
  );
  const byName = new Map(locked.map((r) => [r.name, r]));
  const notices: ChangeNotice[] = [];
  const advanced: string[] = [];
  const last = events[events.length - 1].position;
  for (const p of projections) {
    const cp = byName.get(p.name);
    if (!cp) throw new Error(`projection ${p.name} has no checkpoint row: initialise it before running`);
    if (cp.version !== p.version) throw new ProjectionSupersededError(p.name, cp.version, p.version);
    const types = new Set(p.eventTypes);
    const mine = events.filter((e) => e.position > cp.position && types.has(e.type));
    if (last <= cp.position) continue;
    const ctx = createContext(schema);
    if (mine.length) await p.handle(tx, mine, ctx);
    advanced.push(p.name);
    const changes = ctx.changes();
    if (changes.length) notices.push({ projection: p.name, position: last, changes });
  }
  if (advanced.length) {
    await tx.query(sql.unsafe`UPDATE projection_checkpoints SET position = ${last}, updated_at = now() WHERE name = ANY(${sql.array(advanced, 'text')})`);
  }
  return notices;
}

/** Applies a batch to a schema with no checkpoint (shadow and as-of builds track their position in memory). */
export async function applyBatch(tx: DatabaseTransactionConnection, projections: Projection[], events: RecordedEvent[], schema: string): Promise<void> {
  for (const p of projections) {
    const types = new Set(p.eventTypes);
    const mine = events.filter((e) => types.has(e.type));
    if (mine.length) await p.handle(tx, mine, createContext(schema));
  }
}
