/**
 * Writes what the live call session decides into the event store.
 * Machine transitions go through handleCommand (expected revision, retry, idempotent by command id);
 * a refused transition comes back as a DomainError value, not a throw, because late or duplicate
 * switch facts are normal and must not crash the session.
 */
import { handleCommand } from '../../commands/handleCommand.ts';
import { DomainError, type Command, type CommandMeta, type Decider, type DomainEvent } from '../../domain/decider.ts';
import { WrongExpectedRevisionError } from '../../eventstore/errors.ts';
import type { AgentMachineEvent, AgentSnapshot } from '../../domain/machines/agentMachine.ts';
import type { CallDecideExtras } from '../../domain/machines/callEvents.ts';
import type { CallMachineEvent, CallSnapshot } from '../../domain/machines/callMachine.ts';
import { agentMachineDecider, callMachineDecider } from '../../domain/machines/deciders.ts';
import type { EventStore } from '../../eventstore/types.ts';

export interface Actor {
  actorId?: string;
  actorRole?: string;
  /** Why a person did it (supervisor actions); stored in metadata. */
  reason?: string;
}

export interface Applied<S> {
  snapshot: S;
  events: Array<{ type: string; data: Record<string, unknown> }>;
}

interface Cached<S> {
  version: number;
  state: S;
}

/** Live agents and calls of one server; beyond this the oldest fall back to a stream read. */
const MAX_CACHED = 20_000;

export class Recorder {
  readonly store: EventStore;
  private readonly cache = new Map<string, Cached<unknown>>();
  private readonly now: () => number;

  constructor(store: EventStore, now: () => number) {
    this.store = store;
    this.now = now;
  }

  private meta(commandId: string | undefined, actor: Actor = {}): CommandMeta {
    return { now: new Date(this.now()).toISOString(), commandId, actorId: actor.actorId ?? 'system', actorRole: actor.actorRole ?? 'system' };
  }

  agent(agentId: string, event: AgentMachineEvent, opts: { commandId?: string; actor?: Actor } = {}): Promise<Applied<AgentSnapshot> | DomainError> {
    return this.run(agentMachineDecider(agentId), agentId, { type: 'AgentMachine', data: { event }, meta: this.meta(opts.commandId, opts.actor) });
  }

  call(callId: string, event: CallMachineEvent, opts: { commandId?: string; actor?: Actor; extras?: CallDecideExtras } = {}): Promise<Applied<CallSnapshot> | DomainError> {
    return this.run(callMachineDecider(callId), callId, { type: 'CallMachine', data: { event, extras: opts.extras }, meta: this.meta(opts.commandId, opts.actor) });
  }

  /**
   * Fast path: decide on the cached state and append with the cached version (one write, no read).
   * Any doubt (no cache, a command id to de-duplicate, a concurrent writer) takes handleCommand's
   * load-decide-append path, which then refreshes the cache.
   */
  private async run<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, id: string, command: C): Promise<Applied<S> | DomainError> {
    const streamId = `${decider.category}-${id}`;
    const cached = this.cache.get(streamId) as Cached<S> | undefined;
    if (cached && !command.meta.commandId) {
      const decision = decider.decide(command, cached.state);
      if (decision instanceof DomainError) return decision;
      if (decision.length === 0) return { snapshot: cached.state, events: [] };
      const m = command.meta;
      const metadata = { actorId: m.actorId, actorRole: m.actorRole, correlationId: m.correlationId, occurredAt: m.now, schemaVersion: 1 };
      try {
        const r = await this.store.append(streamId, decision.map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, metadata })), cached.version);
        const state = decision.reduce(decider.evolve, cached.state);
        this.remember(streamId, r.nextRevision, state);
        return { snapshot: state, events: decision as Array<{ type: string; data: Record<string, unknown> }> };
      } catch (e) {
        if (!(e instanceof WrongExpectedRevisionError)) throw e;
        this.cache.delete(streamId);
      }
    }
    try {
      const r = await handleCommand(this.store, decider, id, command);
      const last = r.events.at(-1);
      if (last && !r.repeated) this.remember(streamId, last.revision, r.state);
      return { snapshot: r.state, events: r.events };
    } catch (e) {
      if (e instanceof DomainError) return e;
      throw e;
    }
  }

  private remember(streamId: string, version: number, state: unknown): void {
    this.cache.delete(streamId); // re-insert so the oldest entries are evicted first
    this.cache.set(streamId, { version, state });
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
  }

  /** The stream version this recorder last wrote or read, if it has one cached. */
  knownVersion(streamId: string): number | undefined {
    return this.cache.get(streamId)?.version;
  }

  /** Ended calls need no cache entry. */
  forget(streamId: string): void {
    this.cache.delete(streamId);
  }

  /** A fact that does not move a machine (recording, monitoring, forced actions), with who and why. */
  async note(streamId: string, type: string, data: Record<string, unknown>, actor: Actor = {}, eventId?: string): Promise<void> {
    const occurredAt = new Date(this.now()).toISOString();
    const r = await this.store.append(streamId, [{
      id: eventId,
      type,
      data: { ...data, at: occurredAt },
      metadata: { actorId: actor.actorId ?? 'system', actorRole: actor.actorRole ?? 'system', reason: actor.reason, occurredAt, schemaVersion: 1 },
    }], 'any');
    // A note does not move the machine: if it landed right after our cached version, the cache stays valid.
    const c = this.cache.get(streamId);
    if (c && r.nextRevision === c.version + 1) c.version = r.nextRevision;
  }
}
