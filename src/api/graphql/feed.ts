import type { EventStore, LogFilter, RecordedEvent } from '../../eventstore/types.ts';

export interface FeedOptions<T> {
  /** Resume strictly after this position; undefined starts at the head of the log (live only). */
  after?: number;
  filter?: LogFilter;
  /** Turns an event into zero or more payloads (scoping happens here). Awaited in order. */
  select: (e: RecordedEvent) => Promise<T[] | T | null> | T[] | T | null;
  /** Field name of the subscription: graphql-js expects `{ [field]: payload }`. */
  field: string;
  /** The handler waits while this many payloads are undelivered (backpressure on the store subscription). */
  highWater?: number;
}

/**
 * A subscription source straight from the event log: catch-up from `after`, then live, in log order. Because
 * it reads the log itself (not a lossy pub/sub), a client that passes the last position it saw misses nothing.
 */
export async function eventFeed<T>(store: EventStore, opts: FeedOptions<T>): Promise<AsyncIterableIterator<Record<string, T>>> {
  const after = opts.after ?? (await store.headPosition());
  const highWater = opts.highWater ?? 1000;
  const queue: Record<string, T>[] = [];
  let wake: (() => void) | undefined;
  let drained: (() => void) | undefined;
  let finished = false;
  let failure: unknown;

  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  const sub = store.subscribe(
    async (events) => {
      for (const e of events) {
        const out = await opts.select(e);
        const list = out == null ? [] : Array.isArray(out) ? out : [out];
        for (const payload of list) queue.push({ [opts.field]: payload });
      }
      notify();
      while (queue.length > highWater && !finished) await new Promise<void>((r) => (drained = r));
    },
    { after, filter: opts.filter },
  );
  sub.done.then(
    () => {
      finished = true;
      notify();
    },
    (e) => {
      failure = e;
      finished = true;
      notify();
    },
  );

  const stop = async () => {
    finished = true;
    drained?.();
    notify();
    await sub.stop();
  };

  const iterator: AsyncIterableIterator<Record<string, T>> = {
    async next() {
      for (;;) {
        if (queue.length) {
          const value = queue.shift()!;
          if (queue.length <= highWater) drained?.();
          return { value, done: false };
        }
        if (failure) throw failure;
        if (finished) return { value: undefined, done: true };
        await new Promise<void>((r) => (wake = r));
      }
    },
    async return() {
      await stop();
      return { value: undefined, done: true };
    },
    async throw(e?: unknown) {
      await stop();
      throw e;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return iterator;
}
