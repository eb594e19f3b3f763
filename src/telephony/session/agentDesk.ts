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

/** An agent's calls and talk time on one (UTC) day, for fewest-calls and least-talk-time routing. */
export interface DayFigures {
  day: string;
  calls: number;
  talkMs: number;
  /** Start of the call in progress, if any. */
  talkStartMs?: number;
}

/** The floor's business day is Beijing time (as the wallboard's): a day starts at 00:00 +08:00. */
export const BUSINESS_DAY_OFFSET_MS = 8 * 3600_000;
export const dayOf = (ms: number): string => new Date(ms + BUSINESS_DAY_OFFSET_MS).toISOString().slice(0, 10);

/** Count one agent call event at `atMs` into `days` (the same rule live and when rebuilt from the log). */
export function tally(days: Map<string, DayFigures>, agentId: string, type: string, atMs: number): void {
  if (type !== 'AgentCallConnected' && type !== 'AgentCallEnded') return;
  let d = days.get(agentId);
  if (!d || d.day !== dayOf(atMs)) days.set(agentId, (d = { day: dayOf(atMs), calls: 0, talkMs: 0 }));
  if (type === 'AgentCallConnected') {
    d.calls++;
    d.talkStartMs = atMs;
  } else if (d.talkStartMs !== undefined) {
    d.talkMs += atMs - d.talkStartMs;
    d.talkStartMs = undefined;
  }
}

export class AgentDesk {
  private readonly agents = new Map<string, LiveAgent>();
  /** Today's figures per agent; kept apart from the actors so a restored agent keeps them. */
  private days = new Map<string, DayFigures>();
  private readonly recorder: Recorder;
  private readonly now: () => number;
  private readyOrder?: (longestIdleFirst: LiveAgent[]) => LiveAgent[];
  private readonly actorListeners = new Set<(live: LiveAgent) => void>();
  private groupOf?: (agentId: string) => number;

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
    const now = this.now();
    const live: LiveAgent = { agentId, actor: createActor(agentMachine, { snapshot, input: { agentId } }).start(), readySinceMs: now };
    this.agents.set(agentId, live);
    for (const fn of this.actorListeners) fn(live);
    return live;
  }

  /**
   * Told of every new actor on the desk (an agent's first login in this process, or a restore), so whoever
   * subscribed to the agent's old actor, or waited for one, follows the new one. Returns the undo.
   */
  onNewActor(fn: (live: LiveAgent) => void): () => void {
    this.actorListeners.add(fn);
    return () => this.actorListeners.delete(fn);
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
    for (const e of r.events) tally(this.days, agentId, e.type, this.now());
    return r.snapshot;
  }

  /** Calls and talk time today, as of now (a call in progress counts its talk so far). */
  figures(agentId: string): { callsToday: number; talkSecondsToday: number } {
    const d = this.days.get(agentId);
    const now = this.now();
    if (!d || d.day !== dayOf(now)) return { callsToday: 0, talkSecondsToday: 0 };
    const talking = d.talkStartMs === undefined ? 0 : now - d.talkStartMs;
    return { callsToday: d.calls, talkSecondsToday: Math.floor((d.talkMs + talking) / 1000) };
  }

  /** Today's figures as rebuilt from the log at start; they replace what this process counted so far (the log has that too). */
  replaceToday(days: Map<string, DayFigures>): void {
    this.days = days;
  }

  /** Ready agents in the order calls are offered to them: longest idle first, unless a floor set its own order. */
  readyAgents(): LiveAgent[] {
    const ready = this.all()
      .filter((a) => agentStatus(a.actor.getSnapshot()) === 'ready')
      .sort((a, b) => a.readySinceMs - b.readySinceMs);
    return this.readyOrder ? this.readyOrder(ready) : ready;
  }

  /**
   * Preference groups, lower first (people 0, bots 1): dialer calls go to the first group's longest idle, and
   * inbound routing applies the queue's strategy within the first group that has someone free. Returns the undo.
   */
  groupReadyBy(groupOf: (agentId: string) => number): () => void {
    const undoOrder = this.orderReadyBy((ready) => ready.map((a, i) => ({ a, i, g: groupOf(a.agentId) })).sort((x, y) => x.g - y.g || x.i - y.i).map((x) => x.a));
    this.groupOf = groupOf;
    return () => {
      undoOrder();
      if (this.groupOf === groupOf) this.groupOf = undefined;
    };
  }

  /** The agent's preference group (undefined when the floor set none). */
  group(agentId: string): number | undefined {
    return this.groupOf?.(agentId);
  }

  /** Reorders the ready agents the dispatcher offers calls to (given longest idle first); returns the undo. */
  orderReadyBy(order: (longestIdleFirst: LiveAgent[]) => LiveAgent[]): () => void {
    this.readyOrder = order;
    return () => {
      if (this.readyOrder === order) this.readyOrder = undefined;
    };
  }
}
