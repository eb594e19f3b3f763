import { sql, type DatabaseTransactionConnection, type IdentifierSqlToken } from 'slonik';
import { buildCacheFor } from './buildCache.ts';

/**
 * Batch helpers for the two table shapes read models use:
 * - document tables `(key text PRIMARY KEY, doc jsonb)`: load the touched rows once, fold the batch in memory
 *   with a pure evolve, write back once;
 * - counter tables `(key text PRIMARY KEY, dims jsonb, counters jsonb)`: add the batch's deltas, one read and one upsert.
 * Generated columns on `doc`/`dims` give indexed, searchable columns without extra writes.
 */

/** A plain document table, keyed rows of one jsonb document each (no generated columns, no index beyond the key). */
export const docTable = (schema: string, name: string) =>
  sql.unsafe`CREATE TABLE IF NOT EXISTS ${sql.identifier([schema, name])} (key text PRIMARY KEY, doc jsonb NOT NULL)`;

export async function loadDocs<D>(tx: DatabaseTransactionConnection, table: IdentifierSqlToken, keys: Iterable<string>): Promise<Map<string, D>> {
  const list = [...new Set(keys)];
  const docs = new Map<string, D>();
  if (!list.length) return docs;
  const cache = buildCacheFor(table);
  if (cache) return cache.get<D>(tx, table, list, 'doc');
  const rows = await tx.any(sql.unsafe`SELECT key, doc FROM ${table} WHERE key = ANY(${sql.array(list, 'text')})`);
  for (const r of rows as readonly { key: string; doc: D }[]) docs.set(r.key, r.doc);
  return docs;
}

/** Writes the docs of `dirty` keys; a key whose doc is missing from `docs` is deleted. */
export async function saveDocs<D>(tx: DatabaseTransactionConnection, table: IdentifierSqlToken, docs: Map<string, D>, dirty: Iterable<string>): Promise<void> {
  const upserts: { key: string; doc: D }[] = [];
  const deletes: string[] = [];
  const cache = buildCacheFor(table);
  if (cache) {
    for (const key of new Set(dirty)) cache.set(table, key, docs.get(key));
    return;
  }
  for (const key of new Set(dirty)) {
    const doc = docs.get(key);
    if (doc === undefined) deletes.push(key);
    else upserts.push({ key, doc });
  }
  if (upserts.length) {
    await tx.query(sql.unsafe`
      INSERT INTO ${table} (key, doc)
      SELECT key, doc FROM jsonb_to_recordset(${sql.jsonb(upserts)}) AS x(key text, doc jsonb)
      ON CONFLICT (key) DO UPDATE SET doc = EXCLUDED.doc`);
  }
  if (deletes.length) await tx.query(sql.unsafe`DELETE FROM ${table} WHERE key = ANY(${sql.array(deletes, 'text')})`);
}

export type Counters = Record<string, number>;

/** Accumulates counter deltas per key in memory during a batch. */
export class CounterBatch {
  readonly rows = new Map<string, { dims: Record<string, string>; counters: Counters }>();

  add(dims: Record<string, string>, counters: Counters): string {
    // Called several times per event in a rebuild: plain loops, no intermediate arrays.
    let key = '';
    for (const d in dims) key = key ? `${key}|${dims[d]}` : dims[d];
    let row = this.rows.get(key);
    if (!row) this.rows.set(key, (row = { dims, counters: {} }));
    for (const k in counters) {
      const v = counters[k];
      if (v) row.counters[k] = (row.counters[k] ?? 0) + v;
    }
    return key;
  }

  /** Adds the deltas to the stored rows: read, add in JavaScript, write back (cheaper than merging in SQL). */
  async save(tx: DatabaseTransactionConnection, table: IdentifierSqlToken): Promise<string[]> {
    const keys = [...this.rows].filter(([, r]) => Object.keys(r.counters).length).map(([key]) => key);
    if (!keys.length) return [];
    const cache = buildCacheFor(table);
    if (cache) {
      const cached = await cache.get<{ counters: Counters }>(tx, table, keys, 'counters');
      for (const key of keys) {
        const r = this.rows.get(key)!;
        const counters: Counters = { ...cached.get(key)?.counters };
        for (const [k, v] of Object.entries(r.counters)) counters[k] = (counters[k] ?? 0) + v;
        cache.set(table, key, { dims: r.dims, counters }, true);
      }
      return keys;
    }
    const stored = await tx.any(sql.unsafe`SELECT key, counters FROM ${table} WHERE key = ANY(${sql.array(keys, 'text')})`);
    const before = new Map((stored as readonly { key: string; counters: Counters }[]).map((r) => [r.key, r.counters]));
    const rows = keys.map((key) => {
      const r = this.rows.get(key)!;
      const counters: Counters = { ...before.get(key) };
      for (const [k, v] of Object.entries(r.counters)) counters[k] = (counters[k] ?? 0) + v;
      return { key, dims: r.dims, counters };
    });
    await tx.query(sql.unsafe`
      INSERT INTO ${table} (key, dims, counters)
      SELECT key, dims, counters FROM jsonb_to_recordset(${sql.jsonb(rows)}) AS x(key text, dims jsonb, counters jsonb)
      ON CONFLICT (key) DO UPDATE SET counters = EXCLUDED.counters`);
    return keys;
  }
}

/** Hour bucket of an ISO instant, UTC: 'YYYY-MM-DDTHH'. Periods are queried as ranges of buckets. */
export function hourOf(iso: string): string {
  return iso.slice(0, 13);
}
