import { randomBytes } from 'node:crypto';
import { sql, type CommonQueryMethods } from 'slonik';
import type { Projection } from './types.ts';

export function newSchemaName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** Only names the runtime itself makes are ever dropped or moved. */
export function assertRuntimeSchema(name: string): void {
  if (!/^(rm|rm_build_[a-f0-9]{10}|rm_trash_[a-f0-9]{10}|asof_[a-f0-9]{10})$/.test(name)) throw new Error(`not a projection schema: ${name}`);
}

export async function createSchemaWithTables(db: CommonQueryMethods, schema: string, projections: Projection[]): Promise<void> {
  assertRuntimeSchema(schema);
  await db.query(sql.unsafe`CREATE SCHEMA IF NOT EXISTS ${sql.identifier([schema])}`);
  for (const p of projections) for (const ddl of p.createTables(schema)) await db.query(ddl);
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
