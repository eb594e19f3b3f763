import { ApiError, commandId, type Api } from './api.ts';
import { CUSTOMER, type Customer360 } from './customer.ts';

export type AgentStatus = 'LOGGED_OUT' | 'AVAILABLE' | 'PAUSED' | 'RINGING' | 'ON_CALL' | 'ON_HOLD' | 'WRAP_UP';

export interface ActiveCall {
  id: string;
  phone: string;
  leadId: string | null;
  campaignId: string | null;
  direction: 'INBOUND' | 'OUTBOUND' | null;
  stage: 'ringing' | 'talking' | 'held' | 'ended';
  startedAt: string;
}

export interface CampaignInfo {
  id: string;
  name: string;
  dispositions: string[];
  script: string | null;
  questionnaireId: string | null;
  /** What the agent offers on this campaign's calls (the order form picks from them). */
  products: CampaignProduct[];
}

export interface CampaignProduct {
  id: string;
  sku: string;
  name: string;
  /** fen */
  price: number;
  discontinued: boolean;
}

interface MyCallEvent {
  position: number;
  at: string;
  callId: string;
  eventType: string;
  phone: string | null;
  leadId: string | null;
  campaignId: string | null;
  data: Record<string, any>;
}

const STATE = `query AgentState($id: ID!) { agentState(agentId: $id) { status pauseReason since extension
  currentCall { id phone direction startedAt lead { id } campaign { id } } } }`;
const MY_CALLS = `subscription MyCalls($after: Position) { myCalls(afterPosition: $after) {
  position at callId eventType phone leadId campaignId data } }`;
/** Reads of a call the read model does not know yet, half a second apart (about 10 s in all). */
const CALL_RETRIES = 20;
const CALL = `query CallPhone($id: ID!) { call(id: $id) { phone lead { id } campaign { id } } }`;
const CAMPAIGN = `query Campaign($id: ID!) { campaign(id: $id) { id name dispositions script questionnaireId products { id sku name price discontinued } } }`;

const ENDED = new Set(['CallEnded', 'CallAbandoned', 'CallForceHungUp']);
const mutation = (name: string, params: string, args: string) =>
  `mutation ${name[0].toUpperCase() + name.slice(1)}(${params}${params ? ', ' : ''}$commandId: ID) { ${name}(${args}${args ? ', ' : ''}commandId: $commandId) { position events { type } } }`;

/**
 * The agent's state after their own command, read from the events it appended (read-your-writes: the
 * desk does not wait for a projection). After login the agent is not ready until they say so.
 */
export function statusAfter(events: { type: string }[]): AgentStatus | null {
  let status: AgentStatus | null = null;
  for (const e of events) {
    if (e.type === 'AgentLoggedIn' || e.type === 'AgentNotReady') status = 'PAUSED';
    else if (e.type === 'AgentReady') status = 'AVAILABLE';
    else if (e.type === 'AgentLoggedOut') status = 'LOGGED_OUT';
  }
  return status;
}

/** One agent's desk: phone state, the live call and its screen pop. Fed by the myCalls subscription. */
export class AgentDesk {
  status = $state<AgentStatus>('LOGGED_OUT');
  pauseReason = $state<string | null>(null);
  since = $state<string | null>(null);
  extension = $state<string | null>(null);
  call = $state<ActiveCall | null>(null);
  /** Pause between reads of a call the read model has not caught up with (tests set 0). */
  retryMs = 500;
  /** How long the desk trusts its own command's result over a state read that disagrees (read model catching up). */
  trustOwnCommandMs = 5_000;
  private ownCommandAt = 0;
  customer = $state.raw<Customer360 | null>(null);
  campaign = $state.raw<CampaignInfo | null>(null);
  error = $state<string | null>(null);
  /** Highest event position seen: dedupes replays after a reconnect. */
  lastPosition = 0;
  private api: Api;
  private agentId: string;

  constructor(api: Api, agentId: string) {
    this.api = api;
    this.agentId = agentId;
  }

  /** A live (not yet ended) call is on the desk. */
  get busy(): boolean {
    return this.call != null && this.call.stage !== 'ended';
  }

  async load(): Promise<void> {
    let data: any = null;
    try {
      data = await this.api.request(STATE, { id: this.agentId });
    } catch (e) {
      // A server without the agent-state read model yet: the desk keeps what its own commands told it.
      if (!(e instanceof ApiError && e.code === 'NOT_AVAILABLE')) this.error = (e as Error).message;
      return;
    }
    const s = data?.agentState;
    if (!s) return;
    // Right after its own command the read model may still show the state before it (e.g. logged out just after
    // logging in); taking that would flip the desk back and forth. After a short while the server wins again.
    const catchingUp = s.status !== this.status && Date.now() - this.ownCommandAt < this.trustOwnCommandMs;
    if (!catchingUp) {
      this.status = s.status;
      this.pauseReason = s.pauseReason;
      this.since = s.since;
    }
    this.extension = s.extension;
    const c = s.currentCall;
    const open = this.call;
    if (c && open && open.id === c.id && !open.phone && c.phone) {
      this.call = { ...open, phone: c.phone };
      void this.refreshCustomer();
    } else if (c && this.call?.id !== c.id) {
      this.pop({ id: c.id, phone: c.phone, leadId: c.lead?.id ?? null, campaignId: c.campaign?.id ?? null, direction: c.direction, stage: 'talking', startedAt: c.startedAt });
    }
  }

  /** Subscribe to this agent's calls; returns the unsubscribe function (for $effect cleanup). */
  start(): () => void {
    return this.api.subscribe<{ myCalls: MyCallEvent }>(MY_CALLS, { after: this.lastPosition || null }, {
      next: (d) => this.onCallEvent(d.myCalls),
      error: (e) => (this.error = (e as Error).message),
    });
  }

  onCallEvent(e: MyCallEvent): void {
    if (e.position <= this.lastPosition) return;
    this.lastPosition = e.position;
    if (ENDED.has(e.eventType)) {
      if (this.call?.id === e.callId) this.call = { ...this.call, stage: 'ended' };
      this.setStatus('WRAP_UP', e.at);
      return;
    }
    if (this.call?.id !== e.callId || this.call.stage === 'ended') {
      if (this.call?.id === e.callId) return; // late event of a finished call
      this.pop({
        id: e.callId, phone: e.phone ?? e.data.phone ?? '', leadId: e.leadId, campaignId: e.campaignId,
        direction: e.data.direction === 'inbound' ? 'INBOUND' : e.data.direction === 'outbound' ? 'OUTBOUND' : null,
        stage: 'ringing', startedAt: e.at,
      });
    }
    const call = this.call!;
    if (e.eventType === 'CallBridged' || e.eventType === 'CallAnswered' || e.eventType === 'CallResumed') {
      this.call = { ...call, stage: 'talking' };
      this.setStatus('ON_CALL', e.at);
    } else if (e.eventType === 'CallHeld') {
      this.call = { ...call, stage: 'held' };
      this.setStatus('ON_HOLD', e.at);
    } else if (e.eventType === 'CallOffered' || e.eventType === 'CallRinging') {
      this.setStatus('RINGING', e.at);
    }
  }

  /** Screen pop: show the call at once, then fill in the customer and the campaign's script. */
  private pop(call: ActiveCall) {
    this.call = call;
    this.customer = null;
    if (call.phone) void this.refreshCustomer();
    if (call.campaignId) this.loadCampaign(call.campaignId);
    // A predictive call reaches the agent at bridge time, on an event that may carry neither number nor campaign.
    if (!call.phone || !call.campaignId) void this.completeCall(call.id);
  }

  private async completeCall(id: string, attempt = 0) {
    const d = await this.guard(() => this.api.request(CALL, { id }));
    const c = d?.call;
    if (this.call?.id !== id) return;
    if (c) {
      const before = this.call;
      this.call = { ...before, phone: before.phone || (c.phone ?? ''), leadId: before.leadId ?? c.lead?.id ?? null, campaignId: before.campaignId ?? c.campaign?.id ?? null };
      if (!before.phone && this.call.phone) void this.refreshCustomer();
      if (!before.campaignId && this.call.campaignId) this.loadCampaign(this.call.campaignId);
    }
    // The calls read model can trail the agent's feed by a moment: ask again until it knows the number.
    if ((!c || !this.call.phone) && attempt < CALL_RETRIES) setTimeout(() => void this.completeCall(id, attempt + 1), this.retryMs);
  }

  private loadCampaign(id: string) {
    if (this.campaign?.id === id) return;
    void this.api.request(CAMPAIGN, { id }).then((d) => (this.campaign = d.campaign), () => {});
  }

  async refreshCustomer(): Promise<void> {
    if (!this.call?.phone) return;
    const data = await this.guard(() => this.api.request(CUSTOMER, { phone: this.call!.phone }));
    if (data) this.customer = data.customer;
  }

  private setStatus(status: AgentStatus, at: string) {
    this.status = status;
    this.since = at;
    this.pauseReason = null; // only PAUSED has a reason, and calls never arrive while paused
  }

  async login(extension: string) {
    const ok = await this.run(mutation('agentLogin', '$extension: String!', 'extension: $extension'), { extension });
    if (ok && !this.extension) this.extension = extension;
    return ok;
  }
  logout() { return this.run(mutation('agentLogout', '', ''), {}); }
  ready() { return this.run(mutation('setAgentAvailable', '', ''), {}); }
  pause(reason: string) { return this.run(mutation('pauseAgent', '$reason: String!', 'reason: $reason'), { reason }, reason); }
  /** The live agent leaves wrap-up at once; the session records it, so the desk moves to ready on success. */
  finishWrapUp() { return this.run(mutation('finishWrapUp', '', ''), {}, null, 'AVAILABLE'); }

  /** Answer the call ringing on this desk; the bridge then arrives on myCalls like any other. */
  answer() {
    if (!this.call || this.call.stage !== 'ringing') return Promise.resolve(false);
    return this.run(mutation('answerCall', '$callId: ID', 'callId: $callId'), { callId: this.call.id });
  }

  hangUp() { return this.onCall('hangUp'); }
  hold() { return this.onCall('hold'); }
  unhold() { return this.onCall('unhold'); }

  transfer(target: { toAgentId?: string; toQueueId?: string; toNumber?: string }) {
    if (!this.call) return Promise.resolve(false);
    return this.run(
      mutation('transfer', '$callId: ID!, $toAgentId: ID, $toQueueId: ID, $toNumber: String', 'callId: $callId, toAgentId: $toAgentId, toQueueId: $toQueueId, toNumber: $toNumber'),
      { callId: this.call.id, ...target },
    );
  }

  /** Click-to-dial (preview): the call itself arrives through myCalls like any other. */
  dial(phone: string, leadId?: string, campaignId?: string) {
    return this.run(mutation('dial', '$phone: String!, $leadId: ID, $campaignId: ID', 'phone: $phone, leadId: $leadId, campaignId: $campaignId'), { phone, leadId, campaignId });
  }

  /** The pop stays after the disposition (an order may follow) until the next call replaces it. */
  dispose(disposition: string, note: string): Promise<boolean> {
    if (!this.call) return Promise.resolve(false);
    return this.run(
      mutation('setDisposition', '$callId: ID!, $disposition: String!, $note: String', 'callId: $callId, disposition: $disposition, note: $note'),
      { callId: this.call.id, disposition, note: note || null },
    );
  }

  private onCall(name: 'hangUp' | 'hold' | 'unhold') {
    if (!this.call) return Promise.resolve(false);
    return this.run(mutation(name, '$callId: ID!', 'callId: $callId'), { callId: this.call.id });
  }

  /**
   * Run a command, apply the state its events imply (or `implied`, for commands the switch session records
   * after answering), then re-read the phone state (the server is the authority).
   */
  async run(query: string, variables: Record<string, unknown>, pauseReason: string | null = null, implied: AgentStatus | null = null): Promise<boolean> {
    const ok = await this.guard(() => this.api.request(query, { ...variables, commandId: commandId() }));
    if (!ok) return false;
    const result = Object.values(ok as Record<string, { events?: { type: string }[] }>)[0];
    const status = statusAfter(result?.events ?? []) ?? implied;
    if (status) {
      this.setStatus(status, new Date().toISOString());
      this.ownCommandAt = Date.now();
      if (status === 'PAUSED') this.pauseReason = pauseReason;
    }
    await this.load();
    return true;
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T | null> {
    try {
      this.error = null;
      return await fn();
    } catch (e) {
      this.error = (e as Error).message;
      return null;
    }
  }
}
