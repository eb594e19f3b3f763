import type { EventStore, RecordedEvent } from '../../eventstore/types.ts';

export type AgentStatus = 'LOGGED_OUT' | 'AVAILABLE' | 'PAUSED' | 'RINGING' | 'ON_CALL' | 'ON_HOLD' | 'WRAP_UP';

export const WALLBOARD_EVENTS = [
  'AgentLoggedIn',
  'AgentLoggedOut',
  'AgentReady',
  'AgentNotReady',
  // Which department a call belongs to: its campaign's, or the queue's it waits in.
  'CampaignCreated',
  'QueueCreated',
  'CallDialAttempted',
  'CallQueued',
  'CallOffered',
  'CallBridged',
  'CallHeld',
  'CallResumed',
  'CallEnded',
  'CallAbandoned',
  'OrderPlaced',
];

/** The floor's business day: Beijing time (the users' call floors); a day starts at 00:00 +08:00. */
const dayOf = (iso: string | undefined) =>
  iso ? new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10) : '';

interface Counters {
  calls: number;
  connects: number;
  abandoned: number;
  orders: number;
  ordersAmount: number;
}
const zero = (): Counters => ({ calls: 0, connects: 0, abandoned: 0, orders: 0, ordersAmount: 0 });

/**
 * What one caller's board shows: the agents whose states and own calls and orders count, and the departments
 * whose calls count before (or without) an agent: waiting, abandoned, dials with no agent yet. A call of no
 * campaign and no queue has no department (`undefined`): only a board of the whole organisation shows it.
 */
export interface BoardView {
  agent: (agentId: string) => boolean;
  department: (departmentId: string | undefined) => boolean;
}
export const WHOLE_FLOOR: BoardView = { agent: () => true, department: () => true };

type AgentState = { status: AgentStatus; pauseReason?: string; callId?: string };

/**
 * The wallboard as a fold over agent, call and order events: current agent states, calls waiting, and
 * today's counters, kept per agent and per department so any caller's board is a sum over what they see
 * (one fold can serve every caller: see SharedWallboard).
 */
export class WallboardFold {
  readonly agents = new Map<string, AgentState>();
  private readonly callAgent = new Map<string, string>();
  private readonly callDepartment = new Map<string, string>();
  /** `campaign:<id>` / `queue:<id>` -> the department it was created in. */
  private readonly owner = new Map<string, string>();
  private readonly waiting = new Map<string, number>();
  private day = '';
  private byAgent = new Map<string, Counters>();
  /** Calls counted before an agent: by the call's department ('' for none). */
  private byDepartment = new Map<string, Counters>();
  position = 0;

  /** An independent copy at the same position (a new subscriber starts from it, then applies its own events). */
  clone(): WallboardFold {
    const c = new WallboardFold();
    for (const [k, v] of this.agents) c.agents.set(k, { ...v });
    for (const [from, to] of [
      [this.callAgent, c.callAgent],
      [this.callDepartment, c.callDepartment],
      [this.owner, c.owner],
      [this.waiting, c.waiting],
    ] as [Map<string, unknown>, Map<string, unknown>][])
      for (const [k, v] of from) to.set(k, v);
    for (const [k, v] of this.byAgent) c.byAgent.set(k, { ...v });
    for (const [k, v] of this.byDepartment) c.byDepartment.set(k, { ...v });
    c.day = this.day;
    c.position = this.position;
    return c;
  }

  private count(map: Map<string, Counters>, key: string): Counters {
    let c = map.get(key);
    if (!c) map.set(key, (c = zero()));
    return c;
  }
  private ofDepartment(callId: string) {
    return this.count(this.byDepartment, this.callDepartment.get(callId) ?? '');
  }

  /** Applies one event; returns the agent whose state changed, if any. */
  apply(e: RecordedEvent): string | undefined {
    this.position = e.position;
    const d = e.data as Record<string, any>;
    const today = dayOf(d.at ?? e.recordedAt);
    if (today > this.day) {
      this.day = today;
      this.byAgent = new Map();
      this.byDepartment = new Map();
    }
    const agentOfCall = (callId: string) => this.callAgent.get(callId);
    const set = (
      agentId: string | undefined,
      status: AgentStatus,
      extra: { pauseReason?: string; callId?: string } = {},
    ) => {
      if (!agentId) return undefined;
      this.agents.set(agentId, { status, ...extra });
      return agentId;
    };
    const wait = () => {
      if (!this.callAgent.has(d.callId) && !this.waiting.has(d.callId))
        this.waiting.set(d.callId, Date.parse(d.at ?? e.recordedAt));
    };
    const inQueue = () => {
      const department = d.queueId && this.owner.get(`queue:${d.queueId}`);
      if (department) this.callDepartment.set(d.callId, department);
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
      case 'CampaignCreated':
      case 'QueueCreated':
        if (d.departmentId)
          this.owner.set(
            e.type === 'QueueCreated'
              ? `queue:${d.queueId}`
              : `campaign:${d.campaignId ?? e.streamId.slice('campaign-'.length)}`,
            d.departmentId,
          );
        return undefined;
      case 'CallDialAttempted': {
        const department = d.campaignId && this.owner.get(`campaign:${d.campaignId}`);
        if (department) this.callDepartment.set(d.callId, department);
        // A dial with an agent is theirs; a predictive dial has none yet and counts for its campaign's department.
        if (d.agentId) {
          this.callAgent.set(d.callId, d.agentId);
          this.count(this.byAgent, d.agentId).calls++;
        } else this.ofDepartment(d.callId).calls++;
        return undefined;
      }
      case 'CallQueued':
      case 'CallOffered':
        inQueue();
        wait();
        return undefined;
      case 'CallBridged':
        this.waiting.delete(d.callId);
        this.callAgent.set(d.callId, d.agentId);
        this.count(this.byAgent, d.agentId).connects++;
        return set(d.agentId, 'ON_CALL', { callId: d.callId });
      case 'CallHeld':
        return set(agentOfCall(d.callId), 'ON_HOLD', { callId: d.callId });
      case 'CallResumed':
        return set(agentOfCall(d.callId), 'ON_CALL', { callId: d.callId });
      case 'CallAbandoned':
        this.waiting.delete(d.callId);
        this.ofDepartment(d.callId).abandoned++;
        return undefined;
      case 'CallEnded': {
        this.waiting.delete(d.callId);
        const agentId = agentOfCall(d.callId);
        this.callAgent.delete(d.callId);
        this.callDepartment.delete(d.callId);
        return agentId && this.agents.get(agentId)?.callId === d.callId ? set(agentId, 'WRAP_UP') : undefined;
      }
      case 'OrderPlaced':
        if (d.agentId) {
          const c = this.count(this.byAgent, d.agentId);
          c.orders++;
          c.ordersAmount += Number(d.totalFen ?? 0);
        }
        return undefined;
    }
    return undefined;
  }

  snapshot(view: BoardView = WHOLE_FLOOR, now = Date.now()) {
    const counters = zero();
    // A board read after midnight with no event yet today shows today's zeros, not yesterday's totals.
    if (dayOf(new Date(now).toISOString()) <= this.day) {
      const add = (c: Counters) => {
        counters.calls += c.calls;
        counters.connects += c.connects;
        counters.abandoned += c.abandoned;
        counters.orders += c.orders;
        counters.ordersAmount += c.ordersAmount;
      };
      for (const [agentId, c] of this.byAgent) if (view.agent(agentId)) add(c);
      for (const [department, c] of this.byDepartment) if (view.department(department || undefined)) add(c);
    }
    const states = { loggedIn: 0, available: 0, onCall: 0, paused: 0, wrapUp: 0 };
    for (const [agentId, a] of this.agents) {
      if (a.status === 'LOGGED_OUT' || !view.agent(agentId)) continue;
      states.loggedIn++;
      if (a.status === 'AVAILABLE') states.available++;
      else if (a.status === 'PAUSED') states.paused++;
      else if (a.status === 'WRAP_UP') states.wrapUp++;
      else states.onCall++; // ON_CALL, ON_HOLD, RINGING
    }
    let waiting = 0;
    let oldest = Infinity;
    for (const [callId, since] of this.waiting)
      if (view.department(this.callDepartment.get(callId))) {
        waiting++;
        oldest = Math.min(oldest, since);
      }
    return {
      position: this.position,
      at: new Date(now).toISOString(),
      agentsLoggedIn: states.loggedIn,
      agentsAvailable: states.available,
      agentsOnCall: states.onCall,
      agentsPaused: states.paused,
      agentsWrapUp: states.wrapUp,
      callsWaiting: waiting,
      longestWaitSeconds: waiting ? Math.max(0, Math.round((now - oldest) / 1000)) : 0,
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
export async function foldWallboard(
  store: EventStore,
  fold: WallboardFold,
  upto: { position: number } | { at: string },
): Promise<void> {
  const within = (e: RecordedEvent) =>
    'position' in upto ? e.position <= upto.position : Date.parse(e.recordedAt) <= Date.parse(upto.at);
  for (let from = 0; ;) {
    const page = await store.readAll({ after: from, maxCount: 5000, filter: { eventTypes: WALLBOARD_EVENTS } });
    const taken = page.filter(within);
    for (const e of taken) fold.apply(e);
    if (taken.length < page.length || page.length === 0) return;
    from = page[page.length - 1].position;
  }
}

/**
 * One live fold of the whole floor per event store (one per server): started on first use, then kept at the
 * head by one subscription, so the board "now" costs a snapshot through the caller's view instead of a fold of
 * the whole log. Reads that must include the latest appends (a query right after a command) first fold what
 * the subscription has not delivered yet. Exact past boards (asOf, afterPosition) still fold from position 0.
 */
export class SharedWallboard {
  private static readonly byStore = new WeakMap<EventStore, SharedWallboard>();
  private readonly store: EventStore;
  private readonly fold = new WallboardFold();
  /** Every wallboard event at or below this position is in the fold. */
  private through = 0;
  /** One reader or writer of the fold at a time. */
  private lock: Promise<unknown> = Promise.resolve();
  private live = false;

  private constructor(store: EventStore) {
    this.store = store;
  }

  static of(store: EventStore): SharedWallboard {
    let shared = SharedWallboard.byStore.get(store);
    if (!shared) SharedWallboard.byStore.set(store, (shared = new SharedWallboard(store)));
    return shared;
  }

  private locked<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.lock.then(fn);
    this.lock = run.catch(() => {});
    return run;
  }

  /** Folds the log up to the head as of now (inside the lock). */
  private async catchUp(): Promise<void> {
    const head = await this.store.headPosition();
    while (this.through < head) {
      const page = await this.store.readAll({
        after: this.through,
        maxCount: 5000,
        filter: { eventTypes: WALLBOARD_EVENTS },
      });
      for (const e of page) if (e.position > this.through) this.fold.apply(e);
      if (page.length < 5000) this.through = Math.max(head, page.at(-1)?.position ?? 0);
      else this.through = page[page.length - 1].position;
    }
    if (!this.live) this.follow();
  }

  private follow(): void {
    this.live = true;
    const sub = this.store.subscribe(
      (events) =>
        this.locked(() => {
          for (const e of events)
            if (e.position > this.through) {
              this.fold.apply(e);
              this.through = e.position;
            }
        }),
      { after: this.through, filter: { eventTypes: WALLBOARD_EVENTS } },
    );
    // A closed store or a failed read ends it; the next board starts it again from where the fold is.
    sub.done.then(
      () => (this.live = false),
      () => (this.live = false),
    );
  }

  /** The board now, as one caller sees it. */
  board(view: BoardView, now = Date.now()) {
    return this.locked(async () => {
      await this.catchUp();
      return this.fold.snapshot(view, now);
    });
  }

  /** A private copy of the fold at the head, and the position it is at: a live subscriber continues from there. */
  copy(): Promise<{ fold: WallboardFold; position: number }> {
    return this.locked(async () => {
      await this.catchUp();
      return { fold: this.fold.clone(), position: this.through };
    });
  }
}
