import { loadConfig, type Config } from '../config.ts';
import { PostgresEventStore } from '../eventstore/postgres/postgresEventStore.ts';
import type { EventStore } from '../eventstore/types.ts';
import { openDatabase, type Database } from '../infra/postgres/openDatabase.ts';

export interface CliContext {
  config: Config;
  db: Database;
  store: EventStore;
  close(): Promise<void>;
}

/**
 * The same store `npm start` uses: DATABASE_URL, or the embedded PostgreSQL under CALLSTREAM_DATA_DIR —
 * joined when the server already runs it, started (and stopped again afterwards) when it does not.
 * Events go to EventStoreDB instead when EVENTSTORE_URL is set.
 */
export async function openCli(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<CliContext> {
  const config = loadConfig();
  const db = await openDatabase(config, log);
  let store: EventStore;
  try {
    if (config.eventStoreUrl) {
      const { EsdbEventStore } = await import('../eventstore/esdb/esdbEventStore.ts');
      store = await EsdbEventStore.connect(config.eventStoreUrl);
    } else {
      store = await PostgresEventStore.connect(db.url);
    }
  } catch (e) {
    await db.close();
    throw e;
  }
  return {
    config,
    db,
    store,
    close: async () => {
      await store.close();
      await db.close();
    },
  };
}
