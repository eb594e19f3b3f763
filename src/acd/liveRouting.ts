/**
 * Routing waiting inbound callers on the live session: the pure router (routeCall) fed with the desk's
 * agents, the queue's settings from the log and the queue's memory (round-robin position, each caller's
 * last agent). Every decision is recorded on the call stream: CallOffered with the candidates, why each
 * could or could not take the call, the strategy, the winner and the reason; CallRoutingDeferred when
 * nobody can take it yet.
 */
import { callStreamId } from '../domain/call/streams.ts';
import { agentStatus } from '../domain/machines/agentMachine.ts';
import { overflow } from '../inbound/overflow.ts';
import type { CallEndpoint } from '../telephony/session/callEndpoint.ts';
import type { MediaServer } from '../telephony/session/mediaServer.ts';
import { remember, routeCall } from './route.ts';
import type { AgentView, QueueConfig, QueueMemory, QueuedCall, RoutingDecision } from './types.ts';

export class LiveRouting {
  private readonly server: MediaServer;
  /** Per queue; rebuilt from today's log at start (rememberToday), then kept as callers are answered. */
  private memory = new Map<string, QueueMemory>();
  /** Per set of views (one dispatch): the decision of each queue found with nobody free. */
  private readonly nobodyFree = new WeakMap<AgentView[], Map<string, RoutingDecision>>();

  constructor(server: MediaServer) {
    this.server = server;
  }

  /** Agents as routing sees them: live state from the desk, skills from the log, today's figures from memory. */
  agentViews(): AgentView[] {
    // An agent held for a caller waiting for them is not free for anyone else (routing says why: heldFor).
    const held = this.server.heldAgents();
    return this.server.agents
      .all()
      .sort((a, b) => a.readySinceMs - b.readySinceMs)
      .map((a) => {
        const status = agentStatus(a.actor.getSnapshot());
        const free = status === 'ready' && !held.has(a.agentId);
        return {
          agentId: a.agentId,
          loggedIn: status !== 'logged-out',
          available: free,
          skills: this.server.queues.agentSkills(a.agentId),
          idleSince: free ? new Date(a.readySinceMs).toISOString() : undefined,
          ...this.server.agents.figures(a.agentId),
          group: this.server.agents.group(a.agentId),
          departmentId: this.server.queues.agentDepartment(a.agentId),
        };
      });
  }

  /**
   * One routing decision for a waiting inbound caller, recorded on the call stream (explainable routing).
   * True when the caller overflowed because nobody able to take the call is logged in. `views`: the agents as
   * one dispatch sees them (computed once for all its callers); an agent offered the call is marked taken there.
   */
  async route(ep: CallEndpoint, views: AgentView[] = this.agentViews()): Promise<boolean> {
    const queueId = ep.options.queueId ?? 'default';
    const settings = this.server.queues.queue(queueId);
    const queue = settings.routing;
    const now = this.server.clock.now();
    const call: QueuedCall = {
      callId: ep.callId,
      phone: ep.options.phone ?? '',
      enqueuedAt: new Date(ep.queuedAtMs ?? now).toISOString(),
      priority: ep.options.priority ?? 0,
    };
    const d = this.explainHeld(this.decide(call, queue, views));
    const agentIds = d.candidates.map((c) => c.agentId);
    const common = { callId: ep.callId, queueId, strategy: d.strategy, candidates: agentIds, eligibility: d.candidates, priority: call.priority, waitedMs: now - (ep.queuedAtMs ?? now) };
    // The queue's rank among everything waiting (dispatchOrder) goes on the offer, so the order is explainable.
    const base = { ...common, queuePriority: settings.priority };
    if (!d.winner && d.ring.length > 0) {
      // Ring-all: the winner is whoever answers first; CallBridged names them.
      const ring = await this.server.offerAll(ep, d.ring);
      if (ring.length === 0) return false;
      taken(views, ring);
      ep.deferredReason = undefined;
      await this.server.recorder.note(callStreamId(ep.callId), 'CallOffered', { ...base, ring, reason: d.reason });
      return false;
    }
    const target = d.winner;
    if (!target) {
      if (ep.deferredReason !== d.reason) {
        ep.deferredReason = d.reason;
        await this.server.recorder.note(callStreamId(ep.callId), 'CallRoutingDeferred', {
          callId: ep.callId, queueId, strategy: d.strategy, candidates: agentIds, eligibility: d.candidates, reason: d.reason,
        });
      }
      // Nobody who could ever take it is logged in: a queue with an overflow sends the caller on at once.
      const nobodyAble = d.candidates.every((c) => !c.eligible && c.why !== 'NOT_AVAILABLE');
      if (nobodyAble && queue.overflow) {
        await overflow(this.server, ep, 'NO_QUALIFIED_AGENT');
        return true;
      }
      return false;
    }
    if (await this.server.offer(ep, target)) return false;
    taken(views, [target]);
    ep.deferredReason = undefined;
    await this.server.recorder.note(callStreamId(ep.callId), 'CallOffered', { ...base, winner: target, reason: d.reason });
    return false;
  }


  /**
   * A ready agent held for a caller waiting for them is NOT_AVAILABLE to routing; the record says so (heldFor: that
   * caller's call), and a caller left waiting is told why the agent who looks free does not take them.
   */
  private explainHeld(d: RoutingDecision): RoutingDecision {
    const held = this.server.heldAgents();
    if (held.size === 0) return d;
    const heldNow = d.candidates.filter((c) => c.why === 'NOT_AVAILABLE' && held.has(c.agentId) && this.server.agents.status(c.agentId) === 'ready');
    if (heldNow.length === 0) return d;
    const ids = new Set(heldNow.map((c) => c.agentId));
    const candidates = d.candidates.map((c) => (ids.has(c.agentId) ? { ...c, heldFor: held.get(c.agentId), note: 'held for a caller waiting for them' } : c));
    const names = [...ids].join(', ');
    return { ...d, candidates, reason: d.winner || d.ring.length ? d.reason : `${d.reason}; ${names} held for a caller waiting for them` };
  }

  /** Replace the queues' memory with one rebuilt from the log (see memoryFromLog). */
  replaceMemory(memory: Map<string, QueueMemory>): void {
    this.memory = memory;
  }

  /**
   * routeCall, except that once a queue has nobody free in this dispatch's views the same answer serves its
   * other callers: views only lose free agents during a dispatch (50 callers x 500 agents was ~15 ms a dispatch).
   */
  private decide(call: QueuedCall, queue: QueueConfig, views: AgentView[]): RoutingDecision {
    const known = this.nobodyFree.get(views)?.get(queue.queueId);
    if (known) return { ...known, callId: call.callId };
    const d = routeCall(call, queue, views, this.memoryOf(queue.queueId));
    if (d.ring.length === 0) {
      const byQueue = this.nobodyFree.get(views) ?? new Map<string, RoutingDecision>();
      this.nobodyFree.set(views, byQueue.set(queue.queueId, d));
    }
    return d;
  }

  private memoryOf(queueId: string): QueueMemory {
    return this.memory.get(queueId) ?? { lastAgentByPhone: {} };
  }

  /** An inbound caller reached an agent: round-robin moves on, sticky routing remembers the pair. */
  rememberAnswered(ep: CallEndpoint, agentId: string): void {
    const queueId = ep.options.queueId ?? 'default';
    const queue = this.server.queues.queue(queueId).routing;
    const call = { callId: ep.callId, phone: ep.options.phone ?? '', enqueuedAt: '', priority: 0 };
    const before = this.memoryOf(queueId);
    const after = remember(before, call, agentId, queue.strategy);
    // Without the caller's number there is nothing to be sticky to.
    this.memory.set(queueId, ep.options.phone ? after : { ...after, lastAgentByPhone: before.lastAgentByPhone });
  }
}

/** Agents just offered a call are no longer free for the rest of this dispatch. */
export function taken(views: AgentView[], agentIds: string[]): void {
  for (const v of views) {
    if (!agentIds.includes(v.agentId)) continue;
    v.available = false;
    v.idleSince = undefined;
  }
}

/**
 * Queue memory folded from the log, event by event in log order, by the same rule as rememberAnswered: an
 * inbound caller (CallReceived names their number) bridged to an agent, in the queue and strategy of the
 * call's last routing decision (CallOffered). Only calls still being routed are held, so it stays small.
 */
export class MemoryFromLog {
  static readonly EVENT_TYPES = ['CallReceived', 'CallOffered', 'CallBridged'];
  readonly memory = new Map<string, QueueMemory>();
  private readonly calls = new Map<string, { phone: string; queueId?: string; strategy?: QueueConfig['strategy'] }>();

  add(e: { type: string; data: Record<string, unknown> }): void {
    const callId = e.data.callId as string;
    if (e.type === 'CallReceived') this.calls.set(callId, { phone: e.data.phone as string });
    const call = this.calls.get(callId);
    if (!call) return; // not an inbound caller (or received before the part of the log read)
    if (e.type === 'CallOffered') {
      call.queueId = e.data.queueId as string;
      call.strategy = e.data.strategy as QueueConfig['strategy'];
    } else if (e.type === 'CallBridged' && call.queueId && call.strategy) {
      const before = this.memory.get(call.queueId) ?? { lastAgentByPhone: {} };
      const after = remember(before, { callId, phone: call.phone, enqueuedAt: '', priority: 0 }, e.data.agentId as string, call.strategy);
      this.memory.set(call.queueId, call.phone ? after : { ...after, lastAgentByPhone: before.lastAgentByPhone });
      this.calls.delete(callId);
    }
  }
}
