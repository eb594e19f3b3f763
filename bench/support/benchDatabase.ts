import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, withDatabase, type EmbeddedServer } from '../../src/infra/postgres/embedded.ts';
import { ensureDatabase, migrate } from '../../src/infra/postgres/migrate.ts';

export interface BenchDatabase {
  url: string;
  label: string;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one benchmark run: a new database on `DATABASE_URL` when set (dropped at
 * the end), else a durable embedded PostgreSQL in a temporary directory (removed at the end).
 */
export async function openBenchDatabase(log: (line: string) => void): Promise<BenchDatabase> {
  const name = `callstream_bench_${randomBytes(4).toString('hex')}`;
  if (process.env.DATABASE_URL) {
    const admin = process.env.DATABASE_URL;
    await ensureDatabase(admin, name);
    const url = withDatabase(admin, name);
    await migrate(url);
    const drop = async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}"`).finally(() => c.end());
    };
    return { url, label: 'DATABASE_URL', close: drop };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'callstream-bench-'));
  await chmod(dir, 0o755); // as root the server runs as the postgres user, which must reach its data dir
  log(`starting embedded PostgreSQL (durable) in ${dir}`);
  let server: EmbeddedServer | undefined;
  try {
    server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), durable: true });
    await ensureDatabase(server.url, name);
    const url = withDatabase(server.url, name);
    await migrate(url);
    const s = server;
    // An interrupted run must not leave a postmaster behind.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void s.stop().finally(() => process.exit(130)));
    return { url, label: 'embedded (durable)', close: async () => (await s.stop(), await rm(dir, { recursive: true, force: true })) };
  } catch (e) {
    await server?.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
