import { sql } from 'slonik';
import type { RecordedEvent } from '../../../eventstore/types.ts';
import { eventTime } from '../../runtime/context.ts';
import { docTable, loadDocs, saveDocs } from '../../runtime/docs.ts';
import type { Projection } from '../../runtime/types.ts';

/** waiting: for a free agent or its next try; calling: a try under way; answered / given_up: done. */
export type KeptCallbackState = 'waiting' | 'calling' | 'answered' | 'given_up';

/** One caller's number kept for a callback (keyed by the original inbound call). */
export interface KeptCallbackDoc {
  callId: string;
  phone: string;
  queueId: string;
  keptAt: string;
  /** Tries that rang the customer (an agent's missed offer does not count). */
  tries: number;
  maxTries?: number;
  state: KeptCallbackState;
  /** The last try's outcome: answered, not_answered, agent_missed, blocked. */
  lastOutcome?: string;
  /** The last try's hangup cause, or the compliance codes of a blocked one. */
  lastCause?: string;
  lastTryAt?: string;
  lastCallbackCallId?: string;
  /** The agent of the last try started. */
  agentId?: string;
  /** When it is tried next (a free agent may take it from then); null once done. */
  nextTryAt: string | null;
}

const d = (e: RecordedEvent) => e.data as any;

/** The kept callback after one of its events: a pure fold, one document per kept callback. */
export function evolveKeptCallback(doc: KeptCallbackDoc | undefined, e: RecordedEvent): KeptCallbackDoc | undefined {
  const data = d(e);
  const at = eventTime(e);
  if (e.type === 'CallbackQueued') {
    // Kept once: a second CallbackQueued on the call (a replay of the session's note) changes nothing.
    return doc ?? { callId: data.callId, phone: data.phone, queueId: data.queueId, keptAt: at, tries: 0, state: 'waiting', nextTryAt: at };
  }
  if (!doc) return doc; // its CallbackQueued came before this read model's events (never, from position 0)
  if (e.type === 'CallbackStarted') {
    return { ...doc, state: 'calling', lastTryAt: at, lastCallbackCallId: data.callbackCallId, agentId: data.agentId ?? doc.agentId, nextTryAt: null };
  }
  if (e.type === 'CallbackAttemptEnded') {
    const done = data.retryAt == null;
    return {
      ...doc,
      tries: data.tries ?? doc.tries,
      maxTries: data.maxTries ?? doc.maxTries,
      lastOutcome: data.outcome,
      lastCause: data.cause ?? (Array.isArray(data.reasons) ? data.reasons.join(',') : undefined),
      lastTryAt: doc.state === 'calling' ? doc.lastTryAt : at,
      lastCallbackCallId: data.callbackCallId ?? doc.lastCallbackCallId,
      state: !done ? 'waiting' : data.outcome === 'answered' ? 'answered' : 'given_up',
      nextTryAt: done ? null : data.retryAt,
    };
  }
  return doc;
}

/**
 * Kept callbacks, one row per caller's number kept (CallbackQueued), followed through its tries (CallbackStarted,
 * CallbackAttemptEnded) to answered or given up. The queues' departments (QueueCreated) sit beside them, so a
 * query scopes the rows by the department of their queue.
 */
export const keptCallbacksProjection: Projection = {
  name: 'keptCallbacks',
  version: 1,
  eventTypes: ['CallbackQueued', 'CallbackStarted', 'CallbackAttemptEnded', 'QueueCreated'],
  tables: ['kept_callbacks', 'kept_callback_queue'],
  createTables: (schema) => {
    const t = sql.identifier([schema, 'kept_callbacks']);
    return [
      sql.unsafe`CREATE TABLE IF NOT EXISTS ${t} (
        key text PRIMARY KEY,
        doc jsonb NOT NULL,
        queue_id text GENERATED ALWAYS AS (doc ->> 'queueId') STORED,
        state text GENERATED ALWAYS AS (doc ->> 'state') STORED,
        kept_at text GENERATED ALWAYS AS (doc ->> 'keptAt') STORED
      )`,
      sql.unsafe`CREATE INDEX IF NOT EXISTS ${sql.identifier(['kept_callbacks_queue'])} ON ${t} (queue_id, kept_at)`,
      sql.unsafe`CREATE INDEX IF NOT EXISTS ${sql.identifier(['kept_callbacks_state'])} ON ${t} (state, kept_at)`,
      docTable(schema, 'kept_callback_queue'),
    ];
  },
  async handle(tx, events, ctx) {
    const table = ctx.table('kept_callbacks');
    const queueTable = ctx.table('kept_callback_queue');
    const queues = new Map<string, { departmentId: string | null }>();
    const kept = events.filter((e) => e.type !== 'QueueCreated');
    const docs = await loadDocs<KeptCallbackDoc>(tx, table, kept.map((e) => d(e).callId));
    const dirty = new Set<string>();
    for (const e of events) {
      if (e.type === 'QueueCreated') {
        queues.set(d(e).queueId, { departmentId: d(e).departmentId ?? null });
        ctx.changed('kept_callback_queue', d(e).queueId);
        continue;
      }
      const key = d(e).callId as string;
      const next = evolveKeptCallback(docs.get(key), e);
      if (!next) continue;
      docs.set(key, next);
      dirty.add(key);
      ctx.changed('kept_callbacks', key);
    }
    await saveDocs(tx, table, docs, dirty);
    await saveDocs(tx, queueTable, queues, queues.keys());
  },
};
