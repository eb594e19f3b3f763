import { randomBytes } from 'node:crypto';
import { sql, type CommonQueryMethods, type DatabasePool, type QuerySqlToken } from 'slonik';
import type { Projection } from './types.ts';

export function newSchemaName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** Only names the runtime itself makes are ever dropped or moved. */
export function assertRuntimeSchema(name: string): void {
  if (!/^(rm|rm_build_[a-f0-9]{10}|rm_trash_[a-f0-9]{10}|asof_[a-f0-9]{10})$/.test(name)) throw new Error(`not a projection schema: ${name}`);
}

/**
 * Creates the projections' tables in a schema. With `deferIndexes`, secondary indexes are returned instead of
 * created: a rebuild fills the tables first and indexes them once at the end, which is much cheaper than
 * maintaining every index row by row.
 */
export async function createSchemaWithTables(
  db: CommonQueryMethods,
  schema: string,
  projections: Projection[],
  opts: { deferIndexes?: boolean; unlogged?: boolean } = {},
): Promise<QuerySqlToken[]> {
  assertRuntimeSchema(schema);
  await db.query(sql.unsafe`CREATE SCHEMA IF NOT EXISTS ${sql.identifier([schema])}`);
  const deferred: QuerySqlToken[] = [];
  for (const p of projections) {
    for (const ddl of p.createTables(schema)) {
      if (opts.deferIndexes && /^\s*CREATE\s+INDEX/i.test(ddl.sql)) deferred.push(ddl);
      else if (opts.unlogged) await db.query({ ...ddl, sql: ddl.sql.replace(/^\s*CREATE\s+TABLE/i, 'CREATE UNLOGGED TABLE') });
      else await db.query(ddl);
    }
  }
  return deferred;
}

export async function dropSchema(db: CommonQueryMethods, schema: string): Promise<void> {
  assertRuntimeSchema(schema);
  if (schema === 'rm') throw new Error('the live schema is never dropped');
  await db.query(sql.unsafe`DROP SCHEMA IF EXISTS ${sql.identifier([schema])} CASCADE`);
}

/** Moves a projection's tables from one schema to another (indexes and constraints follow). */
export async function moveTables(db: CommonQueryMethods, p: Projection, from: string, to: string): Promise<void> {
  for (const t of p.tables) await db.query(sql.unsafe`ALTER TABLE IF EXISTS ${sql.identifier([from, t])} SET SCHEMA ${sql.identifier([to])}`);
}

/**
 * The end of a shadow build: each table made durable (if it was filled unlogged) and then indexed. Tables are
 * independent, so two are done at a time: the server works on both cores while nothing else runs.
 */
export async function finishShadowTables(
  pool: DatabasePool,
  projections: Projection[],
  schema: string,
  indexes: QuerySqlToken[],
  opts: { unlogged: boolean; parallel?: number },
): Promise<void> {
  const tables = projections.flatMap((p) => p.tables);
  const indexesOf = (t: string) => indexes.filter((ddl) => new RegExp(`\\sON\\s+"${schema}"\\."${t}"[\\s(]`).test(ddl.sql));
  const unmatched = indexes.filter((ddl) => !tables.some((t) => indexesOf(t).includes(ddl)));
  const queue = tables.map((t) => async () => {
    if (opts.unlogged) await pool.query(sql.unsafe`ALTER TABLE ${sql.identifier([schema, t])} SET LOGGED`);
    for (const ddl of indexesOf(t)) await pool.query(ddl);
  });
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await job();
  };
  await Promise.all(Array.from({ length: opts.parallel ?? 2 }, worker));
  for (const ddl of unmatched) await pool.query(ddl);
}
