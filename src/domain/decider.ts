/**
 * A decider is the whole behaviour of one aggregate, with no I/O:
 * `decide(command, state)` returns the new facts or a DomainError; `evolve` folds a fact into state.
 * Time and ids come in on the command (`command.meta.now`), never from the clock.
 */

export interface DomainEvent<T extends string = string, D = Record<string, unknown>> {
  type: T;
  data: D;
}

export interface CommandMeta {
  /** The instant the command is decided at (ISO-8601); deciders never read the clock. */
  now: string;
  commandId?: string;
  actorId?: string;
  actorRole?: string;
  correlationId?: string;
}

export interface Command<T extends string = string, D = Record<string, unknown>> {
  type: T;
  data: D;
  meta: CommandMeta;
}

export class DomainError extends Error {
  /** Stable machine-readable code, e.g. LEAD_CLAIMED_BY_OTHER. */
  readonly code: string;
  /** Human-readable reason, shown to the user as is. */
  readonly reason: string;
  readonly details: Record<string, unknown>;
  constructor(code: string, reason: string, details: Record<string, unknown> = {}) {
    super(`${code}: ${reason}`);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }
}

export type Decision<E extends DomainEvent> = E[] | DomainError;

export interface Decider<C extends Command, E extends DomainEvent, S> {
  /** Prefix of this aggregate's stream names, e.g. 'lead' for 'lead-+8613800138000'. */
  category: string;
  initialState: () => S;
  evolve: (state: S, event: E) => S;
  decide: (command: C, state: S) => Decision<E>;
}

export function isDomainError(x: unknown): x is DomainError {
  return x instanceof DomainError;
}

export function fold<E extends DomainEvent, S>(decider: Pick<Decider<any, E, S>, 'evolve' | 'initialState'>, events: E[]): S {
  return events.reduce(decider.evolve, decider.initialState());
}
