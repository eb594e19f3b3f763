import { createTestDatabase } from '../support/db.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { eventStoreContract } from './contract.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
eventStoreContract(
  'postgres',
  async () => {
    db = await createTestDatabase('es_contract');
    return PostgresEventStore.connect(db.url);
  },
  () => db.close(),
);
