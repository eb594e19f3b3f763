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

/** ESDB filters on stream name or on event type, not both: the server takes the first, we re-check both. */
export function serverFilter(filter: LogFilter | undefined): Filter {
  if (filter?.streamPrefix !== undefined) {
    return streamNameFilter({ prefixes: Array.isArray(filter.streamPrefix) ? filter.streamPrefix : [filter.streamPrefix] });
  }
  if (filter?.eventTypes) return eventTypeFilter({ regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$` });
  return excludeSystemEvents();
}

/**
 * subscribeToAll (catch-up then live) turned into the port's batched, awaited delivery: events queue up
 * while the handler runs and go out together; a long queue pauses the gRPC stream (backpressure).
 */
export function subscribeToLog(
  client: EventStoreDBClient,
  handler: (events: RecordedEvent[]) => Promise<void> | void,
  options: SubscribeOptions,
  upcast: Upcaster,
): Subscription {
  const batchSize = options.batchSize ?? 500;
  let position = options.after ?? 0;
  let lastSeen = position;
  const queue: RecordedEvent[] = [];
  let stopped = false;
  let pumping = false;
  let scheduled = false;
  let serverCaughtUp = false;
  let running: Promise<void> = Promise.resolve();
  let settle!: { resolve: () => void; reject: (e: unknown) => void };
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));

  const fromPosition = position > 0 ? { commit: BigInt(position), prepare: BigInt(position) } : START;
  const sub = client.subscribeToAll({ fromPosition, filter: serverFilter(options.filter) });

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
      if (serverCaughtUp && sub.readableLength === 0) options.onCaughtUp?.(position);
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
