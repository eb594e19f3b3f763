import { selectLead, type AgentRef, type LeadView, type Selection, type SelectionPolicy } from '../dialer/selection/index.ts';
import type { CampaignConfig, RetryDisposition } from '../domain/campaign/events.ts';
import type { EventStore, RecordedEvent } from '../eventstore/types.ts';

const TYPES = [
  'CampaignCreated', 'CampaignConfigured', 'CampaignListAttached', 'CampaignListDetached',
  'LeadImported', 'LeadDuplicateMerged', 'LeadAssigned', 'LeadClaimed', 'LeadReleased', 'LeadDoNotCallAdded', 'LeadDoNotCallRemoved',
  'LeadCallbackScheduled', 'LeadCallbackDone', 'LeadCallbackMissed', 'LeadCallbackCancelled', 'LeadDispositionRecorded', 'LeadDispositionCorrected',
  'CallDialAttempted', 'CallDialBlocked', 'CallAnswered', 'CallEnded',
];
/** Dispositions after which the lead is not dialed again in this campaign. */
const FINAL = new Set(['SALE', 'NOT_INTERESTED', 'WRONG_NUMBER', 'DO_NOT_CALL', 'REFUSED', 'INVALID']);
/** A refused dial (hours, caps) is not retried on every tick: the lead rests this long first. */
const BLOCKED_REST_MS = 15 * 60_000;

interface Lead extends LeadView {
  lists: Set<string>;
  dnc: boolean;
  finalCode: boolean;
  blockedAt?: number;
  callbacks: Map<string, { dueAt: string; owner: string; visibility: 'public' | 'private' }>;
}

/**
 * The leads of one campaign as the selector sees them, kept from the log: list membership, attempts and
 * the last dial's outcome in this campaign, callbacks, claims, assignments, final dispositions, do-not-call.
 * `next()` asks `selectLead` with the campaign's own policy (max attempts, retry delays per outcome).
 */
export class CampaignLeads {
  private readonly store: EventStore;
  private readonly campaignId: string;
  private position = 0;
  private readonly leads = new Map<string, Lead>();
  private readonly lists = new Set<string>();
  private readonly callOf = new Map<string, string>(); // callId -> phone, dials of this campaign
  private config: Partial<CampaignConfig> = {};

  constructor(store: EventStore, campaignId: string) {
    this.store = store;
    this.campaignId = campaignId;
  }

  async catchUp(): Promise<void> {
    for (;;) {
      const batch = await this.store.readAll({ after: this.position, maxCount: 5000, filter: { eventTypes: TYPES } });
      for (const e of batch) this.apply(e);
      if (batch.length < 5000) return;
    }
  }

  policy(): SelectionPolicy {
    return { maxAttempts: this.config.maxAttempts ?? 3, retryRules: this.config.retryRules ?? {}, recycle: this.config.recycle };
  }

  /** The number to dial next for the campaign (any agent: predictive), or undefined when none is due. */
  next(now: string, busy: ReadonlySet<string>): string | undefined {
    return this.select(now, busy)?.lead.phone;
  }

  /**
   * The lead to offer next and why: for one agent (preview: their callbacks, leads assigned to them or their
   * team first), or for the campaign when `agent` is undefined.
   */
  select(now: string, busy: ReadonlySet<string>, agent?: AgentRef): Selection | undefined {
    const at = Date.parse(now);
    const skip = new Set(busy);
    const open: LeadView[] = [];
    for (const l of this.leads.values()) {
      if (![...l.lists].some((id) => this.lists.has(id))) continue;
      if (l.blockedAt !== undefined && at - l.blockedAt < BLOCKED_REST_MS) skip.add(l.phone);
      const due = [...l.callbacks.values()].sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
      open.push({ ...l, status: l.dnc || l.finalCode ? 'closed' : 'open', callback: due });
    }
    return selectLead(open, this.policy(), now, agent, skip);
  }

  private apply(e: RecordedEvent): void {
    this.position = e.position;
    const d = e.data as Record<string, any>;
    if (e.type.startsWith('Campaign')) {
      if (d.campaignId !== this.campaignId) return;
      if (e.type === 'CampaignCreated' || e.type === 'CampaignConfigured') this.config = { ...this.config, ...d.config };
      if (e.type === 'CampaignListAttached') this.lists.add(d.listId);
      if (e.type === 'CampaignListDetached') this.lists.delete(d.listId);
      return;
    }
    if (e.type.startsWith('Call')) return this.applyCall(e.type, d, e);
    const lead = this.lead(d.phone, e.position);
    switch (e.type) {
      case 'LeadImported':
      case 'LeadDuplicateMerged':
        if (d.batchId) lead.lists.add(d.batchId);
        break;
      case 'LeadAssigned':
        lead.assignee = d.assignee;
        break;
      case 'LeadClaimed':
        Object.assign(lead, { owner: d.agentId, privateUntil: d.privateUntil });
        break;
      case 'LeadReleased':
        Object.assign(lead, { owner: undefined, privateUntil: undefined });
        break;
      case 'LeadDoNotCallAdded':
      case 'LeadDoNotCallRemoved':
        lead.dnc = e.type === 'LeadDoNotCallAdded';
        break;
      case 'LeadCallbackScheduled':
        lead.callbacks.set(d.callbackId, { dueAt: d.dueAt, owner: d.owner, visibility: d.visibility });
        break;
      case 'LeadCallbackDone':
      case 'LeadCallbackMissed':
      case 'LeadCallbackCancelled':
        lead.callbacks.delete(d.callbackId);
        break;
      case 'LeadDispositionRecorded':
      case 'LeadDispositionCorrected':
        if (d.campaignId && d.campaignId !== this.campaignId) break;
        lead.finalCode = FINAL.has(String(d.code).toUpperCase());
        if (String(d.code).toUpperCase() === 'CALLBACK') lead.lastDisposition = 'callback';
        break;
    }
  }

  private applyCall(type: string, d: Record<string, any>, e: RecordedEvent): void {
    if (type === 'CallDialAttempted' || type === 'CallDialBlocked') {
      if (d.campaignId !== this.campaignId) return;
      const lead = this.lead(d.phone, e.position);
      if (type === 'CallDialBlocked') {
        lead.blockedAt = Date.parse(e.recordedAt);
        return;
      }
      this.callOf.set(d.callId, d.phone);
      // A dial in a later pass (list recycling) starts that pass's attempt count.
      const pass = Number(d.pass ?? 0);
      if (pass > lead.passes) Object.assign(lead, { passes: pass, attempts: 0 });
      Object.assign(lead, { attempts: lead.attempts + 1, lastDialAt: d.at ?? e.recordedAt, lastDisposition: 'no_answer' as RetryDisposition });
      return;
    }
    const phone = this.callOf.get(d.callId);
    const lead = phone ? this.leads.get(phone) : undefined;
    if (!lead) return;
    if (type === 'CallAnswered') lead.lastDisposition = d.answeredBy === 'machine' ? 'machine' : 'other';
    if (type === 'CallEnded') {
      this.callOf.delete(d.callId);
      if (d.cause === 'USER_BUSY' && lead.lastDisposition === 'no_answer') lead.lastDisposition = 'busy';
    }
  }

  private lead(phone: string, order: number): Lead {
    let l = this.leads.get(phone);
    if (!l) {
      l = { phone, listId: '', order, status: 'open', attempts: 0, passes: 0, lists: new Set(), dnc: false, finalCode: false, callbacks: new Map() };
      this.leads.set(phone, l);
    }
    return l;
  }
}
