import { leadTimeZoneOf } from '../dialer/compliance/localTime.ts';
import { DueHeap } from '../dialer/selection/dueHeap.ts';
import { LogFold } from '../eventstore/logFold.ts';
import { eligibility, selectLead, type AgentRef, type LeadView, type Selection, type SelectionPolicy } from '../dialer/selection/index.ts';
import { dispositionMeaning } from '../domain/campaign/dispositions.ts';
import type { CampaignConfig } from '../domain/campaign/events.ts';
import type { EventStore, RecordedEvent } from '../eventstore/types.ts';
import { BLACKLISTED, DNC, FINAL, firstCallback, LeadTable, SPECIAL, type Callback, type People } from './leadTable.ts';

/** The event types the fold reads (the lead-memory bench reads the same for its baseline). */
export const CAMPAIGN_LEAD_EVENTS = [
  'CampaignCreated', 'CampaignConfigured', 'CampaignListAttached', 'CampaignListDetached',
  'LeadImported', 'LeadDuplicateMerged', 'LeadFieldsSet', 'LeadAssigned', 'LeadClaimed', 'LeadReleased', 'LeadDoNotCallAdded', 'LeadDoNotCallRemoved',
  'LeadCallbackScheduled', 'LeadCallbackDone', 'LeadCallbackMissed', 'LeadCallbackCancelled', 'LeadDispositionRecorded', 'LeadDispositionCorrected',
  'NumberBlacklisted', 'NumberUnblacklisted',
  'CallDialAttempted', 'CallDialBlocked', 'CallAnswered', 'CallEnded',
];
/** A refused dial (hours, caps) is not retried on every tick: the lead rests this long first. */
const BLOCKED_REST_MS = 15 * 60_000;

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
 * dialed or resting leads by the time they come due (heaps). `scanSelect()` is the plain scan it must agree
 * with (tests and the selection bench compare them). Leads are numbers into a `LeadTable` (a few bytes per
 * field, not an object per lead); the indexes hold those numbers, and a `LeadView` is made only for the
 * candidates of a pick.
 */
export class CampaignLeads {
  private readonly campaignId: string;
  private readonly t = new LeadTable();
  private readonly lists = new Set<string>();
  private readonly callOf = new Map<string, number>(); // callId -> lead, dials of this campaign
  private config: Partial<CampaignConfig> = {};
  private policyCache?: SelectionPolicy;
  /** Leads selectable only with their people in mind: callbacks, assignees, owners (scanned for one agent's pick). */
  private readonly special = new Set<number>();
  /** For the campaign's own picks (no agent): leads whose next callback is public, by when anyone may take it... */
  private readonly publicCallbacks = new DueHeap();
  /** ...and claimed leads with no callback or assignee (anyone may dial them once the claim's protection ends). */
  private readonly owned = new Set<number>();
  /** Leads are numbered in order of first sight (list order); `cursor` passes leads that are no longer fresh. */
  private cursor = 0;
  /** Fresh leads the cursor had already passed (back from do-not-call, added to a list later). */
  private readonly reopened = new Set<number>();
  /** Lists this campaign has ever had: only their leads are held (a floor's log holds every campaign's leads). */
  private readonly accepted = new Set<string>();
  /** Lists whose leads were passed over before the campaign took them: taking one means reading the log again. */
  private readonly passedOver = new Set<string>();
  /** By kind, as selectLead ranks them (retries, recycled leads, never-dialed leads once refused), keyed by when due. */
  private readonly due = { retry: new DueHeap(), recycle: new DueHeap(), new: new DueHeap() };
  /** Leads resting after a refused dial, keyed by the end of the rest; they join `due` when it ends. */
  private readonly resting = new DueHeap();
  /**
   * Leads changed by the events read but not yet placed on the heaps: placed once per page of the log, so a lead
   * dialed and ended in one page leaves one heap entry, not one per event.
   */
  private readonly changed = new Set<number>();

  constructor(store: EventStore, campaignId: string) {
    this.campaignId = campaignId;
    this.log = new LogFold(store, CAMPAIGN_LEAD_EVENTS, (e) => this.apply(e), () => this.placeChanged());
  }

  private readonly log: LogFold;

  /** Read the log up to its head. Concurrent calls queue (two agents asking at once must not fold an event twice). */
  catchUp(): Promise<void> {
    return this.log.catchUp();
  }

  /** A list attached after its leads were imported: start again from the log's beginning, now keeping that list. */
  private forget(): void {
    this.passedOver.clear();
    this.t.clear();
    this.lists.clear();
    this.callOf.clear();
    this.config = {};
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
    this.placeChanged();
    const at = Date.parse(now);
    const candidates: number[] = [];
    if (agent) {
      for (const i of this.special) if (this.member(i) && !this.isResting(i, at)) candidates.push(i);
    } else {
      // Without an agent, assigned leads and private callbacks can never win: only these two sources can.
      for (const i of this.owned) if (this.member(i) && !this.isResting(i, at)) candidates.push(i);
      this.takeDue(this.publicCallbacks, at, busy, candidates, (i, due) => this.publicCallbackDue(i, at, due));
    }
    // Fresh leads in list order.
    while (this.cursor < this.t.size && !this.fresh(this.cursor)) this.cursor++;
    let taken = 0;
    for (const i of this.reopened) {
      if (!this.fresh(i)) this.reopened.delete(i);
      else if (!busy.has(this.t.phone(i)) && taken++ < PER_SOURCE) candidates.push(i);
    }
    taken = 0;
    for (let i = this.cursor; i < this.t.size && taken < PER_SOURCE; i++) {
      if (this.fresh(i) && !busy.has(this.t.phone(i))) {
        candidates.push(i);
        taken++;
      }
    }
    for (let top = this.resting.peek(); top && top.due <= at; top = this.resting.peek()) {
      this.resting.pop();
      if (top.stamp === this.t.stamp[top.id]) this.queue(top.id, top.stamp);
    }
    for (const heap of Object.values(this.due)) this.takeDue(heap, at, busy, candidates);
    return selectLead(candidates.map((i) => this.t.view(i)), this.policy(), now, agent, busy);
  }

  /**
   * When a public callback on the heap may be dialed by the campaign: now (`at`), later (a lead still privately
   * owned comes back when its owner's protection ends), or never until an event places it again (closed: do-not-call,
   * final disposition). Only callbacks it may dial now count towards a pick's look at the heap, so a run of the
   * others at the top does not hide a due callback further down.
   */
  private publicCallbackDue(i: number, at: number, due: number): number | undefined {
    if (this.publicCallback(i)?.visibility !== 'public' || !this.member(i)) return undefined;
    const e = eligibility(this.t.view(i), this.policy(), at, undefined, NO_PHONES);
    if (e.ok) return due;
    if (e.why === 'closed') return undefined;
    const until = e.why === 'private' ? Date.parse(this.t.view(i).privateUntil ?? '') : NaN;
    return Number.isNaN(until) ? due : Math.max(due, until, at + 1);
  }

  /**
   * Up to PER_SOURCE leads due by `at` from one heap; the ones looked at go back on it. `dueAgain` says when a lead
   * is due after all (undefined: not any more, it leaves the heap; later than `at`: it goes back keyed so).
   */
  private takeDue(heap: DueHeap, at: number, busy: ReadonlySet<string>, into: number[], dueAgain = (i: number, due: number) => (this.dueable(i) ? due : undefined)): void {
    const back: { due: number; id: number; stamp: number }[] = [];
    let taken = 0;
    while (taken < PER_SOURCE) {
      const top = heap.peek();
      if (!top || top.due > at) break;
      heap.pop();
      if (top.stamp !== this.t.stamp[top.id]) continue; // stale: the lead changed since
      const due = dueAgain(top.id, top.due);
      if (due === undefined) continue;
      back.push({ ...top, due });
      if (due > at || busy.has(this.t.phone(top.id)) || this.isResting(top.id, at)) continue;
      into.push(top.id);
      taken++;
    }
    for (const b of back) heap.push(b.due, b.id, b.stamp);
  }

  /** The same choice by scanning every lead: the reference `select()` must agree with. */
  scanSelect(now: string, busy: ReadonlySet<string>, agent?: AgentRef): Selection | undefined {
    const at = Date.parse(now);
    const skip = new Set(busy);
    const open: LeadView[] = [];
    for (let i = 0; i < this.t.size; i++) {
      if (!this.member(i)) continue;
      if (this.isResting(i, at)) skip.add(this.t.phone(i));
      open.push(this.t.view(i));
    }
    return selectLead(open, this.policy(), now, agent, skip);
  }

  /** Leads known (any list in the log), for memory figures. */
  get size(): number {
    return this.t.size;
  }

  private member(i: number): boolean {
    return this.t.inAny(i, this.lists);
  }

  private isResting(i: number, at: number): boolean {
    return at - this.t.blockedAt[i] < BLOCKED_REST_MS; // false when never refused (NaN)
  }

  private isSpecial(i: number): boolean {
    return (this.t.flags[i] & SPECIAL) !== 0;
  }

  private publicCallback(i: number): Callback | undefined {
    const p = this.t.people.get(i);
    return p && firstCallback(p);
  }

  /** Never dialed in this pass, never refused, open, in the campaign, for anyone: in list order. */
  private fresh(i: number): boolean {
    const t = this.t;
    return t.attempts[i] === 0 && Number.isNaN(t.blockedAt[i]) && !t.closed(i) && !this.isSpecial(i) && this.member(i);
  }

  /** Comes due at a time: dialed before or resting after a refusal, open, for anyone, in the campaign. */
  private dueable(i: number): boolean {
    const t = this.t;
    return (t.attempts[i] > 0 || !Number.isNaN(t.blockedAt[i])) && !t.closed(i) && !this.isSpecial(i) && this.member(i);
  }

  /** After a change: the lead's flags and the small sets now, its place on the heaps with the page (`placeChanged`). */
  private refresh(i: number): void {
    this.changed.add(i);
    const p = this.t.people.get(i);
    if (!p && !this.isSpecial(i)) return; // most leads: no people before or now
    const special = p !== undefined && (p.callbacks !== undefined || p.assignee !== undefined || p.owner !== undefined);
    if (p && special === false && p.privateUntil === undefined) this.t.people.delete(i);
    this.t.flags[i] = special ? this.t.flags[i] | SPECIAL : this.t.flags[i] & ~SPECIAL;
    if (special) this.special.add(i);
    else this.special.delete(i);
    if (p?.owner !== undefined && p.assignee === undefined && p.callbacks === undefined) this.owned.add(i);
    else this.owned.delete(i);
  }

  private placeChanged(): void {
    for (const i of this.changed) this.place(i);
    this.changed.clear();
  }

  /** Onto the heaps the lead belongs on now; entries from before are left stale. */
  private place(i: number): void {
    const stamp = ++this.t.stamp[i];
    const first = this.publicCallback(i);
    if (first?.visibility === 'public') {
      const grace = (this.policy().callbackOwnerGraceMinutes ?? 15) * 60_000;
      this.publicCallbacks.push(Date.parse(first.dueAt) + grace, i, stamp);
    }
    if (this.dueable(i)) {
      if (!Number.isNaN(this.t.blockedAt[i])) this.resting.push(this.t.blockedAt[i] + BLOCKED_REST_MS, i, stamp);
      else this.queue(i, stamp);
    } else if (this.fresh(i) && i < this.cursor) this.reopened.add(i);
  }

  /** Onto the heap of its kind, keyed by when it comes due (with time at infinity, eligibility says when). */
  private queue(i: number, stamp: number): void {
    const view = this.t.view(i);
    view.callback = view.owner = view.privateUntil = undefined;
    const e = eligibility(view, this.policy(), Infinity, undefined, NO_PHONES);
    if (!e.ok) return;
    const heap = e.kind === 'retry' ? this.due.retry : e.kind === 'recycle' ? this.due.recycle : this.due.new;
    heap.push(e.dueAt, i, stamp);
  }

  /** The policy or the lists changed: every lead's place is worked out again. */
  private reindex(): void {
    this.policyCache = undefined;
    for (const heap of Object.values(this.due)) heap.clear();
    this.resting.clear();
    this.publicCallbacks.clear();
    this.cursor = 0;
    this.reopened.clear();
    this.changed.clear();
    for (let i = 0; i < this.t.size; i++) this.place(i);
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
    const imported = e.type === 'LeadImported' || e.type === 'LeadDuplicateMerged';
    const known = this.t.id(d.phone);
    if (imported && known === undefined && !this.accepted.has(d.batchId)) {
      this.passedOver.add(d.batchId);
      return;
    }
    const i = known ?? (imported ? this.t.addNew(d.phone, e.position) : undefined);
    if (i === undefined) return; // not a lead of this campaign's lists
    const t = this.t;
    switch (e.type) {
      case 'LeadImported':
      case 'LeadDuplicateMerged':
        if (d.batchId) t.addList(i, d.batchId);
        this.setZone(i, d.fields);
        break;
      case 'LeadFieldsSet':
        this.setZone(i, d.fields);
        break;
      case 'LeadAssigned':
        this.people(i).assignee = d.assignee;
        break;
      case 'LeadClaimed':
        Object.assign(this.people(i), { owner: d.agentId, privateUntil: d.privateUntil });
        break;
      case 'LeadReleased':
        if (t.people.has(i)) Object.assign(this.people(i), { owner: undefined, privateUntil: undefined });
        break;
      case 'LeadDoNotCallAdded':
      case 'LeadDoNotCallRemoved':
        t.flags[i] = e.type === 'LeadDoNotCallAdded' ? t.flags[i] | DNC : t.flags[i] & ~DNC;
        break;
      case 'NumberBlacklisted':
      case 'NumberUnblacklisted':
        t.flags[i] = e.type === 'NumberBlacklisted' ? t.flags[i] | BLACKLISTED : t.flags[i] & ~BLACKLISTED;
        break;
      case 'LeadCallbackScheduled':
        (this.people(i).callbacks ??= new Map()).set(d.callbackId, { dueAt: d.dueAt, owner: d.owner, visibility: d.visibility });
        break;
      case 'LeadCallbackDone':
      case 'LeadCallbackMissed':
      case 'LeadCallbackCancelled': {
        const p = t.people.get(i);
        p?.callbacks?.delete(d.callbackId);
        if (p?.callbacks?.size === 0) p.callbacks = undefined;
        break;
      }
      case 'LeadDispositionRecorded':
      case 'LeadDispositionCorrected': {
        if (d.campaignId && d.campaignId !== this.campaignId) break;
        const meaning = dispositionMeaning(String(d.code));
        t.flags[i] = meaning === 'final' ? t.flags[i] | FINAL : t.flags[i] & ~FINAL;
        if (meaning === 'callback') t.setDisposition(i, 'callback');
        break;
      }
    }
    this.refresh(i);
  }

  /** The lead's claim, assignee and callbacks, made when it gets its first. */
  private people(i: number): People {
    let p = this.t.people.get(i);
    if (!p) this.t.people.set(i, (p = {}));
    return p;
  }

  private setZone(i: number, fields: Record<string, unknown> | undefined): void {
    const zone = leadTimeZoneOf(fields);
    if (zone !== undefined) this.t.setZone(i, zone);
  }

  private applyCall(type: string, d: Record<string, any>, e: RecordedEvent): void {
    const t = this.t;
    if (type === 'CallDialAttempted' || type === 'CallDialBlocked') {
      if (d.campaignId !== this.campaignId) return;
      const i = t.add(d.phone, e.position);
      if (type === 'CallDialBlocked') {
        t.blockedAt[i] = Date.parse(e.recordedAt);
        return this.refresh(i);
      }
      this.callOf.set(d.callId, i);
      // A dial in a later pass (list recycling) starts that pass's attempt count.
      const pass = Number(d.pass ?? 0);
      if (pass > t.passes[i]) {
        t.passes[i] = pass;
        t.attempts[i] = 0;
      }
      t.attempts[i]++;
      t.setLastDialAt(i, d.at ?? e.recordedAt);
      t.setDisposition(i, 'no_answer');
      return this.refresh(i);
    }
    const i = this.callOf.get(d.callId);
    if (i === undefined) return;
    if (type === 'CallAnswered') t.setDisposition(i, d.answeredBy === 'machine' ? 'machine' : 'other');
    if (type === 'CallEnded') {
      this.callOf.delete(d.callId);
      if (d.cause === 'USER_BUSY' && t.getDisposition(i) === 'no_answer') t.setDisposition(i, 'busy');
    }
    this.refresh(i);
  }
}
