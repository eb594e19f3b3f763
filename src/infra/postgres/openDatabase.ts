import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DatabasePool } from 'slonik';
import type { Config } from '../../config.ts';
import { startEmbeddedPostgres, withDatabase, type EmbeddedServer } from './embedded.ts';
import { ensureDatabase, migrate } from './migrate.ts';
import { createPool } from './pool.ts';

export interface Database {
  url: string;
  pool: DatabasePool;
  /** Set when this process started the embedded server (and so stops it on close). */
  embedded?: EmbeddedServer;
  close(): Promise<void>;
}

const DB_NAME = 'callstream';

/** A server already running on this data directory (e.g. `npm start` while the CLI imports): its port, or none. */
function runningServerPort(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const [pid, , , port] = readFileSync(file, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch {
    return undefined;
  }
  return Number(port) || undefined;
}

/**
 * The database every entry point uses: `DATABASE_URL` when set; otherwise the embedded PostgreSQL under
 * `CALLSTREAM_DATA_DIR/pg`, joined if another process already runs it, started (durably) if not.
 * Migrations are applied either way.
 */
export async function openDatabase(config: Config, log: (line: string) => void = () => {}): Promise<Database> {
  let url: string;
  let embedded: EmbeddedServer | undefined;
  if (config.databaseUrl) {
    url = config.databaseUrl;
  } else {
    const dataDir = path.join(config.dataDir, 'pg');
    const port = runningServerPort(dataDir);
    let admin: string;
    if (port) {
      admin = `postgres://callstream:callstream@127.0.0.1:${port}/postgres`;
      log(`joining the embedded PostgreSQL already running on port ${port}`);
    } else {
      log(`starting embedded PostgreSQL in ${dataDir}`);
      embedded = await startEmbeddedPostgres({ dataDir, durable: true });
      admin = embedded.url;
    }
    await ensureDatabase(admin, DB_NAME);
    url = withDatabase(admin, DB_NAME);
  }
  const applied = await migrate(url);
  if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
  const pool = await createPool(url);
  return {
    url,
    pool,
    embedded,
    close: async () => {
      await pool.end();
      await embedded?.stop();
    },
  };
}
