import type { Config } from '../config.ts';
import { PostgresEventStore } from './postgres/postgresEventStore.ts';
import type { EventStore } from './types.ts';

/** EventStoreDB when `EVENTSTORE_URL` is set, else the PostgreSQL event store in the given database. */
export async function openEventStore(config: Config, databaseUrl: string): Promise<EventStore> {
  if (config.eventStoreUrl) {
    const { EsdbEventStore } = await import('./esdb/esdbEventStore.ts');
    return EsdbEventStore.connect(config.eventStoreUrl);
  }
  return PostgresEventStore.connect(databaseUrl);
}
