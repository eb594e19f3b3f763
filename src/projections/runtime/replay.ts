import type { EventStore, RecordedEvent } from '../../eventstore/types.ts';
import type { Projection } from './types.ts';

export interface ReplayLimit {
  /** Stop after this global position (inclusive). */
  position?: number;
  /** Keep only events at or before this instant, by when they were stored or when they happened. */
  instant?: string;
  by?: 'recordedAt' | 'occurredAt';
}

export function eventTypesOf(projections: Projection[]): string[] {
  return [...new Set(projections.flatMap((p) => p.eventTypes))];
}

/**
 * Reads the log from `after` in batches, filtered to the projections' event types, and hands each batch
 * over. Returns the last position read. Positions grow with recordedAt (appends are serialised), so a
 * recordedAt limit stops reading; an occurredAt limit has to filter the whole log.
 */
export async function replay(
  store: EventStore,
  projections: Projection[],
  after: number,
  onBatch: (events: RecordedEvent[]) => Promise<void>,
  opts: { batchSize?: number; limit?: ReplayLimit } = {},
): Promise<number> {
  const batchSize = opts.batchSize ?? 2000;
  const limit = opts.limit ?? {};
  const instant = limit.instant ? new Date(limit.instant).getTime() : undefined;
  if (instant !== undefined && Number.isNaN(instant)) throw new TypeError(`not an instant: ${limit.instant}`);
  // Filtered in memory: the PostgreSQL store answers a type filter by sorting every later row (see report),
  // and read models handle most event types anyway.
  const types = new Set(eventTypesOf(projections));
  let position = after;
  let prefetch = store.readAll({ after: position, maxCount: batchSize });
  for (;;) {
    const read = await prefetch;
    if (!read.length) return position;
    const readTo = read[read.length - 1].position;
    // Read the next batch while this one is applied: the log and the read models share the CPU but not the wait.
    prefetch = store.readAll({ after: readTo, maxCount: batchSize });
    let batch = read.filter((e) => types.has(e.type));
    let stop = false;
    if (limit.position !== undefined && readTo > limit.position) {
      batch = batch.filter((e) => e.position <= limit.position!);
      stop = true;
    }
    if (instant !== undefined) {
      if (limit.by === 'occurredAt') {
        batch = batch.filter((e) => new Date(String(e.metadata.occurredAt ?? (e.data as any)?.at ?? e.recordedAt)).getTime() <= instant);
      } else {
        const kept = batch.filter((e) => new Date(e.recordedAt).getTime() <= instant);
        if (kept.length < batch.length) stop = true;
        batch = kept;
      }
    }
    if (batch.length) await onBatch(batch);
    if (!stop) position = readTo;
    else if (limit.position !== undefined && readTo > limit.position) position = limit.position;
    else position = batch.at(-1)?.position ?? position;
    if (stop) {
      await prefetch.catch(() => {});
      return position;
    }
  }
}
