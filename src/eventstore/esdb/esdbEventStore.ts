import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { DuplicateEventIdError, EventStoreUnavailableError, WrongExpectedRevisionError } from '../errors.ts';
import { eventHash } from '../hashChain.ts';
import { isUuid, newId } from '../ids.ts';
import { noUpcast, type Upcaster } from '../upcasting.ts';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../types.ts';
import {
  HASH_KEY,
  PREV_HASH_KEY,
  checkExpected,
  isSystemEvent,
  mapError,
  matchesFilter,
  toPosition,
  toRecorded,
  toVersion,
  toWireExpected,
} from './mapping.ts';
import { subscribeToLog } from './subscription.ts';

export interface EsdbEventStoreOptions {
  upcast?: Upcaster;
  /** How many of a stream's last events are searched for already-stored event ids (idempotent repeats). */
  idempotencyWindow?: number;
  /** Attempts for 'any' / 'stream-exists' appends that lose a race to another writer. */
  maxAttempts?: number;
}

const PAGE = 1000;

/**
 * The EventStoreDB adapter of the event store port (legacy `@eventstore/db-client` 6.x, gRPC v1).
 *
 * Every append reads the stream's tail first: the tail gives the previous hash for the tamper-evidence
 * chain, and the append is then sent with that exact revision, so the server itself refuses a writer
 * that slipped in between (the chain would otherwise link to the wrong predecessor).
 */
export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly upcast: Upcaster;
  private readonly window: number;
  private readonly maxAttempts: number;
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  constructor(client: EventStoreDBClient, opts: EsdbEventStoreOptions = {}) {
    this.client = client;
    this.upcast = opts.upcast ?? noUpcast;
    this.window = opts.idempotencyWindow ?? 500;
    this.maxAttempts = opts.maxAttempts ?? 20;
  }

  /** Connects and checks the server answers, so a wrong URL fails here and not at the first append. */
  static async connect(connectionString: string, opts: EsdbEventStoreOptions = {}): Promise<EsdbEventStore> {
    const client = EventStoreDBClient.connectionString(connectionString);
    try {
      await collect(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }));
    } catch (e) {
      await client.dispose().catch(() => {});
      const mapped = mapError(e, '$all', 'any');
      throw mapped instanceof EventStoreUnavailableError ? mapped : new EventStoreUnavailableError(`EventStoreDB at ${connectionString}: ${String(e)}`);
    }
    return new EsdbEventStore(client, opts);
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision = 'any'): Promise<AppendResult> {
    if (this.closed) throw new EventStoreUnavailableError('event store is closed');
    if (!streamId) throw new TypeError('streamId is required');
    if (events.length === 0) throw new TypeError('append needs at least one event');
    for (const e of events) {
      if (e.id !== undefined && !isUuid(e.id)) throw new TypeError(`event id must be a UUID, got "${e.id}"`);
      if (!e.type) throw new TypeError('event type is required');
    }
    const ids = events.map((e) => (e.id ?? newId()).toLowerCase());
    if (new Set(ids).size !== ids.length) throw new DuplicateEventIdError(streamId, ids.find((id, i) => ids.indexOf(id) !== i)!);
    const everyIdGiven = events.every((e) => e.id);

    let version = 0;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const tail = await this.tail(streamId, everyIdGiven ? this.window : 1);
      version = tail.length ? tail[0].revision : 0;
      if (everyIdGiven) {
        const found = tail.filter((e) => ids.includes(e.id));
        if (found.length === ids.length) {
          return { nextRevision: Math.max(...found.map((f) => f.revision)), position: Math.max(...found.map((f) => f.position)), written: false };
        }
        if (found.length) throw new DuplicateEventIdError(streamId, found[0].id);
      }
      const problem = checkExpected(streamId, expected, version);
      if (problem) throw problem;

      let prevHash = tail.length ? tail[0].hash : '';
      const proposed = events.map((e, i) => {
        const metadata = { schemaVersion: 1, ...e.metadata };
        const revision = version + i + 1;
        const hash = eventHash({ prevHash, streamId, revision, id: ids[i], type: e.type, data: e.data, metadata });
        const stored = { ...metadata, [PREV_HASH_KEY]: prevHash, [HASH_KEY]: hash };
        prevHash = hash;
        return jsonEvent({ id: ids[i], type: e.type, data: e.data as Record<string, unknown>, metadata: stored });
      });
      try {
        const r = await this.client.appendToStream(streamId, proposed, { expectedRevision: toWireExpected(version) });
        return { nextRevision: toVersion(r.nextExpectedRevision), position: toPosition(r.position?.commit), written: true };
      } catch (e) {
        // Someone appended after our tail read. Exact expectations have failed; loose ones re-read and retry.
        if (e instanceof WrongExpectedVersionError && (expected === 'any' || expected === 'stream-exists')) continue;
        throw mapError(e, streamId, expected);
      }
    }
    throw new WrongExpectedRevisionError(streamId, expected, version);
  }

  /** The stream's last `count` events, newest first ([] when the stream does not exist). */
  private async tail(streamId: string, count: number): Promise<RecordedEvent[]> {
    return this.readStream(streamId, { direction: 'backwards', maxCount: count });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision;
    if (from !== undefined && from < 1 && backwards) return [];
    const fromRevision = from === undefined || from < 1 ? (backwards ? END : START) : BigInt(from - 1);
    try {
      const resolved = await collect(
        this.client.readStream(streamId, { direction: backwards ? BACKWARDS : FORWARDS, fromRevision, maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER }),
      );
      return this.convert(resolved);
    } catch (e) {
      if (e instanceof StreamNotFoundError) return [];
      throw mapError(e, streamId, 'any');
    }
  }

  /** $all read page by page, with system events and the filter applied here: the 6.x client's readAll has no server-side filter. */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount ?? 1000;
    let cursor = options.after ?? 0;
    const out: RecordedEvent[] = [];
    while (out.length < limit) {
      const fromPosition: ReadPosition = cursor > 0 ? { commit: BigInt(cursor), prepare: BigInt(cursor) } : START;
      const page = await collect(this.client.readAll({ fromPosition, maxCount: PAGE })).catch((e) => {
        throw mapError(e, '$all', 'any');
      });
      let advanced = false;
      for (const r of page) {
        const commit = r.event?.position?.commit ?? r.commitPosition;
        if (commit === undefined || toPosition(commit) <= cursor) continue; // a position read is inclusive; we want "after"
        cursor = toPosition(commit);
        advanced = true;
        const e = r.event && !isSystemEvent(r.event.streamId, r.event.type) ? toRecorded(r) : undefined;
        if (e && matchesFilter(e, options.filter)) out.push(this.upcast(e));
        if (out.length >= limit) break;
      }
      if (page.length < PAGE || !advanced) break;
    }
    return out;
  }

  async headPosition(): Promise<number> {
    let from: ReadPosition = END;
    for (;;) {
      const page: ResolvedEvent[] = await collect(this.client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: PAGE }));
      for (const r of page) {
        if (r.event && !isSystemEvent(r.event.streamId, r.event.type)) return toPosition(r.event.position?.commit ?? r.commitPosition);
      }
      const last: ResolvedEvent | undefined = page[page.length - 1];
      const commit: bigint | undefined = last?.event?.position?.commit ?? last?.commitPosition;
      if (page.length < PAGE || commit === undefined) return 0;
      from = { commit, prepare: last.event?.position?.prepare ?? commit };
    }
  }

  subscribe(handler: (events: RecordedEvent[]) => Promise<void> | void, options: SubscribeOptions = {}): Subscription {
    if (this.closed) throw new EventStoreUnavailableError('event store is closed');
    const head = this.headPosition().catch(() => undefined);
    const sub = subscribeToLog(this.client, handler, options, this.upcast, head);
    this.subscriptions.add(sub);
    void sub.done.finally(() => this.subscriptions.delete(sub)).catch(() => {});
    return sub;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }

  private convert(resolved: ResolvedEvent[]): RecordedEvent[] {
    const out: RecordedEvent[] = [];
    for (const r of resolved) {
      const e = toRecorded(r);
      if (e) out.push(this.upcast(e));
    }
    return out;
  }
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}
