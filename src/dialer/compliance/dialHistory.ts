import type { DialLists } from './checkDial.ts';
import { LogFold } from '../../eventstore/logFold.ts';
import type { EventStore, RecordedEvent } from '../../eventstore/types.ts';

const TYPES = ['LeadDoNotCallAdded', 'LeadDoNotCallRemoved', 'NumberBlacklisted', 'NumberUnblacklisted', 'CallDialAttempted', 'CallAnswered', 'CallAbandoned', 'CallEnded'];
const RECENT_DIALS = 20;
/** A dial the log still shows live after this long lost its end (a crash): it no longer blocks the number. */
const STALE_LIVE_MS = 2 * 3600_000;
const KEEP_MS = 31 * 24 * 3600_000;

const timeOf = (e: RecordedEvent): number => {
  const t = Date.parse(String((e.data as { at?: string }).at ?? e.metadata.occurredAt ?? e.recordedAt));
  return Number.isFinite(t) ? t : Date.parse(e.recordedAt);
};

/**
 * What the dial-time compliance gate needs, read from the log itself (not from a read model, which may lag):
 * the do-not-call list with its version (the log position of its last change), dials per number, calls
 * still live, and each campaign's answers and abandons over a rolling window. `catchUp()` reads what is
 * new; the dialer calls it before every decision, so a number put on the list a moment ago is refused.
 */
export class DialHistory {
  private readonly log: LogFold;
  private dncPosition = 0;
  private readonly dnc = new Set<string>();
  private readonly dials = new Map<string, number[]>(); // phone -> dial times, newest last
  private readonly attempts = new Map<string, { pass: number; dials: number }>(); // phone|campaign -> dials in its current pass
  private readonly live = new Map<string, { phone: string; campaignId: string; at: number }>(); // callId
  private readonly outcomes = new Map<string, { answers: number[]; abandons: number[] }>(); // campaign
  private readonly blacklisted = new Set<string>();
  private blacklistPosition = 0;

  constructor(store: EventStore) {
    this.log = new LogFold(store, TYPES, (e) => this.apply(e));
  }

  /** Read the log up to its head. Calls queue behind each other: one fold may serve several readers. */
  catchUp(): Promise<void> {
    return this.log.catchUp();
  }

  lists(): DialLists {
    const dnc = this.dnc;
    const black = this.blacklisted;
    return {
      doNotCall: { version: `dnc@${this.dncPosition}`, has: (phone) => dnc.has(phone) },
      blacklist: { version: `blacklist@${this.blacklistPosition}`, has: (phone) => black.has(phone) },
    };
  }

  /** Dials to the number in this campaign in its current pass over the list; a later `pass` (list recycling) starts at 0. */
  attemptsOf(phone: string, campaignId: string, pass = 0): number {
    const a = this.attempts.get(`${phone}|${campaignId}`);
    return !a || pass > a.pass ? 0 : a.dials;
  }

  recentDials(phone: string): string[] {
    return (this.dials.get(phone) ?? []).map((t) => new Date(t).toISOString());
  }

  /** Numbers with a call still live in the log, from any campaign or this process. */
  livePhones(now: number): Set<string> {
    const phones = new Set<string>();
    for (const c of this.live.values()) if (now - c.at < STALE_LIVE_MS) phones.add(c.phone);
    return phones;
  }

  /** Live answers (people, not machines) and abandoned calls of a campaign in the last `windowMs`. */
  abandonCounts(campaignId: string, now: number, windowMs: number): { answers: number; abandons: number } {
    const o = this.outcomes.get(campaignId);
    if (!o) return { answers: 0, abandons: 0 };
    const since = now - windowMs;
    return { answers: o.answers.filter((t) => t > since).length, abandons: o.abandons.filter((t) => t > since).length };
  }

  private apply(e: RecordedEvent): void {
    const d = e.data as Record<string, any>;
    switch (e.type) {
      case 'LeadDoNotCallAdded':
      case 'LeadDoNotCallRemoved':
        if (e.type === 'LeadDoNotCallAdded') this.dnc.add(d.phone);
        else this.dnc.delete(d.phone);
        this.dncPosition = e.position;
        break;
      case 'NumberBlacklisted':
      case 'NumberUnblacklisted':
        if (e.type === 'NumberBlacklisted') this.blacklisted.add(d.phone);
        else this.blacklisted.delete(d.phone);
        this.blacklistPosition = e.position;
        break;
      case 'CallDialAttempted': {
        const at = timeOf(e);
        const campaignId = String(d.campaignId ?? '');
        this.dials.set(d.phone, [...(this.dials.get(d.phone) ?? []), at].slice(-RECENT_DIALS));
        const pass = Number(d.pass ?? 0);
        this.attempts.set(`${d.phone}|${campaignId}`, { pass, dials: this.attemptsOf(d.phone, campaignId, pass) + 1 });
        this.live.set(d.callId, { phone: d.phone, campaignId, at });
        break;
      }
      case 'CallAnswered':
        if (d.answeredBy !== 'machine') this.outcome(d.callId)?.answers.push(timeOf(e));
        break;
      case 'CallAbandoned':
        this.outcome(d.callId)?.abandons.push(timeOf(e));
        break;
      case 'CallEnded':
        this.live.delete(d.callId);
        break;
    }
  }

  private outcome(callId: string): { answers: number[]; abandons: number[] } | undefined {
    const campaignId = this.live.get(callId)?.campaignId;
    if (!campaignId) return undefined;
    let o = this.outcomes.get(campaignId);
    if (!o) this.outcomes.set(campaignId, (o = { answers: [], abandons: [] }));
    // Older than any window asked for: dropped as new ones come.
    const cut = Date.now() - KEEP_MS;
    if (o.answers.length > 1000 && o.answers[0] < cut) o.answers = o.answers.filter((t) => t > cut);
    if (o.abandons.length > 1000 && o.abandons[0] < cut) o.abandons = o.abandons.filter((t) => t > cut);
    return o;
  }
}
