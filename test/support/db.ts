import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { DatabasePool } from 'slonik';
import { withDatabase } from '../../src/infra/postgres/embedded.ts';
import { ensureDatabase, migrate } from '../../src/infra/postgres/migrate.ts';
import { createPool } from '../../src/infra/postgres/pool.ts';

/** A fresh, migrated database on the run's real PostgreSQL, one per test file (or per call). */
export async function createTestDatabase(label = 'test'): Promise<{ url: string; pool: DatabasePool; close(): Promise<void> }> {
  const admin = inject('databaseUrl');
  const name = `${label.replace(/\W/g, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(admin, name);
  const url = withDatabase(admin, name);
  await migrate(url);
  const pool = await createPool(url);
  return { url, pool, close: () => pool.end() };
}
