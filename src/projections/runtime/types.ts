import type { DatabaseTransactionConnection, IdentifierSqlToken, QuerySqlToken } from 'slonik';
import type { RecordedEvent } from '../../eventstore/types.ts';

/** What one committed batch changed in one table: the keys of the rows written or deleted. */
export interface TableChange {
  table: string;
  keys: string[];
}

/** Published after each committed batch: the read model now reflects the log up to `position`, which a reconnecting client passes back to resume without gaps. */
export interface ChangeNotice {
  projection: string;
  position: number;
  changes: TableChange[];
}

export interface ProjectionContext {
  /** Schema the read model is written to: 'rm' live, a shadow schema while rebuilding, an as-of schema. */
  schema: string;
  table(name: string): IdentifierSqlToken;
  /** Records a changed row for the live notice of this batch. */
  changed(table: string, key: string): void;
}

/**
 * A read model: its tables (created in whatever schema the runtime builds into) and a batch handler that
 * writes SQL in the transaction it is given. The handler must be re-runnable: slonik retries transactions.
 */
export interface Projection {
  name: string;
  /** Bump to rebuild from position 0 into shadow tables. */
  version: number;
  eventTypes: readonly string[];
  /** Unqualified table names, unique across all projections (they share the schema "rm"). */
  tables: readonly string[];
  createTables(schema: string): QuerySqlToken[];
  handle(tx: DatabaseTransactionConnection, events: RecordedEvent[], ctx: ProjectionContext): Promise<void>;
}

export const LIVE_SCHEMA = 'rm';
