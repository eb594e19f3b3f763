/**
 * Runs a live dialer for every started progressive or predictive campaign, from the log: a campaign that
 * starts gets a dialer, a paused or stopped one places no further dial (calls already ringing finish), and a
 * reconfigured one dials under its new rules from the next dial on. Preview campaigns get none: their agents
 * dial by hand. Each campaign paces for the agents of its own department.
 */
import { campaignDecider, type CampaignState } from '../domain/campaign/decider.ts';
import { CAMPAIGN_CATEGORY, campaignStreamId } from '../domain/campaign/streams.ts';
import { fold, type DomainEvent } from '../domain/decider.ts';
import type { ComplianceRules } from '../dialer/compliance/checkDial.ts';
import { DialHistory } from '../dialer/compliance/dialHistory.ts';
import { createPacer } from '../dialer/pacing/index.ts';
import type { EventStore, RecordedEvent, Subscription } from '../eventstore/types.ts';
import type { MediaServer } from '../telephony/session/mediaServer.ts';
import { CampaignLeads } from './campaignLeads.ts';
import { LiveDialer, type HeldBack } from './liveDialer.ts';

const WATCHED = [
  'CampaignCreated', 'CampaignConfigured', 'CampaignListAttached', 'CampaignListDetached',
  'CampaignStarted', 'CampaignPaused', 'CampaignStopped', 'UserCreated', 'UserMoved',
];

export interface CampaignDialersOptions {
  store: EventStore;
  media: MediaServer;
  /** Dial string of a customer number, e.g. sofia/gateway/trunk1/<digits>. */
  dialString: (e164: string) => string;
  /**
   * Dials a campaign leaves out for inbound callers waiting that its agents could take (blended floor), read at
   * every round; `departmentId` and `serves` say whose agents the campaign dials for.
   */
  holdBack?: (campaign: { campaignId: string; departmentId?: string; serves: (agentId: string) => boolean }) => number | HeldBack;
  /** Compliance history of the floor, shared with manual dials and preview (default: one of its own). */
  history?: DialHistory;
  log?: (line: string) => void;
  tickMs?: number;
}

interface Running {
  dialer: LiveDialer;
  mode: string;
}

export class CampaignDialers {
  private readonly o: CampaignDialersOptions;
  private readonly campaigns = new Map<string, { state: CampaignState; revision: number }>();
  private readonly departmentOf = new Map<string, string | undefined>();
  private readonly running = new Map<string, Running>();
  /** One compliance history for all campaigns: attempts, live numbers and the DNC list are floor-wide facts. */
  private readonly history: DialHistory;
  /** Numbers being dialed by any campaign here: two campaigns sharing a list never ring one customer at once. */
  private readonly phonesInFlight = new Set<string>();
  /** Each campaign's leads, kept across pauses (a resume does not read the log from the start again). */
  private readonly leadsOf = new Map<string, CampaignLeads>();
  private sub?: Subscription;
  private changes: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(options: CampaignDialersOptions) {
    this.o = options;
    this.history = options.history ?? new DialHistory(options.store);
  }

  /** Resolves once the log up to now has been read and the campaigns that should dial are dialing. */
  async start(): Promise<void> {
    let caughtUp!: () => void;
    const ready = new Promise<void>((resolve) => (caughtUp = resolve));
    // Queued calls of a campaign go only to agents it dials for (a campaign the log has not shown us: anyone).
    this.o.media.dialerAgentFilter = (agentId, campaignId) => !campaignId || !this.campaigns.has(campaignId) || this.serves(campaignId, agentId);
    this.sub = this.o.store.subscribe((events) => this.apply(events), { after: 0, filter: { eventTypes: WATCHED }, onCaughtUp: () => caughtUp() });
    this.sub.done.catch((e) => this.o.log?.(`campaign dialers: ${(e as Error).message}`));
    await ready;
    await this.changes;
  }

  /** Campaigns dialing right now. */
  dialing(): string[] {
    return [...this.running.keys()];
  }

  dialer(campaignId: string): LiveDialer | undefined {
    return this.running.get(campaignId)?.dialer;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.o.media.dialerAgentFilter = () => true;
    await this.sub?.stop();
    await this.changes;
    await Promise.all([...this.running.values()].map((r) => r.dialer.stop()));
    this.running.clear();
  }

  private apply(events: RecordedEvent[]): Promise<void> {
    const touched = new Set<string>();
    for (const e of events) {
      const d = e.data as Record<string, any>;
      if (e.type === 'UserCreated' || e.type === 'UserMoved') this.departmentOf.set(d.userId, d.departmentId);
      else if (e.streamId.startsWith(`${CAMPAIGN_CATEGORY}-`)) touched.add(d.campaignId);
    }
    const run = this.changes.then(() => this.reconcile(touched));
    this.changes = run.catch((e) => this.o.log?.(`campaign dialers: ${(e as Error).message}`));
    return this.changes;
  }

  private async reconcile(touched: Set<string>): Promise<void> {
    for (const campaignId of touched) {
      const events = await this.o.store.readStream(campaignStreamId(campaignId));
      this.campaigns.set(campaignId, {
        state: fold(campaignDecider, events as unknown as DomainEvent[] as never),
        revision: events.length - 1,
      });
      if (this.stopped) return;
      await this.settle(campaignId);
    }
  }

  /** Start, stop or restart the campaign's dialer so it matches the campaign's status and mode. */
  private async settle(campaignId: string): Promise<void> {
    const c = this.campaigns.get(campaignId)!.state;
    const wanted = c.status === 'running' && c.config.mode !== 'preview' ? c.config.mode : undefined;
    const current = this.running.get(campaignId);
    if (current && current.mode === wanted) return;
    if (current) {
      await current.dialer.stop();
      this.running.delete(campaignId);
      this.o.log?.(`campaign ${campaignId}: dialer stopped (${c.status}, ${c.config.mode})`);
    }
    if (!wanted) return;
    const dialer = this.dialerFor(campaignId, wanted);
    this.running.set(campaignId, { dialer, mode: wanted });
    await dialer.start();
    this.o.log?.(`campaign ${campaignId}: ${wanted} dialer started`);
  }

  private dialerFor(campaignId: string, mode: string): LiveDialer {
    let leads = this.leadsOf.get(campaignId);
    if (!leads) this.leadsOf.set(campaignId, (leads = new CampaignLeads(this.o.store, campaignId)));
    const clock = { now: () => Date.now() };
    return new LiveDialer({
      store: this.o.store,
      media: this.o.media,
      campaignId,
      pacer: mode === 'progressive' ? createPacer({ mode: 'progressive' }, clock) : createPacer({ mode: 'callstream', abandonTarget: this.campaign(campaignId).config.abandonRateTarget }, clock),
      rules: () => this.rulesOf(campaignId),
      recording: () => this.campaign(campaignId).config.recording ?? 'always',
      callerId: () => this.campaign(campaignId).config.callerId,
      readyNow: () => this.o.media.agents.readyAgents().map((a) => a.agentId),
      servesAgent: (agentId) => this.serves(campaignId, agentId),
      history: this.history,
      phonesInFlight: this.phonesInFlight,
      nextLead: async (busy) => {
        await leads.catchUp();
        const picked = leads.select(new Date().toISOString(), busy);
        if (!picked) return undefined;
        // A recycled lead starts its next pass over the list: recorded on the dial, so attempts count from 0 again.
        const lead = picked.lead;
        return { phone: lead.phone, reason: picked.reason, timeZone: lead.timeZone, pass: picked.recycle ? lead.passes + 1 : lead.passes || undefined };
      },
      dialString: this.o.dialString,
      holdBack: this.o.holdBack && ((id) => this.o.holdBack!({ campaignId: id, departmentId: this.campaign(id).departmentId, serves: (agentId) => this.serves(id, agentId) })),
      tickMs: this.o.tickMs,
      onError: (e) => this.o.log?.(`dialer ${campaignId}: ${(e as Error).message}`),
    });
  }

  /** A campaign dials for the agents of its department. */
  private serves(campaignId: string, agentId: string): boolean {
    return this.departmentOf.get(agentId) === this.campaign(campaignId).departmentId;
  }

  private campaign(campaignId: string): CampaignState {
    return this.campaigns.get(campaignId)!.state;
  }

  /** The receipt names the campaign revision its rules came from. */
  private rulesOf(campaignId: string): ComplianceRules {
    const { state, revision } = this.campaigns.get(campaignId)!;
    const c = state.config;
    return { version: `${campaignStreamId(campaignId)}@${revision}`, callingHours: c.callingHours, maxAttempts: c.maxAttempts, abandonRateTarget: c.abandonRateTarget };
  }
}
