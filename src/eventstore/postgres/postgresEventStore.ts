import pg from 'pg';
import { DuplicateEventIdError, EventStoreUnavailableError, WrongExpectedRevisionError } from '../errors.ts';
import { eventHash } from '../hashChain.ts';
import { isUuid, newId } from '../ids.ts';
import { noUpcast, type Upcaster } from '../upcasting.ts';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  LogFilter,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../types.ts';
import { LogWatcher } from './logWatcher.ts';

/** Every appender in every process takes this lock, so positions become visible strictly in order. */
const APPEND_LOCK = 7421002;
export const EVENTS_CHANNEL = 'callstream_events';
const MAX_BATCH_REQUESTS = 256;

interface Pending {
  streamId: string;
  events: NewEvent[];
  expected: ExpectedRevision;
  resolve(r: AppendResult): void;
  reject(e: unknown): void;
}

type Row = {
  position: string;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: any;
  metadata: any;
  recorded_at: Date;
  prev_hash: string;
  hash: string;
};

const COLUMNS = 'position, event_id, stream_id, revision, type, data, metadata, recorded_at, prev_hash, hash';

export interface PostgresEventStoreOptions {
  upcast?: Upcaster;
  poolSize?: number;
  /** Safety net under LISTEN/NOTIFY: subscriptions also look for new events this often. */
  pollIntervalMs?: number;
}

/**
 * The PostgreSQL adapter of the event store port.
 *
 * Appends from one process are grouped: a single writer takes every queued append, checks each one's
 * expected revision under the global append lock, writes them all in one transaction and one INSERT,
 * and NOTIFYs subscribers. Group commit keeps throughput high although commits are serialised.
 */
export class PostgresEventStore implements EventStore {
  private readonly queue: Pending[] = [];
  private writing = false;
  private closed = false;
  private readonly upcast: Upcaster;
  private readonly watcher: LogWatcher;

  private readonly pool: pg.Pool;

  private constructor(pool: pg.Pool, url: string, opts: PostgresEventStoreOptions) {
    this.pool = pool;
    this.upcast = opts.upcast ?? noUpcast;
    this.watcher = new LogWatcher(url, EVENTS_CHANNEL, opts.pollIntervalMs ?? 1000);
  }

  static async connect(url: string, opts: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 8 });
    pool.on('error', () => {}); // an idle client's socket error must not crash the process; the next query reports it
    await pool.query('SELECT 1 FROM events LIMIT 0');
    return new PostgresEventStore(pool, url, opts);
  }

  append(streamId: string, events: NewEvent[], expected: ExpectedRevision = 'any'): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreUnavailableError('event store is closed'));
    if (!streamId) return Promise.reject(new TypeError('streamId is required'));
    if (events.length === 0) return Promise.reject(new TypeError('append needs at least one event'));
    for (const e of events) {
      if (e.id !== undefined && !isUuid(e.id)) return Promise.reject(new TypeError(`event id must be a UUID, got "${e.id}"`));
      if (!e.type) return Promise.reject(new TypeError('event type is required'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ streamId, events, expected, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH_REQUESTS);
        try {
          await this.writeBatch(batch);
        } catch (e) {
          // One bad append must not fail its neighbours: retry them one by one, each reporting its own error.
          if (batch.length === 1) batch[0].reject(e);
          else for (const p of batch) await this.writeBatch([p]).catch(p.reject);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    const client = await this.pool.connect();
    const outcomes: (() => void)[] = [];
    let released = false;
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
      const streamIds = [...new Set(batch.map((p) => p.streamId))];
      const heads = new Map<string, { version: number; lastHash: string }>();
      for (const r of (await client.query('SELECT stream_id, version, last_hash FROM streams WHERE stream_id = ANY($1)', [streamIds])).rows) {
        heads.set(r.stream_id, { version: r.version, lastHash: r.last_hash });
      }
      const givenIds = batch.flatMap((p) => p.events.map((e) => e.id).filter((id): id is string => !!id));
      const stored = new Map<string, { streamId: string; position: number; revision: number }>();
      if (givenIds.length) {
        for (const r of (await client.query('SELECT event_id, stream_id, position, revision FROM events WHERE event_id = ANY($1::uuid[])', [givenIds])).rows) {
          stored.set(r.event_id, { streamId: r.stream_id, position: Number(r.position), revision: r.revision });
        }
      }

      const rows: { id: string; streamId: string; revision: number; type: string; data: unknown; metadata: unknown; prevHash: string; hash: string }[] = [];
      const owners: { pending: Pending; first: number; count: number; nextRevision: number }[] = [];
      const idsInBatch = new Set<string>();
      for (const p of batch) {
        const head = heads.get(p.streamId) ?? { version: 0, lastHash: '' };
        const known = p.events.filter((e) => e.id && stored.has(e.id.toLowerCase()));
        if (known.length === p.events.length) {
          const found = known.map((e) => stored.get(e.id!.toLowerCase())!);
          if (found.every((f) => f.streamId === p.streamId)) {
            const result = { nextRevision: Math.max(...found.map((f) => f.revision)), position: Math.max(...found.map((f) => f.position)), written: false };
            outcomes.push(() => p.resolve(result));
            continue;
          }
        }
        if (known.length) {
          outcomes.push(() => p.reject(new DuplicateEventIdError(p.streamId, known[0].id!)));
          continue;
        }
        const clash = p.events.find((e) => e.id && idsInBatch.has(e.id.toLowerCase()));
        if (clash) {
          outcomes.push(() => p.reject(new DuplicateEventIdError(p.streamId, clash.id!)));
          continue;
        }
        const problem = checkExpected(p.streamId, p.expected, head.version);
        if (problem) {
          outcomes.push(() => p.reject(problem));
          continue;
        }
        let prevHash = head.lastHash;
        const first = rows.length;
        p.events.forEach((e, i) => {
          const id = (e.id ?? newId()).toLowerCase();
          idsInBatch.add(id);
          const metadata = { schemaVersion: 1, ...e.metadata };
          const revision = head.version + i + 1;
          const hash = eventHash({ prevHash, streamId: p.streamId, revision, id, type: e.type, data: e.data, metadata });
          rows.push({ id, streamId: p.streamId, revision, type: e.type, data: e.data, metadata, prevHash, hash });
          prevHash = hash;
        });
        heads.set(p.streamId, { version: head.version + p.events.length, lastHash: prevHash });
        owners.push({ pending: p, first, count: p.events.length, nextRevision: head.version + p.events.length });
      }

      if (rows.length) {
        const inserted = await client.query(
          `INSERT INTO events (event_id, stream_id, revision, type, data, metadata, prev_hash, hash)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::jsonb[], $6::jsonb[], $7::text[], $8::text[])
           RETURNING event_id, position`,
          [
            rows.map((r) => r.id),
            rows.map((r) => r.streamId),
            rows.map((r) => r.revision),
            rows.map((r) => r.type),
            rows.map((r) => JSON.stringify(r.data)),
            rows.map((r) => JSON.stringify(r.metadata)),
            rows.map((r) => r.prevHash),
            rows.map((r) => r.hash),
          ],
        );
        const positionOf = new Map<string, number>(inserted.rows.map((r) => [r.event_id, Number(r.position)]));
        const touched = new Map<string, { version: number; lastHash: string; lastPosition: number }>();
        for (const o of owners) {
          const last = rows[o.first + o.count - 1];
          const position = positionOf.get(last.id)!;
          touched.set(o.pending.streamId, { version: last.revision, lastHash: last.hash, lastPosition: position });
          outcomes.push(() => o.pending.resolve({ nextRevision: o.nextRevision, position, written: true }));
        }
        const t = [...touched.entries()];
        await client.query(
          `INSERT INTO streams (stream_id, version, last_hash, last_position)
           SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::bigint[])
           ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, last_hash = EXCLUDED.last_hash, last_position = EXCLUDED.last_position`,
          [t.map(([s]) => s), t.map(([, h]) => h.version), t.map(([, h]) => h.lastHash), t.map(([, h]) => h.lastPosition)],
        );
        await client.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, String(Math.max(...positionOf.values()))]);
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      client.release(true);
      released = true;
      throw e;
    } finally {
      if (!released) client.release();
    }
    // Only after COMMIT: a caller told "written" can rely on it.
    for (const settle of outcomes) settle();
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const limit = options.maxCount ?? 2_147_483_647;
    const from = options.fromRevision ?? (backwards ? 2_147_483_647 : 1);
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND revision ${backwards ? '<=' : '>='} $2
       ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      [streamId, from, limit],
    );
    return rows.map(this.toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const params: unknown[] = [options.after ?? 0, options.maxCount ?? 1000];
    const where = filterSql(options.filter, params);
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM events WHERE position > $1 ${where} ORDER BY position LIMIT $2`,
      params,
    );
    return rows.map(this.toRecorded);
  }

  async headPosition(): Promise<number> {
    const { rows } = await this.pool.query('SELECT coalesce(max(position), 0) AS p FROM events');
    return Number(rows[0].p);
  }

  /** Reads the stream heads kept beside the log, for chain verification. */
  async streamHeads(streamIds?: string[]): Promise<Map<string, { version: number; lastHash: string }>> {
    const { rows } = streamIds
      ? await this.pool.query('SELECT stream_id, version, last_hash FROM streams WHERE stream_id = ANY($1)', [streamIds])
      : await this.pool.query('SELECT stream_id, version, last_hash FROM streams');
    return new Map(rows.map((r) => [r.stream_id, { version: r.version, lastHash: r.last_hash }]));
  }

  subscribe(handler: (events: RecordedEvent[]) => Promise<void> | void, options: SubscribeOptions = {}): Subscription {
    let position = options.after ?? 0;
    let stopped = false;
    let running: Promise<void> = Promise.resolve();
    const batchSize = options.batchSize ?? 500;
    const done = (async () => {
      await this.watcher.start();
      while (!stopped && !this.closed) {
        const generation = this.watcher.generation;
        const batch = await this.readAll({ after: position, maxCount: batchSize, filter: options.filter });
        if (stopped) break;
        if (batch.length) {
          running = Promise.resolve(handler(batch));
          await running;
          position = batch[batch.length - 1].position;
          continue;
        }
        options.onCaughtUp?.(position);
        await this.watcher.waitForChange(generation);
      }
    })();
    return {
      done,
      stop: async () => {
        stopped = true;
        this.watcher.wakeAll();
        await running.catch(() => {});
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watcher.wakeAll();
    while (this.writing) await new Promise((r) => setTimeout(r, 5));
    for (const p of this.queue.splice(0)) p.reject(new EventStoreUnavailableError('event store closed before the append was written'));
    await this.watcher.stop();
    await this.pool.end();
  }

  /** Raw SQL access for verification tooling and tests that must tamper with rows. */
  query(text: string, params?: unknown[]) {
    return this.pool.query(text, params);
  }

  private readonly toRecorded = (r: Row): RecordedEvent =>
    this.upcast({
      id: r.event_id,
      streamId: r.stream_id,
      revision: r.revision,
      position: Number(r.position),
      type: r.type,
      data: r.data,
      metadata: r.metadata,
      recordedAt: r.recorded_at.toISOString(),
      prevHash: r.prev_hash,
      hash: r.hash,
    });
}

function checkExpected(streamId: string, expected: ExpectedRevision, version: number): Error | undefined {
  if (expected === 'any') return undefined;
  if (expected === 'no-stream' && version === 0) return undefined;
  if (expected === 'stream-exists' && version > 0) return undefined;
  if (typeof expected === 'number' && expected === version) return undefined;
  return new WrongExpectedRevisionError(streamId, expected, version);
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function filterSql(filter: LogFilter | undefined, params: unknown[]): string {
  if (!filter) return '';
  let where = '';
  if (filter.streamPrefix !== undefined) {
    const prefixes = Array.isArray(filter.streamPrefix) ? filter.streamPrefix : [filter.streamPrefix];
    params.push(prefixes.map((p) => `${escapeLike(p)}%`));
    where += ` AND stream_id LIKE ANY($${params.length})`;
  }
  if (filter.eventTypes) {
    params.push(filter.eventTypes);
    where += ` AND type = ANY($${params.length})`;
  }
  return where;
}
