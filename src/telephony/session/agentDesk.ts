/**
 * The live agent actors of this process. Every change goes through the Recorder first;
 * the actor only sees events that are already stored.
 */
import { createActor, type Actor as XActor } from 'xstate';
import type { DomainError } from '../../domain/decider.ts';
import { agentMachineEventOf } from '../../domain/machines/agentEvents.ts';
import { agentMachine, agentStatus, type AgentMachineEvent, type AgentSnapshot, type AgentStatus } from '../../domain/machines/agentMachine.ts';
import type { Actor, Recorder } from './recorder.ts';

export interface LiveAgent {
  agentId: string;
  actor: XActor<typeof agentMachine>;
  /** When the agent last became ready: longest-idle routing picks the smallest. */
  readySinceMs: number;
}

export class AgentDesk {
  private readonly agents = new Map<string, LiveAgent>();
  private readonly recorder: Recorder;
  private readonly now: () => number;
  private readyOrder?: (longestIdleFirst: LiveAgent[]) => LiveAgent[];

  constructor(recorder: Recorder, now: () => number) {
    this.recorder = recorder;
    this.now = now;
  }

  get(agentId: string): LiveAgent | undefined {
    return this.agents.get(agentId);
  }

  status(agentId: string): AgentStatus {
    const a = this.agents.get(agentId);
    return a ? agentStatus(a.actor.getSnapshot()) : 'logged-out';
  }

  all(): LiveAgent[] {
    return [...this.agents.values()];
  }

  /** Put a restored snapshot back on the desk (restart recovery). */
  restore(agentId: string, snapshot: AgentSnapshot): LiveAgent {
    this.agents.get(agentId)?.actor.stop();
    const live = { agentId, actor: createActor(agentMachine, { snapshot, input: { agentId } }).start(), readySinceMs: this.now() };
    this.agents.set(agentId, live);
    return live;
  }

  /** Record and apply one machine event; a refusal comes back as a DomainError and changes nothing. */
  async apply(agentId: string, event: AgentMachineEvent, opts: { commandId?: string; actor?: Actor } = {}): Promise<AgentSnapshot | DomainError> {
    const r = await this.recorder.agent(agentId, event, opts);
    if (!('snapshot' in r)) return r;
    let live = this.agents.get(agentId);
    if (!live) {
      live = this.restore(agentId, r.snapshot);
    } else {
      for (const e of r.events) {
        const me = agentMachineEventOf(e as { type: string; data: Record<string, any> });
        if (me) live.actor.send(me);
      }
    }
    if (agentStatus(r.snapshot) === 'ready' && r.events.length > 0) live.readySinceMs = this.now();
    return r.snapshot;
  }

  /** Ready agents in the order calls are offered to them: longest idle first, unless a floor set its own order. */
  readyAgents(): LiveAgent[] {
    const ready = this.all()
      .filter((a) => agentStatus(a.actor.getSnapshot()) === 'ready')
      .sort((a, b) => a.readySinceMs - b.readySinceMs);
    return this.readyOrder ? this.readyOrder(ready) : ready;
  }

  /** Reorders the ready agents the dispatcher offers calls to (given longest idle first); returns the undo. */
  orderReadyBy(order: (longestIdleFirst: LiveAgent[]) => LiveAgent[]): () => void {
    this.readyOrder = order;
    return () => {
      if (this.readyOrder === order) this.readyOrder = undefined;
    };
  }
}
