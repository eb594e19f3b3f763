import { commandId, type Api } from './api.ts';
import type { AgentStatus } from './agentDesk.svelte.ts';

export interface WallboardTotals {
  position: number;
  at: string;
  agentsLoggedIn: number;
  agentsAvailable: number;
  agentsOnCall: number;
  agentsPaused: number;
  agentsWrapUp: number;
  callsWaiting: number;
  longestWaitSeconds: number;
  callsToday: number;
  connectsToday: number;
  abandonedToday: number;
  ordersToday: number;
  ordersAmountToday: number;
}

export interface AgentRow {
  id: string;
  name: string;
  status: AgentStatus;
  pauseReason: string | null;
  since: string;
  callId: string | null;
  phone: string | null;
}

export interface QueueRow {
  id: string;
  name: string;
  waiting: number;
  longestWaitSeconds: number;
  agentsAvailable: number;
  serviceLevel: number | null;
  answeredToday: number;
  abandonedToday: number;
}

export interface CampaignRow {
  id: string;
  name: string;
  status: string;
  dialMode: string;
  leadsTotal: number;
  leadsRemaining: number;
  abandonRate: number;
  maxAbandonRate: number;
  orders: number;
}

export type AsOf = { at: string } | { position: number } | null;

export const TOTALS = `position at agentsLoggedIn agentsAvailable agentsOnCall agentsPaused agentsWrapUp callsWaiting longestWaitSeconds
  callsToday connectsToday abandonedToday ordersToday ordersAmountToday`;
// Three documents, not one: a read model that is down (NOT_AVAILABLE) blanks only its own panel.
const AGENTS = `query FloorAgents($asOf: AsOf) { agentStates(asOf: $asOf) { agent { id displayName } status pauseReason since currentCall { id phone } } }`;
const QUEUES = `query FloorQueues($asOf: AsOf) { queues(asOf: $asOf) { id name state { waiting longestWaitSeconds agentsAvailable serviceLevel answeredToday abandonedToday } } }`;
const CAMPAIGNS = `query FloorCampaigns($asOf: AsOf) { campaigns(first: 50, asOf: $asOf) { nodes { id name status dialMode maxAbandonRate stats { leadsTotal leadsRemaining abandonRate orders } } } }`;
const TOTALS_NOW = `query WallboardNow($asOf: AsOf) { wallboard(asOf: $asOf) { ${TOTALS} } }`;
export const WALLBOARD = `subscription Wallboard($after: Position) { wallboard(afterPosition: $after) { ${TOTALS} } }`;
const AGENT_CHANGES = `subscription AgentChanges($after: Position) { agentStates(afterPosition: $after) {
  position at agentId status pauseReason callId eventType } }`;

/**
 * Tiles from the agent and queue snapshot, only when the wallboard query is refused or down: agent and
 * queue figures are exact; day counters the snapshot lacks are NaN ("—").
 */
export function snapshotTotals(agents: AgentRow[], queues: QueueRow[]): WallboardTotals {
  const count = (...s: AgentStatus[]) => agents.filter((a) => s.includes(a.status)).length;
  const answered = queues.reduce((n, q) => n + q.answeredToday, 0);
  const abandoned = queues.reduce((n, q) => n + q.abandonedToday, 0);
  return {
    position: 0, at: '',
    agentsLoggedIn: agents.length - count('LOGGED_OUT'),
    agentsAvailable: count('AVAILABLE'),
    agentsOnCall: count('ON_CALL', 'ON_HOLD', 'RINGING'),
    agentsPaused: count('PAUSED'),
    agentsWrapUp: count('WRAP_UP'),
    callsWaiting: queues.reduce((n, q) => n + q.waiting, 0),
    longestWaitSeconds: queues.reduce((n, q) => Math.max(n, q.longestWaitSeconds), 0),
    callsToday: NaN, connectsToday: answered, abandonedToday: abandoned, ordersToday: NaN, ordersAmountToday: NaN,
  };
}

/** Samples kept for the trend chart. */
const SERIES = 60;

/** The supervisor's live floor: a snapshot query, then two subscriptions keep it current. */
export class Wallboard {
  totals = $state.raw<WallboardTotals | null>(null);
  agents = $state<AgentRow[]>([]);
  queues = $state.raw<QueueRow[]>([]);
  campaigns = $state.raw<CampaignRow[]>([]);
  /** Recent (callsWaiting, agentsOnCall) samples for the trend chart. */
  series = $state.raw<{ waiting: number; onCall: number }[]>([]);
  asOf = $state<AsOf>(null);
  error = $state<string | null>(null);
  lastPosition = 0;
  private api: Api;

  constructor(api: Api) {
    this.api = api;
  }

  get byStatus(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const a of this.agents) counts[a.status] = (counts[a.status] ?? 0) + 1;
    return counts;
  }

  async load(asOf: AsOf = null): Promise<void> {
    this.asOf = asOf;
    const [agents, queues, campaigns, board] = await Promise.allSettled([
      this.api.request(AGENTS, { asOf }), this.api.request(QUEUES, { asOf }), this.api.request(CAMPAIGNS, { asOf }),
      this.api.request<{ wallboard: WallboardTotals }>(TOTALS_NOW, { asOf }),
    ]);
    if (agents.status === 'fulfilled') {
      this.agents = agents.value.agentStates.map((s: any) => ({
        id: s.agent.id, name: s.agent.displayName, status: s.status, pauseReason: s.pauseReason, since: s.since,
        callId: s.currentCall?.id ?? null, phone: s.currentCall?.phone ?? null,
      }));
    }
    if (queues.status === 'fulfilled') this.queues = queues.value.queues.map((q: any) => ({ id: q.id, name: q.name, ...q.state }));
    if (campaigns.status === 'fulfilled') {
      this.campaigns = campaigns.value.campaigns.nodes.map((c: any) => ({ id: c.id, name: c.name, status: c.status, dialMode: c.dialMode, maxAbandonRate: c.maxAbandonRate, ...c.stats }));
    }
    const failed = [agents, queues, campaigns, board].find((r) => r.status === 'rejected');
    this.error = failed ? (failed.reason as Error).message : null;
    if (board.status === 'fulfilled') {
      // The day totals as of the load; a live update that already arrived with a later position wins.
      if (asOf || !this.totals || board.value.wallboard.position >= this.totals.position) this.totals = board.value.wallboard;
    } else if (!this.totals || asOf) {
      this.totals = snapshotTotals(this.agents, this.queues);
    }
    // The trend starts at the snapshot, so a quiet floor still draws a line (a past instant has one point).
    if (asOf) this.series = [];
    this.sample(this.totals.callsWaiting, this.totals.agentsOnCall);
  }

  /** The wallboard feed can be quiet for minutes; agent changes move the on-call line between its updates. */
  private sample(waiting: number, onCall: number) {
    this.series = [...this.series, { waiting, onCall }].slice(-SERIES);
  }

  /** Live updates; a historical view (asOf set) stays still. */
  start(): () => void {
    if (this.asOf) return () => {};
    const sink = { error: (e: unknown) => (this.error = (e as Error).message) };
    // Every update is the whole board, so starting live (not from the loaded position) loses nothing.
    const stopTotals = this.api.subscribe(WALLBOARD, { after: null }, { ...sink, next: (d: any) => this.onTotals(d.wallboard) });
    const stopAgents = this.api.subscribe(AGENT_CHANGES, { after: null }, { ...sink, next: (d: any) => this.onAgentChange(d.agentStates) });
    return () => {
      stopTotals();
      stopAgents();
    };
  }

  onTotals(t: WallboardTotals) {
    if (this.totals && t.position < this.totals.position) return;
    this.totals = t;
    this.sample(t.callsWaiting, t.agentsOnCall);
  }

  onAgentChange(c: { position: number; at: string; agentId: string; status: AgentStatus; pauseReason: string | null; callId: string | null }) {
    if (c.position <= this.lastPosition) return;
    this.lastPosition = c.position;
    const row = this.agents.find((a) => a.id === c.agentId);
    if (!row) {
      // An agent who logged in after the snapshot: the full row (name) comes with the next snapshot.
      void this.load(null);
      return;
    }
    row.status = c.status;
    row.pauseReason = c.pauseReason;
    row.since = c.at;
    row.callId = c.callId;
    const onCall = this.agents.filter((a) => a.status === 'ON_CALL' || a.status === 'ON_HOLD' || a.status === 'RINGING').length;
    this.sample(this.totals?.callsWaiting ?? 0, onCall);
  }

  /** Interventions: each is a recorded command with who did it and why. */
  monitor(callId: string, mode: 'LISTEN' | 'WHISPER' | 'BARGE') {
    return this.command(`mutation MonitorCall($callId: ID!, $mode: MonitorMode!, $commandId: ID) { monitorCall(callId: $callId, mode: $mode, commandId: $commandId) { position } }`, { callId, mode });
  }
  forceHangUp(callId: string, reason: string) {
    return this.command(`mutation ForceHangUp($callId: ID!, $reason: String!, $commandId: ID) { forceHangUp(callId: $callId, reason: $reason, commandId: $commandId) { position } }`, { callId, reason });
  }
  forceTransfer(callId: string, target: { toAgentId?: string; toQueueId?: string }, reason: string) {
    return this.command(`mutation ForceTransfer($callId: ID!, $toAgentId: ID, $toQueueId: ID, $reason: String!, $commandId: ID) {
      forceTransfer(callId: $callId, toAgentId: $toAgentId, toQueueId: $toQueueId, reason: $reason, commandId: $commandId) { position } }`, { callId, ...target, reason });
  }
  forceState(agentId: string, status: 'AVAILABLE' | 'LOGGED_OUT', reason: string) {
    return this.command(`mutation ForceAgentState($agentId: ID!, $status: AgentStatus!, $reason: String!, $commandId: ID) {
      forceAgentState(agentId: $agentId, status: $status, reason: $reason, commandId: $commandId) { position } }`, { agentId, status, reason });
  }

  private async command(query: string, variables: Record<string, unknown>): Promise<boolean> {
    try {
      this.error = null;
      await this.api.request(query, { ...variables, commandId: commandId() });
      return true;
    } catch (e) {
      this.error = (e as Error).message;
      return false;
    }
  }
}
