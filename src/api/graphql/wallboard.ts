import type { EventStore, RecordedEvent } from '../../eventstore/types.ts';

export type AgentStatus = 'LOGGED_OUT' | 'AVAILABLE' | 'PAUSED' | 'RINGING' | 'ON_CALL' | 'ON_HOLD' | 'WRAP_UP';

export const WALLBOARD_EVENTS = [
  'AgentLoggedIn',
  'AgentLoggedOut',
  'AgentReady',
  'AgentNotReady',
  'CallDialAttempted',
  'CallOffered',
  'CallBridged',
  'CallHeld',
  'CallResumed',
  'CallEnded',
  'CallAbandoned',
  'OrderPlaced',
];

/** The floor's business day: Beijing time (the users' call floors); a day starts at 00:00 +08:00. */
const dayOf = (iso: string | undefined) => (iso ? new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10) : '');

/**
 * The wallboard as a fold over agent, call and order events: current agent states, calls waiting, and
 * today's counters. `visible(agentId)` scopes it to a supervisor's people; queued calls are shared and counted for all.
 */
export class WallboardFold {
  readonly agents = new Map<string, { status: AgentStatus; pauseReason?: string; callId?: string }>();
  private readonly callAgent = new Map<string, string>();
  private readonly waiting = new Map<string, number>();
  private day = '';
  private counters = { calls: 0, connects: 0, abandoned: 0, orders: 0, ordersAmount: 0 };
  position = 0;
  private readonly visible: (agentId: string | undefined) => boolean;

  constructor(visible: (agentId: string | undefined) => boolean = () => true) {
    this.visible = visible;
  }

  /** Applies one event; returns the agent whose state changed, if any. */
  apply(e: RecordedEvent): string | undefined {
    this.position = e.position;
    const d = e.data as Record<string, any>;
    const today = dayOf(d.at ?? e.recordedAt);
    if (today > this.day) {
      this.day = today;
      this.counters = { calls: 0, connects: 0, abandoned: 0, orders: 0, ordersAmount: 0 };
    }
    const agentOfCall = (callId: string) => this.callAgent.get(callId);
    const set = (agentId: string | undefined, status: AgentStatus, extra: { pauseReason?: string; callId?: string } = {}) => {
      if (!agentId) return undefined;
      this.agents.set(agentId, { status, ...extra });
      return agentId;
    };
    switch (e.type) {
      case 'AgentLoggedIn':
        return set(d.agentId, 'PAUSED', { pauseReason: 'logged_in' });
      case 'AgentLoggedOut':
        return set(d.agentId, 'LOGGED_OUT');
      case 'AgentReady':
        return set(d.agentId, 'AVAILABLE');
      case 'AgentNotReady':
        return set(d.agentId, 'PAUSED', { pauseReason: d.reasonCode });
      case 'CallDialAttempted':
        if (d.agentId) this.callAgent.set(d.callId, d.agentId);
        if (this.visible(d.agentId)) this.counters.calls++;
        return undefined;
      case 'CallOffered':
        if (!this.callAgent.has(d.callId)) this.waiting.set(d.callId, Date.parse(d.at ?? e.recordedAt));
        return undefined;
      case 'CallBridged':
        this.waiting.delete(d.callId);
        this.callAgent.set(d.callId, d.agentId);
        if (this.visible(d.agentId)) this.counters.connects++;
        return set(d.agentId, 'ON_CALL', { callId: d.callId });
      case 'CallHeld':
        return set(agentOfCall(d.callId), 'ON_HOLD', { callId: d.callId });
      case 'CallResumed':
        return set(agentOfCall(d.callId), 'ON_CALL', { callId: d.callId });
      case 'CallAbandoned':
        this.waiting.delete(d.callId);
        this.counters.abandoned++;
        return undefined;
      case 'CallEnded': {
        this.waiting.delete(d.callId);
        const agentId = agentOfCall(d.callId);
        this.callAgent.delete(d.callId);
        return agentId && this.agents.get(agentId)?.callId === d.callId ? set(agentId, 'WRAP_UP') : undefined;
      }
      case 'OrderPlaced':
        if (this.visible(d.agentId)) {
          this.counters.orders++;
          this.counters.ordersAmount += Number(d.totalFen ?? 0);
        }
        return undefined;
    }
    return undefined;
  }

  snapshot(now = Date.now()) {
    // A board read after midnight with no event yet today shows today's zeros, not yesterday's totals.
    const counters = dayOf(new Date(now).toISOString()) > this.day ? { calls: 0, connects: 0, abandoned: 0, orders: 0, ordersAmount: 0 } : this.counters;
    const count = (s: AgentStatus[]) => [...this.agents].filter(([id, a]) => this.visible(id) && s.includes(a.status)).length;
    const oldest = Math.min(...this.waiting.values());
    return {
      position: this.position,
      at: new Date(now).toISOString(),
      agentsLoggedIn: count(['AVAILABLE', 'PAUSED', 'RINGING', 'ON_CALL', 'ON_HOLD', 'WRAP_UP']),
      agentsAvailable: count(['AVAILABLE']),
      agentsOnCall: count(['ON_CALL', 'ON_HOLD', 'RINGING']),
      agentsPaused: count(['PAUSED']),
      agentsWrapUp: count(['WRAP_UP']),
      callsWaiting: this.waiting.size,
      longestWaitSeconds: this.waiting.size ? Math.max(0, Math.round((now - oldest) / 1000)) : 0,
      callsToday: counters.calls,
      connectsToday: counters.connects,
      abandonedToday: counters.abandoned,
      ordersToday: counters.orders,
      ordersAmountToday: counters.ordersAmount,
    };
  }
}

/**
 * Folds the log into `fold` up to a position (inclusive) or an instant (events recorded at or before it):
 * the board as it was then, for a page that opens before the first live update or an auditor's past instant.
 */
export async function foldWallboard(store: EventStore, fold: WallboardFold, upto: { position: number } | { at: string }): Promise<void> {
  const within = (e: RecordedEvent) => ('position' in upto ? e.position <= upto.position : Date.parse(e.recordedAt) <= Date.parse(upto.at));
  for (let from = 0; ; ) {
    const page = await store.readAll({ after: from, maxCount: 5000, filter: { eventTypes: WALLBOARD_EVENTS } });
    const taken = page.filter(within);
    for (const e of taken) fold.apply(e);
    if (taken.length < page.length || page.length === 0) return;
    from = page[page.length - 1].position;
  }
}
