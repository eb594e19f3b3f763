/**
 * The event store port. Two adapters implement it (PostgreSQL, EventStoreDB) and pass one contract suite.
 *
 * Revisions are ours, not EventStoreDB's: an event's `revision` is its 1-based place in its stream, and a
 * stream's version is its event count (0 = no stream). Global positions are integers, increasing along the log.
 */

export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  actorId?: string;
  actorRole?: string;
  commandId?: string;
  /** ISO-8601 instant the fact happened in the world (not when it was stored). */
  occurredAt?: string;
  schemaVersion?: number;
  [key: string]: unknown;
}

export interface NewEvent<T extends string = string, D = Record<string, unknown>> {
  /** Idempotency key: appending an event id that is already stored writes nothing again. */
  id?: string;
  type: T;
  data: D;
  metadata?: EventMetadata;
}

export interface RecordedEvent<T extends string = string, D = Record<string, unknown>> {
  id: string;
  streamId: string;
  revision: number;
  position: number;
  type: T;
  data: D;
  metadata: EventMetadata;
  recordedAt: string;
  /** Hash of the previous event of this stream ('' for the first) and of this one: the tamper-evidence chain. */
  prevHash: string;
  hash: string;
}

export type ExpectedRevision = 'any' | 'no-stream' | 'stream-exists' | number;

export interface AppendResult {
  /** The stream's version after the append (its event count). */
  nextRevision: number;
  /** Global position of the last event appended (or found, for an idempotent repeat). */
  position: number;
  /** False when every event id was already stored: nothing was written. */
  written: boolean;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Revision to start from (inclusive). Forwards default 1, backwards default the last. */
  fromRevision?: number;
  maxCount?: number;
}

export interface LogFilter {
  streamPrefix?: string | string[];
  eventTypes?: string[];
}

export interface ReadAllOptions {
  /** Read events strictly after this position; 0 reads from the start. */
  after?: number;
  maxCount?: number;
  filter?: LogFilter;
}

export interface Subscription {
  /** Stops delivery; resolves once no handler call is running. */
  stop(): Promise<void>;
  /** Resolves when the subscription failed for good (the handler threw, or the store closed). */
  readonly done: Promise<void>;
}

export interface SubscribeOptions {
  after?: number;
  filter?: LogFilter;
  /** Events are handed over in batches of at most this many (default 500). */
  batchSize?: number;
  /** Called with the position reached whenever the subscription is caught up with the log. */
  onCaughtUp?: (position: number) => void;
}

export interface EventStore {
  append(streamId: string, events: NewEvent[], expected?: ExpectedRevision): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch-up then live, in log order, no gap and no duplicate. The handler is awaited before the next batch. */
  subscribe(handler: (events: RecordedEvent[]) => Promise<void> | void, options?: SubscribeOptions): Subscription;
  /** Position of the last event in the log (0 when empty). */
  headPosition(): Promise<number>;
  close(): Promise<void>;
}
