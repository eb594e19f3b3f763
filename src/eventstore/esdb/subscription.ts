import {
  START,
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
  type EventStoreDBClient,
  type Filter,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { EventStoreUnavailableError } from '../errors.ts';
import type { Upcaster } from '../upcasting.ts';
import type { LogFilter, RecordedEvent, SubscribeOptions, Subscription } from '../types.ts';
import { escapeRegex, isSystemEvent, mapError, matchesFilter, toRecorded } from './mapping.ts';

type Checkpoint = (subscription: unknown, position: { commit: bigint }) => void;

/** ESDB filters on stream name or on event type, not both: the server takes the first, we re-check both. */
export function serverFilter(filter: LogFilter | undefined, checkpointReached?: Checkpoint): Filter {
  if (filter?.streamPrefix !== undefined) {
    return streamNameFilter({ prefixes: Array.isArray(filter.streamPrefix) ? filter.streamPrefix : [filter.streamPrefix], checkpointReached });
  }
  if (filter?.eventTypes) return eventTypeFilter({ regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$`, checkpointReached });
  return excludeSystemEvents({ checkpointReached });
}

/**
 * subscribeToAll (catch-up then live) turned into the port's batched, awaited delivery: events queue up
 * while the handler runs and go out together; a long queue pauses the gRPC stream (backpressure).
 * Caught up is the server's CaughtUp message (servers from 23.10); for older servers, having seen the
 * log up to `head` (the head when the subscription started, via events or filter checkpoints).
 */
export function subscribeToLog(
  client: EventStoreDBClient,
  handler: (events: RecordedEvent[]) => Promise<void> | void,
  options: SubscribeOptions,
  upcast: Upcaster,
  head?: Promise<number | undefined>,
): Subscription {
  const batchSize = options.batchSize ?? 500;
  let position = options.after ?? 0;
  let lastSeen = position;
  const queue: RecordedEvent[] = [];
  let stopped = false;
  let pumping = false;
  let scheduled = false;
  let serverCaughtUp = false;
  let headAtStart: number | undefined;
  let scanned = position; // furthest log position the server has shown us, filtered-out events included
  let running: Promise<void> = Promise.resolve();
  let settle!: { resolve: () => void; reject: (e: unknown) => void };
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));

  const fromPosition = position > 0 ? { commit: BigInt(position), prepare: BigInt(position) } : START;
  const onCheckpoint: Checkpoint = (_s, p) => {
    scanned = Math.max(scanned, Number(p.commit));
    schedule();
  };
  const sub = client.subscribeToAll({ fromPosition, filter: serverFilter(options.filter, onCheckpoint) });
  void head?.then((h) => {
    headAtStart = h;
    schedule();
  });

  const finish = (error?: unknown) => {
    stopped = true;
    void sub.unsubscribe().catch(() => {});
    if (error === undefined) settle.resolve();
    else settle.reject(error);
  };

  const pump = async () => {
    pumping = true;
    try {
      while (queue.length && !stopped) {
        const batch = queue.splice(0, batchSize);
        running = Promise.resolve(handler(batch));
        await running;
        position = batch[batch.length - 1].position;
      }
      if (stopped) return;
      if (sub.isPaused()) sub.resume();
      // Caught up only once nothing the server sent is still waiting in the stream's buffer.
      const reachedHead = headAtStart !== undefined && scanned >= headAtStart;
      if ((serverCaughtUp || reachedHead) && sub.readableLength === 0) options.onCaughtUp?.(position);
    } catch (e) {
      finish(e);
    } finally {
      pumping = false;
    }
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (!pumping && !stopped) void pump();
    });
  };

  sub.on('data', (resolved: ResolvedEvent) => {
    if (stopped) return;
    let e: RecordedEvent | undefined;
    try {
      e = toRecorded(resolved);
    } catch (error) {
      return finish(error);
    }
    if (!e || e.position <= lastSeen) return; // a resumed position may be delivered again
    lastSeen = e.position;
    scanned = Math.max(scanned, e.position);
    if (isSystemEvent(e.streamId, e.type) || !matchesFilter(e, options.filter)) return;
    queue.push(upcast(e));
    if (queue.length >= batchSize * 4) sub.pause();
    schedule();
  });
  sub.on('caughtUp', () => {
    serverCaughtUp = true;
    schedule();
  });
  sub.on('error', (e) => finish(mapError(e, '$all', 'any')));
  sub.on('end', () => {
    if (!stopped) finish(new EventStoreUnavailableError('EventStoreDB ended the subscription'));
  });

  return {
    done,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await sub.unsubscribe().catch(() => {});
      await running.catch(() => {});
      settle.resolve();
    },
  };
}
