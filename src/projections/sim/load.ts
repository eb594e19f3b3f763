import type { EventStore } from '../../eventstore/types.ts';
import type { Append } from './floorDay.ts';

/**
 * Appends a stream of appends with many in flight, so the PostgreSQL store's group commit batches them.
 * Appends to one stream keep their order (each waits for the previous one of its stream).
 */
export async function appendAll(store: EventStore, appends: Iterable<Append>, opts: { concurrency?: number; onProgress?: (events: number) => void } = {}): Promise<number> {
  const concurrency = opts.concurrency ?? 256;
  const tails = new Map<string, Promise<unknown>>();
  const inFlight = new Set<Promise<unknown>>();
  let events = 0;
  for (const a of appends) {
    const previous = tails.get(a.streamId) ?? Promise.resolve();
    const p: Promise<unknown> = previous.then(() => store.append(a.streamId, a.events));
    tails.set(a.streamId, p);
    inFlight.add(p);
    void p.finally(() => {
      inFlight.delete(p);
      if (tails.get(a.streamId) === p) tails.delete(a.streamId);
    }).catch(() => {});
    events += a.events.length;
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
    opts.onProgress?.(events);
  }
  await Promise.all(inFlight);
  return events;
}
