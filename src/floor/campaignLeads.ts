import { leadTimeZoneOf } from '../dialer/compliance/localTime.ts';
import { DueHeap } from '../dialer/selection/dueHeap.ts';
import { LogFold } from '../eventstore/logFold.ts';
import { eligibility, selectLead, type AgentRef, type LeadView, type Selection, type SelectionPolicy } from '../dialer/selection/index.ts';
import { dispositionMeaning } from '../domain/campaign/dispositions.ts';
import type { CampaignConfig, RetryDisposition } from '../domain/campaign/events.ts';
import type { EventStore, RecordedEvent } from '../eventstore/types.ts';

const TYPES = [
  'CampaignCreated', 'CampaignConfigured', 'CampaignListAttached', 'CampaignListDetached',
  'LeadImported', 'LeadDuplicateMerged', 'LeadFieldsSet', 'LeadAssigned', 'LeadClaimed', 'LeadReleased', 'LeadDoNotCallAdded', 'LeadDoNotCallRemoved',
  'LeadCallbackScheduled', 'LeadCallbackDone', 'LeadCallbackMissed', 'LeadCallbackCancelled', 'LeadDispositionRecorded', 'LeadDispositionCorrected',
  'NumberBlacklisted', 'NumberUnblacklisted',
  'CallDialAttempted', 'CallDialBlocked', 'CallAnswered', 'CallEnded',
];
/** A refused dial (hours, caps) is not retried on every tick: the lead rests this long first. */
const BLOCKED_REST_MS = 15 * 60_000;

interface Lead extends LeadView {
  /** Lists (import batches) the lead belongs to; usually one. */
  lists: string[];
  dnc: boolean;
  /** On the operator's blacklist: not picked (the gate would refuse it on every pass). */
  blacklisted: boolean;
  finalCode: boolean;
  blockedAt?: number;
  /** Pending callbacks by id; created on the first one (most leads never have any). */
  callbacks?: Map<string, { dueAt: string; owner: string; visibility: 'public' | 'private' }>;
  /** Position in `byOrder`. */
  idx: number;
  /** Bumped on every change: heap entries with an older stamp are stale. */
  stamp: number;
}

type Entry = { lead: Lead; stamp: number };

/** Candidates taken from each ordered source per selection; selectLead picks the best among them. */
const PER_SOURCE = 16;
const NO_PHONES: ReadonlySet<string> = new Set();

/**
 * The leads of one campaign as the selector sees them, kept from the log: list membership, attempts and
 * the last dial's outcome in this campaign, callbacks, claims, assignments, final dispositions, do-not-call.
 * `select()` asks `selectLead` with the campaign's own policy (max attempts, retry delays per outcome).
 *
 * A list can hold a million leads and the dialer selects several times a second, so selection does not scan
 * them all: it hands `selectLead` only the few that can win, from three indexes kept as the log is read —
 * leads with a callback, an assignee or an owner (few); never-dialed leads in list order (a cursor); and
 * dialed or resting leads by the time they come due (a heap). `scanSelect()` is the plain scan it must agree
 * with (tests and the selection bench compare them).
 */
export class CampaignLeads {
  private readonly campaignId: string;
  private readonly leads = new Map<string, Lead>();
  private readonly lists = new Set<string>();
  private readonly callOf = new Map<string, string>(); // callId -> phone, dials of this campaign
  private config: Partial<CampaignConfig> = {};
  private policyCache?: SelectionPolicy;
  /** Leads selectable only with their people in mind: callbacks, assignees, owners (scanned for one agent's pick). */
  private readonly special = new Set<Lead>();
  /** For the campaign's own picks (no agent): leads whose next callback is public, by when anyone may take it... */
  private readonly publicCallbacks = new DueHeap<Entry>();
  /** ...and claimed leads with no callback or assignee (anyone may dial them once the claim's protection ends). */
  private readonly owned = new Set<Lead>();
  /** Every lead in order of first sight; `cursor` passes leads that are no longer fresh. */
  private readonly byOrder: Lead[] = [];
  private cursor = 0;
  /** Fresh leads the cursor had already passed (back from do-not-call, added to a list later). */
  private readonly reopened = new Set<Lead>();
  /** Lists this campaign has ever had: only their leads are held (a floor's log holds every campaign's leads). */
  private readonly accepted = new Set<string>();
  /** Lists whose leads were passed over before the campaign took them: taking one means reading the log again. */
  private readonly passedOver = new Set<string>();
  /** By kind, as selectLead ranks them (retries, recycled leads, never-dialed leads once refused), keyed by when due. */
  private readonly due = { retry: new DueHeap<Entry>(), recycle: new DueHeap<Entry>(), new: new DueHeap<Entry>() };
  /** Leads resting after a refused dial, keyed by the end of the rest; they join `due` when it ends. */
  private readonly resting = new DueHeap<Entry>();

  constructor(store: EventStore, campaignId: string) {
    this.campaignId = campaignId;
    this.log = new LogFold(store, TYPES, (e) => this.apply(e));
  }

  private readonly log: LogFold;

  /** Read the log up to its head. Concurrent calls queue (two agents asking at once must not fold an event twice). */
  catchUp(): Promise<void> {
    return this.log.catchUp();
  }

  /** A list attached after its leads were imported: start again from the log's beginning, now keeping that list. */
  private forget(): void {
    this.passedOver.clear();
    this.leads.clear();
    this.lists.clear();
    this.callOf.clear();
    this.config = {};
    this.byOrder.length = 0;
    this.special.clear();
    this.owned.clear();
    this.reindex();
    this.log.rewind();
  }

  policy(): SelectionPolicy {
    return (this.policyCache ??= { maxAttempts: this.config.maxAttempts ?? 3, retryRules: this.config.retryRules ?? {}, recycle: this.config.recycle });
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
    const candidates: Lead[] = [];
    if (agent) {
      for (const l of this.special) if (this.member(l) && !this.isResting(l, at)) candidates.push(l);
    } else {
      // Without an agent, assigned leads and private callbacks can never win: only these two sources can.
      for (const l of this.owned) if (this.member(l) && !this.isResting(l, at)) candidates.push(l);
      this.takeDue(this.publicCallbacks, at, busy, candidates, (l) => l.callback?.visibility === 'public' && this.member(l));
    }
    // Fresh leads in list order.
    while (this.cursor < this.byOrder.length && !this.fresh(this.byOrder[this.cursor])) this.cursor++;
    let taken = 0;
    for (const l of this.reopened) {
      if (!this.fresh(l)) this.reopened.delete(l);
      else if (!busy.has(l.phone) && taken++ < PER_SOURCE) candidates.push(l);
    }
    taken = 0;
    for (let i = this.cursor; i < this.byOrder.length && taken < PER_SOURCE; i++) {
      const l = this.byOrder[i];
      if (this.fresh(l) && !busy.has(l.phone)) {
        candidates.push(l);
        taken++;
      }
    }
    for (let top = this.resting.peek(); top && top.due <= at; top = this.resting.peek()) {
      this.resting.pop();
      if (top.value.stamp === top.value.lead.stamp) this.queue(top.value.lead, top.value.stamp);
    }
    for (const heap of Object.values(this.due)) this.takeDue(heap, at, busy, candidates);
    return selectLead(candidates, this.policy(), now, agent, busy);
  }

  /** Up to PER_SOURCE leads due by `at` from one heap; the ones looked at go back on it. */
  private takeDue(heap: DueHeap<Entry>, at: number, busy: ReadonlySet<string>, into: Lead[], valid = (l: Lead) => this.dueable(l)): void {
    const back: { due: number; tie: number; value: Entry }[] = [];
    let taken = 0;
    while (taken < PER_SOURCE) {
      const top = heap.peek();
      if (!top || top.due > at) break;
      heap.pop();
      const { lead, stamp } = top.value;
      if (stamp !== lead.stamp || !valid(lead)) continue; // stale: the lead changed since
      back.push(top);
      if (busy.has(lead.phone) || this.isResting(lead, at)) continue;
      into.push(lead);
      taken++;
    }
    for (const b of back) heap.push(b.due, b.tie, b.value);
  }

  /** The same choice by scanning every lead: the reference `select()` must agree with. */
  scanSelect(now: string, busy: ReadonlySet<string>, agent?: AgentRef): Selection | undefined {
    const at = Date.parse(now);
    const skip = new Set(busy);
    const open: LeadView[] = [];
    for (const l of this.leads.values()) {
      if (!this.member(l)) continue;
      if (this.isResting(l, at)) skip.add(l.phone);
      open.push(l);
    }
    return selectLead(open, this.policy(), now, agent, skip);
  }

  /** Leads known (any list in the log), for memory figures. */
  get size(): number {
    return this.leads.size;
  }

  private member(l: Lead): boolean {
    for (const id of l.lists) if (this.lists.has(id)) return true;
    return false;
  }

  private isResting(l: Lead, at: number): boolean {
    return l.blockedAt !== undefined && at - l.blockedAt < BLOCKED_REST_MS;
  }

  private isSpecial(l: Lead): boolean {
    return l.callbacks !== undefined || l.assignee !== undefined || l.owner !== undefined;
  }

  /** Never dialed in this pass, never refused, open, in the campaign, for anyone: in list order. */
  private fresh(l: Lead): boolean {
    return l.attempts === 0 && l.blockedAt === undefined && l.status === 'open' && !this.isSpecial(l) && this.member(l);
  }

  /** Comes due at a time: dialed before or resting after a refusal, open, for anyone, in the campaign. */
  private dueable(l: Lead): boolean {
    return (l.attempts > 0 || l.blockedAt !== undefined) && l.status === 'open' && !this.isSpecial(l) && this.member(l);
  }

  /** Bring the lead's derived fields and its place in the indexes up to date after a change. */
  private refresh(l: Lead): void {
    l.status = l.dnc || l.blacklisted || l.finalCode ? 'closed' : 'open';
    let first: Lead['callback'];
    for (const c of l.callbacks?.values() ?? []) if (!first || c.dueAt < first.dueAt) first = c;
    l.callback = first;
    if (this.isSpecial(l)) this.special.add(l);
    else this.special.delete(l);
    if (l.owner !== undefined && l.assignee === undefined && l.callbacks === undefined) this.owned.add(l);
    else this.owned.delete(l);
    l.stamp++;
    if (first?.visibility === 'public') {
      const grace = (this.policy().callbackOwnerGraceMinutes ?? 15) * 60_000;
      this.publicCallbacks.push(Date.parse(first.dueAt) + grace, l.order, { lead: l, stamp: l.stamp });
    }
    if (this.dueable(l)) this.schedule(l);
    else if (this.fresh(l) && l.idx < this.cursor) this.reopened.add(l);
  }

  private schedule(l: Lead): void {
    if (l.blockedAt !== undefined) this.resting.push(l.blockedAt + BLOCKED_REST_MS, l.order, { lead: l, stamp: l.stamp });
    else this.queue(l, l.stamp);
  }

  /** Onto the heap of its kind, keyed by when it comes due (with time at infinity, eligibility says when). */
  private queue(l: Lead, stamp: number): void {
    const e = eligibility({ ...l, callback: undefined, owner: undefined, privateUntil: undefined }, this.policy(), Infinity, undefined, NO_PHONES);
    if (!e.ok) return;
    const heap = e.kind === 'retry' ? this.due.retry : e.kind === 'recycle' ? this.due.recycle : this.due.new;
    heap.push(e.dueAt, l.order, { lead: l, stamp });
  }

  /** The policy or the lists changed: every lead's place is worked out again. */
  private reindex(): void {
    this.policyCache = undefined;
    for (const heap of Object.values(this.due)) heap.clear();
    this.resting.clear();
    this.publicCallbacks.clear();
    this.cursor = 0;
    this.reopened.clear();
    for (const l of this.byOrder) this.refresh(l);
  }

  private apply(e: RecordedEvent): void {
    const d = e.data as Record<string, any>;
    if (e.type.startsWith('Campaign')) {
      if (d.campaignId !== this.campaignId) return;
      if (e.type === 'CampaignCreated' || e.type === 'CampaignConfigured') this.config = { ...this.config, ...d.config };
      if (e.type === 'CampaignListAttached') {
        this.lists.add(d.listId);
        if (!this.accepted.has(d.listId)) {
          this.accepted.add(d.listId);
          if (this.passedOver.has(d.listId)) return this.forget();
        }
      }
      if (e.type === 'CampaignListDetached') this.lists.delete(d.listId);
      this.reindex();
      return;
    }
    if (e.type.startsWith('Call')) return this.applyCall(e.type, d, e);
    if ((e.type === 'LeadImported' || e.type === 'LeadDuplicateMerged') && !this.leads.has(d.phone) && !this.accepted.has(d.batchId)) {
      this.passedOver.add(d.batchId);
      return;
    }
    const lead = this.leads.get(d.phone) ?? (e.type === 'LeadImported' || e.type === 'LeadDuplicateMerged' ? this.lead(d.phone, e.position) : undefined);
    if (!lead) return; // not a lead of this campaign's lists
    switch (e.type) {
      case 'LeadImported':
      case 'LeadDuplicateMerged':
        if (d.batchId && !lead.lists.includes(d.batchId)) lead.lists.push(d.batchId);
        lead.timeZone = leadTimeZoneOf(d.fields) ?? lead.timeZone;
        break;
      case 'LeadFieldsSet':
        lead.timeZone = leadTimeZoneOf(d.fields) ?? lead.timeZone;
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
      case 'NumberBlacklisted':
      case 'NumberUnblacklisted':
        lead.blacklisted = e.type === 'NumberBlacklisted';
        break;
      case 'LeadCallbackScheduled':
        (lead.callbacks ??= new Map()).set(d.callbackId, { dueAt: d.dueAt, owner: d.owner, visibility: d.visibility });
        break;
      case 'LeadCallbackDone':
      case 'LeadCallbackMissed':
      case 'LeadCallbackCancelled':
        lead.callbacks?.delete(d.callbackId);
        if (lead.callbacks?.size === 0) lead.callbacks = undefined;
        break;
      case 'LeadDispositionRecorded':
      case 'LeadDispositionCorrected':
        if (d.campaignId && d.campaignId !== this.campaignId) break;
        lead.finalCode = dispositionMeaning(String(d.code)) === 'final';
        if (dispositionMeaning(String(d.code)) === 'callback') lead.lastDisposition = 'callback';
        break;
    }
    this.refresh(lead);
  }

  private applyCall(type: string, d: Record<string, any>, e: RecordedEvent): void {
    if (type === 'CallDialAttempted' || type === 'CallDialBlocked') {
      if (d.campaignId !== this.campaignId) return;
      const lead = this.lead(d.phone, e.position);
      if (type === 'CallDialBlocked') {
        lead.blockedAt = Date.parse(e.recordedAt);
        return this.refresh(lead);
      }
      this.callOf.set(d.callId, d.phone);
      // A dial in a later pass (list recycling) starts that pass's attempt count.
      const pass = Number(d.pass ?? 0);
      if (pass > lead.passes) Object.assign(lead, { passes: pass, attempts: 0 });
      Object.assign(lead, { attempts: lead.attempts + 1, lastDialAt: d.at ?? e.recordedAt, lastDisposition: 'no_answer' as RetryDisposition });
      return this.refresh(lead);
    }
    const phone = this.callOf.get(d.callId);
    const lead = phone ? this.leads.get(phone) : undefined;
    if (!lead) return;
    if (type === 'CallAnswered') lead.lastDisposition = d.answeredBy === 'machine' ? 'machine' : 'other';
    if (type === 'CallEnded') {
      this.callOf.delete(d.callId);
      if (d.cause === 'USER_BUSY' && lead.lastDisposition === 'no_answer') lead.lastDisposition = 'busy';
    }
    this.refresh(lead);
  }

  private lead(phone: string, order: number): Lead {
    let l = this.leads.get(phone);
    if (!l) {
      l = { phone, listId: '', order, status: 'open', attempts: 0, passes: 0, lists: [], dnc: false, blacklisted: false, finalCode: false, idx: this.byOrder.length, stamp: 0 };
      this.leads.set(phone, l);
      this.byOrder.push(l);
    }
    return l;
  }
}
