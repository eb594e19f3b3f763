/**
 * Writes what the live call session decides into the event store.
 * Machine transitions go through handleCommand (expected revision, retry, idempotent by command id);
 * a refused transition comes back as a DomainError value, not a throw, because late or duplicate
 * switch facts are normal and must not crash the session.
 */
import { handleCommand } from '../../commands/handleCommand.ts';
import { DomainError, type CommandMeta } from '../../domain/decider.ts';
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

export class Recorder {
  readonly store: EventStore;
  private readonly now: () => number;

  constructor(store: EventStore, now: () => number) {
    this.store = store;
    this.now = now;
  }

  private meta(commandId: string | undefined, actor: Actor = {}): CommandMeta {
    return { now: new Date(this.now()).toISOString(), commandId, actorId: actor.actorId ?? 'system', actorRole: actor.actorRole ?? 'system' };
  }

  async agent(agentId: string, event: AgentMachineEvent, opts: { commandId?: string; actor?: Actor } = {}): Promise<Applied<AgentSnapshot> | DomainError> {
    try {
      const r = await handleCommand(this.store, agentMachineDecider(agentId), agentId, { type: 'AgentMachine', data: { event }, meta: this.meta(opts.commandId, opts.actor) });
      return { snapshot: r.state, events: r.events };
    } catch (e) {
      if (e instanceof DomainError) return e;
      throw e;
    }
  }

  async call(callId: string, event: CallMachineEvent, opts: { commandId?: string; actor?: Actor; extras?: CallDecideExtras } = {}): Promise<Applied<CallSnapshot> | DomainError> {
    try {
      const r = await handleCommand(this.store, callMachineDecider(callId), callId, {
        type: 'CallMachine', data: { event, extras: opts.extras }, meta: this.meta(opts.commandId, opts.actor),
      });
      return { snapshot: r.state, events: r.events };
    } catch (e) {
      if (e instanceof DomainError) return e;
      throw e;
    }
  }

  /** A fact that does not move a machine (recording, monitoring, forced actions), with who and why. */
  async note(streamId: string, type: string, data: Record<string, unknown>, actor: Actor = {}, eventId?: string): Promise<void> {
    const occurredAt = new Date(this.now()).toISOString();
    await this.store.append(streamId, [{
      id: eventId,
      type,
      data: { ...data, at: occurredAt },
      metadata: { actorId: actor.actorId ?? 'system', actorRole: actor.actorRole ?? 'system', reason: actor.reason, occurredAt, schemaVersion: 1 },
    }], 'any');
  }
}
