import { sql, type CommonQueryMethods, type DatabasePool, type IdentifierSqlToken } from 'slonik';

/**
 * Rows of a schema being rebuilt, held in memory between batches (write-behind).
 *
 * A shadow schema belongs to one rebuild and starts empty, so the rows it holds are exactly those written so
 * far: a batch reads its documents from here instead of SELECTing them, and a row updated by many events is
 * written once per flush instead of once per batch. After a flush the clean rows may be evicted to bound
 * memory; from then on a miss falls back to the table. A crash loses the shadow build, which restarts.
 */
export class BuildCache {
  readonly schema: string;
  /** table -> key -> row (a document, or `{ dims, counters }` for counter tables); undefined = deleted. */
  private readonly rows = new Map<string, Map<string, unknown>>();
  private readonly dirty = new Map<string, Set<string>>();
  private readonly counterTables = new Set<string>();
  private size = 0;
  /** Rows were evicted: a miss may be in the table. */
  private evicted = false;
  private pending: Promise<void> = Promise.resolve();
  private readonly tablePending = new Map<string, Promise<void>>();
  private readonly maxRows: number;

  constructor(schema: string, opts: { maxRows?: number } = {}) {
    this.schema = schema;
    this.maxRows = opts.maxRows ?? 1_000_000;
  }

  private tableOf(table: IdentifierSqlToken): string | undefined {
    return table.names.length === 2 && table.names[0] === this.schema ? table.names[1] : undefined;
  }

  private mapOf(name: string): Map<string, unknown> {
    let m = this.rows.get(name);
    if (!m) this.rows.set(name, (m = new Map()));
    return m;
  }

  /** Cached rows for `keys`, reading misses from the table only once rows have been evicted. */
  async get<R>(db: CommonQueryMethods, table: IdentifierSqlToken, keys: string[], columns: 'doc' | 'counters'): Promise<Map<string, R>> {
    const name = this.tableOf(table)!;
    const m = this.mapOf(name);
    const out = new Map<string, R>();
    const misses: string[] = [];
    for (const k of keys) {
      if (m.has(k)) {
        const row = m.get(k);
        if (row !== undefined) out.set(k, row as R);
      } else misses.push(k);
    }
    if (misses.length && this.evicted) {
      await this.pending; // the evicted rows are in the table once their flush committed
      const found = columns === 'doc'
        ? await db.any(sql.unsafe`SELECT key, doc AS row FROM ${table} WHERE key = ANY(${sql.array(misses, 'text')})`)
        : await db.any(sql.unsafe`SELECT key, jsonb_build_object('dims', dims, 'counters', counters) AS row FROM ${table} WHERE key = ANY(${sql.array(misses, 'text')})`);
      for (const r of found as readonly { key: string; row: R }[]) {
        m.set(r.key, r.row);
        this.size++;
        out.set(r.key, r.row);
      }
    }
    return out;
  }

  /** Stores a row (undefined deletes it); written at the next flush. */
  set(table: IdentifierSqlToken, key: string, row: unknown, counters = false): void {
    const name = this.tableOf(table)!;
    const m = this.mapOf(name);
    if (!m.has(key)) this.size++;
    m.set(key, row);
    let d = this.dirty.get(name);
    if (!d) this.dirty.set(name, (d = new Set()));
    d.add(key);
    if (counters) this.counterTables.add(name);
  }

  holds(table: IdentifierSqlToken): boolean {
    return this.tableOf(table) !== undefined;
  }

  /**
   * Writes every dirty row. The rows are serialised before this returns, so batches may go on changing the
   * cache while the write runs; flushes commit in order.
   */
  flush(pool: DatabasePool, chunk = 5000): Promise<void> {
    const writes: { table: string; counters: boolean; upserts: string[]; deletes: string[] }[] = [];
    for (const [name, keys] of this.dirty) {
      const m = this.rows.get(name)!;
      const counters = this.counterTables.has(name);
      const upserts: string[] = [];
      const deletes: string[] = [];
      let part: unknown[] = [];
      for (const key of keys) {
        const row = m.get(key);
        if (row === undefined) {
          // Once the delete is written, "not cached" and "not in the table" agree: forget the key.
          deletes.push(key);
          m.delete(key);
          this.size--;
        } else part.push(counters ? { key, ...(row as object) } : { key, doc: row });
        if (part.length >= chunk) {
          upserts.push(JSON.stringify(part));
          part = [];
        }
      }
      if (part.length) upserts.push(JSON.stringify(part));
      writes.push({ table: name, counters, upserts, deletes });
    }
    this.dirty.clear();
    if (this.size > this.maxRows) {
      this.rows.clear();
      this.size = 0;
      this.evicted = true;
    }
    // One transaction per table, tables in parallel (the server has cores the fold does not use); a table's
    // flushes commit in order.
    const done = writes.map((w) => {
      const previous = this.tablePending.get(w.table) ?? Promise.resolve();
      const next = previous.then(() => writeTable(pool, sql.identifier([this.schema, w.table]), w));
      this.tablePending.set(w.table, next);
      return next;
    });
    this.pending = Promise.all([this.pending, ...done]).then(() => {});
    return this.pending;
  }
}

interface TableWrite {
  counters: boolean;
  upserts: string[];
  deletes: string[];
}

async function writeTable(pool: DatabasePool, t: IdentifierSqlToken, w: TableWrite): Promise<void> {
  await pool.transaction(async (tx) => {
    await tx.query(sql.unsafe`SET LOCAL synchronous_commit = off`);
    for (const json of w.upserts) {
      await tx.query(
        w.counters
          ? sql.unsafe`INSERT INTO ${t} (key, dims, counters) SELECT key, dims, counters FROM jsonb_to_recordset(${json}::jsonb) AS x(key text, dims jsonb, counters jsonb)
              ON CONFLICT (key) DO UPDATE SET counters = EXCLUDED.counters`
          : sql.unsafe`INSERT INTO ${t} (key, doc) SELECT key, doc FROM jsonb_to_recordset(${json}::jsonb) AS x(key text, doc jsonb)
              ON CONFLICT (key) DO UPDATE SET doc = EXCLUDED.doc`,
      );
    }
    if (w.deletes.length) await tx.query(sql.unsafe`DELETE FROM ${t} WHERE key = ANY(${sql.array(w.deletes, 'text')})`);
  });
}

const caches = new Map<string, BuildCache>();

/** Rows written to `schema` stay in memory until flushed (see BuildCache); only for a schema no one else writes. */
export function attachBuildCache(cache: BuildCache): void {
  caches.set(cache.schema, cache);
}

export function detachBuildCache(cache: BuildCache): void {
  if (caches.get(cache.schema) === cache) caches.delete(cache.schema);
}

export function buildCacheFor(table: IdentifierSqlToken): BuildCache | undefined {
  return table.names.length === 2 ? caches.get(table.names[0]) : undefined;
}
