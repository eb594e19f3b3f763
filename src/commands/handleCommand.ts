import { DomainError, type Command, type Decider, type DomainEvent } from '../domain/decider.ts';
import { WrongExpectedRevisionError } from '../eventstore/errors.ts';
import { deterministicUuid } from '../eventstore/ids.ts';
import type { EventStore, RecordedEvent } from '../eventstore/types.ts';

export interface CommandResult<S> {
  streamId: string;
  /** The events this command produced (on a repeat: the ones the first run produced). */
  events: RecordedEvent[];
  state: S;
  /** Global position of the last event, for read-your-writes and subscription resume. */
  position: number;
  /** True when the command id had been handled before and nothing new was appended. */
  repeated: boolean;
}

export class ConcurrencyConflictError extends Error {
  readonly code = 'CONCURRENCY_CONFLICT';
  readonly streamId: string;
  constructor(streamId: string, attempts: number) {
    super(`${streamId} kept changing under this command; gave up after ${attempts} attempts, try again`);
    this.streamId = streamId;
  }
}

export interface HandleOptions {
  /** How often to re-read, re-decide and re-append after a concurrent change (default 5). */
  retries?: number;
}

/**
 * Load → decide → append with expected revision; on a concurrent change, reload and decide again.
 * Idempotent by command id: a command id already in the stream returns that run's events, and event ids
 * are derived from the command id so two racing copies of one command cannot both append.
 * Rejections come back as thrown DomainErrors with the reason; nothing is appended for them.
 */
export async function handleCommand<C extends Command, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  id: string,
  command: C,
  options: HandleOptions = {},
): Promise<CommandResult<S>> {
  const streamId = `${decider.category}-${id}`;
  const attempts = (options.retries ?? 5) + 1;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const history = await store.readStream(streamId);
    let state = decider.initialState();
    for (const e of history) state = decider.evolve(state, e as unknown as E);
    const commandId = command.meta.commandId;
    if (commandId) {
      const earlier = history.filter((e) => e.metadata.commandId === commandId);
      if (earlier.length) {
        return { streamId, events: earlier, state, position: earlier[earlier.length - 1].position, repeated: true };
      }
    }
    const decision = decider.decide(command, state);
    if (decision instanceof DomainError) throw decision;
    if (decision.length === 0) return { streamId, events: [], state, position: history.at(-1)?.position ?? 0, repeated: false };
    const metadata = {
      commandId,
      correlationId: command.meta.correlationId ?? commandId,
      causationId: commandId,
      actorId: command.meta.actorId,
      actorRole: command.meta.actorRole,
      occurredAt: command.meta.now,
      schemaVersion: 1,
    };
    const newEvents = decision.map((e, i) => ({
      id: commandId ? deterministicUuid(streamId, commandId, i) : undefined,
      type: e.type,
      data: e.data as Record<string, unknown>,
      metadata,
    }));
    try {
      const result = await store.append(streamId, newEvents, history.length);
      const written = await store.readStream(streamId, { fromRevision: result.nextRevision - decision.length + 1 });
      for (const e of decision) state = decider.evolve(state, e);
      return { streamId, events: written, state, position: result.position, repeated: !result.written };
    } catch (e) {
      if (!(e instanceof WrongExpectedRevisionError)) throw e;
    }
  }
  throw new ConcurrencyConflictError(streamId, attempts);
}
