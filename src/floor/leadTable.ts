import type { RetryDisposition } from '../domain/campaign/events.ts';
import type { LeadView } from '../dialer/selection/index.ts';

export interface Callback {
  dueAt: string;
  owner: string;
  visibility: 'public' | 'private';
}

/** What few leads have: a claim, an assignee, callbacks. Kept aside, only for those leads. */
export interface People {
  owner?: string;
  privateUntil?: string;
  assignee?: { kind: 'agent' | 'team'; id: string };
  /** Pending callbacks by id. */
  callbacks?: Map<string, Callback>;
}

/** Bits of `flags`. */
export const DNC = 1;
/** On the operator's blacklist. */
export const BLACKLISTED = 2;
/** A final disposition in this campaign. */
export const FINAL = 4;
/** Has callbacks, an assignee or an owner (kept in step with `people` by the owner of the table). */
export const SPECIAL = 8;

const DISPOSITIONS: readonly (LeadView['lastDisposition'])[] = [undefined, 'busy', 'no_answer', 'machine', 'callback', 'other'];
const DISPOSITION_CODE = new Map(DISPOSITIONS.map((d, i) => [d, i]));

type Column = Float64Array | Uint32Array | Uint16Array | Uint8Array;

/** E.164 ('+', up to 15 digits, no leading zero): held as the number it spells, exact in a double. */
const E164 = /^\+[1-9]\d{0,14}$/;

/**
 * A campaign's leads as numbers 0..size-1 in order of first sight, one typed array per field: a million-lead list
 * is mostly fresh leads that differ only in their phone number, so an object per lead (about 550 bytes with its
 * strings and index entries) is replaced by a few bytes per field. Phone numbers are held as the number they
 * spell, found through a hash table of lead numbers; strings that repeat (list ids, time zones) are kept once and
 * referred to by number; claims, assignments and callbacks sit in a side map for the few leads that have them.
 * `view()` makes the `LeadView` selectLead reads, for the few candidates of a pick.
 */
export class LeadTable {
  size = 0;
  /** Each lead's E.164 number as a number (NaN: a phone of another form, kept in `otherPhones`). */
  private phoneNo = new Float64Array(0);
  /** Open addressing from a number in `phoneNo` to 1 + its lead (0: empty slot); at most half full. */
  private slots = new Uint32Array(0);
  private readonly otherPhones = new Map<number, string>();
  private readonly byOtherPhone = new Map<string, number>();
  /** Log position where the lead was first seen: its place in list order. */
  position = new Float64Array(0);
  attempts = new Uint32Array(0);
  passes = new Uint32Array(0);
  /** ms of the last dial in this campaign; NaN: none. */
  lastDialAt = new Float64Array(0);
  /** ms of the last refused dial; NaN: none. */
  blockedAt = new Float64Array(0);
  /** Index into DISPOSITIONS. */
  private disposition = new Uint8Array(0);
  flags = new Uint8Array(0);
  /** Bumped on every change: heap entries with an older stamp are stale. */
  stamp = new Uint32Array(0);
  /** 1 + the number of the lead's first list; 0: none yet. */
  private firstList = new Uint32Array(0);
  /** Index into `zones`; 0: none. */
  private zone = new Uint16Array(0);
  /** Lists after the first, for the few leads in more than one. */
  private readonly moreLists = new Map<number, number[]>();
  readonly people = new Map<number, People>();
  /**
   * Last-dial times that are not instants, kept as given (selectLead reads them as it did). An instant is kept
   * as ms and handed back as ISO-8601 UTC: the same instant, perhaps not the same spelling (an offset given).
   */
  private readonly oddDialAt = new Map<number, string>();
  private readonly listIds: string[] = [];
  private readonly listNo = new Map<string, number>();
  private readonly zones: string[] = [''];
  private readonly zoneNo = new Map<string, number>();

  /** The lead's number, or undefined when not seen. */
  id(phone: string): number | undefined {
    if (!E164.test(phone)) return this.byOtherPhone.get(phone);
    if (this.size === 0) return undefined; // no slots yet
    const n = Number(phone.slice(1));
    for (let s = this.slotOf(n), i = this.slots[s]; i !== 0; s = (s + 1) & (this.slots.length - 1), i = this.slots[s]) {
      if (this.phoneNo[i - 1] === n) return i - 1;
    }
    return undefined;
  }

  /** The lead's number, taking the next one when the phone is new. */
  add(phone: string, position: number): number {
    return this.id(phone) ?? this.addNew(phone, position);
  }

  /** A new lead for a phone not seen (the caller has just looked). */
  addNew(phone: string, position: number): number {
    if (this.size === this.stamp.length) this.grow();
    const i = this.size++;
    if (E164.test(phone)) {
      this.phoneNo[i] = Number(phone.slice(1));
      this.index(i);
    } else {
      this.phoneNo[i] = NaN;
      this.otherPhones.set(i, phone);
      this.byOtherPhone.set(phone, i);
    }
    this.position[i] = position;
    this.lastDialAt[i] = NaN;
    this.blockedAt[i] = NaN;
    return i;
  }

  /** Whether the lead is in one of `lists`. */
  inAny(i: number, lists: ReadonlySet<string>): boolean {
    const first = this.firstList[i];
    if (first === 0) return false;
    if (lists.has(this.listIds[first - 1])) return true;
    for (const n of this.moreLists.get(i) ?? []) if (lists.has(this.listIds[n])) return true;
    return false;
  }

  addList(i: number, listId: string): void {
    let n = this.listNo.get(listId);
    if (n === undefined) {
      n = this.listIds.push(listId) - 1;
      this.listNo.set(listId, n);
    }
    const first = this.firstList[i];
    if (first === 0) this.firstList[i] = n + 1;
    else if (first !== n + 1) {
      const more = this.moreLists.get(i);
      if (!more) this.moreLists.set(i, [n]);
      else if (!more.includes(n)) more.push(n);
    }
  }

  setZone(i: number, zone: string): void {
    let n = this.zoneNo.get(zone);
    if (n === undefined) {
      // Spellings of one zone ('asia/shanghai', 'Asia/Shanghai') share its canonical entry: the 16-bit index
      // counts zones (a few hundred), not whatever spellings a list file brings.
      const canonical = canonicalZone(zone);
      n = this.zoneNo.get(canonical);
      if (n === undefined) {
        if (this.zones.length > 0xffff) throw new Error(`lead table: more than 65,535 time zones (${canonical})`);
        n = this.zones.push(canonical) - 1;
        this.zoneNo.set(canonical, n);
      }
      this.zoneNo.set(zone, n);
    }
    this.zone[i] = n;
  }

  setLastDialAt(i: number, at: string): void {
    const ms = typeof at === 'string' ? Date.parse(at) : NaN;
    this.lastDialAt[i] = ms;
    if (at && Number.isNaN(ms)) this.oddDialAt.set(i, at);
    else this.oddDialAt.delete(i);
  }

  getDisposition(i: number): LeadView['lastDisposition'] {
    return DISPOSITIONS[this.disposition[i]];
  }

  setDisposition(i: number, d: LeadView['lastDisposition'] | RetryDisposition): void {
    this.disposition[i] = DISPOSITION_CODE.get(d) ?? 0;
  }

  closed(i: number): boolean {
    return (this.flags[i] & (DNC | BLACKLISTED | FINAL)) !== 0;
  }

  /** The lead as selectLead sees it (a new object: callers may change it). */
  view(i: number): LeadView {
    const v: LeadView = { phone: this.phone(i), listId: '', order: this.position[i], status: this.closed(i) ? 'closed' : 'open', attempts: this.attempts[i], passes: this.passes[i] };
    const dialAt = this.oddDialAt.get(i) ?? (Number.isNaN(this.lastDialAt[i]) ? undefined : new Date(this.lastDialAt[i]).toISOString());
    if (dialAt !== undefined) v.lastDialAt = dialAt;
    const disposition = this.getDisposition(i);
    if (disposition !== undefined) v.lastDisposition = disposition;
    if (this.zone[i] !== 0) v.timeZone = this.zones[this.zone[i]];
    const p = this.people.get(i);
    if (p) {
      v.owner = p.owner;
      v.privateUntil = p.privateUntil;
      v.assignee = p.assignee;
      v.callback = firstCallback(p);
    }
    return v;
  }

  clear(): void {
    this.size = 0;
    for (const m of [this.moreLists, this.people, this.oddDialAt, this.otherPhones, this.byOtherPhone]) m.clear();
    // Columns are zeroed for reuse (add() relies on zeros); lists and zones keep their numbers.
    for (const c of [...this.columns(), this.slots]) c.fill(0);
  }

  /** The lead's phone number as given. */
  phone(i: number): string {
    const n = this.phoneNo[i];
    return Number.isNaN(n) ? (this.otherPhones.get(i) ?? '') : `+${n}`;
  }

  private slotOf(n: number): number {
    const h = Math.imul((n % 0x1_0000_0000) ^ Math.imul(Math.floor(n / 0x1_0000_0000), 0x9e3779b1), 0x85ebca6b);
    return (h ^ (h >>> 15)) & (this.slots.length - 1);
  }

  private index(i: number): void {
    let s = this.slotOf(this.phoneNo[i]);
    while (this.slots[s] !== 0) s = (s + 1) & (this.slots.length - 1);
    this.slots[s] = i + 1;
  }

  private columns(): Column[] {
    return [this.phoneNo, this.position, this.attempts, this.passes, this.lastDialAt, this.blockedAt, this.disposition, this.flags, this.stamp, this.firstList, this.zone];
  }

  private grow(): void {
    const size = Math.max(1024, this.stamp.length * 2);
    const [phoneNo, position, attempts, passes, lastDialAt, blockedAt, disposition, flags, stamp, firstList, zone] = this.columns().map((c) => {
      const bigger = new (c.constructor as new (n: number) => Column)(size);
      bigger.set(c);
      return bigger;
    });
    Object.assign(this, { phoneNo, position, attempts, passes, lastDialAt, blockedAt, disposition, flags, stamp, firstList, zone });
    this.slots = new Uint32Array(size * 2);
    for (let i = 0; i < this.size; i++) if (!Number.isNaN(this.phoneNo[i])) this.index(i);
  }
}

/** The earliest pending callback (the first scheduled, among equal times). */
export function firstCallback(p: People): Callback | undefined {
  let first: Callback | undefined;
  for (const c of p.callbacks?.values() ?? []) if (!first || c.dueAt < first.dueAt) first = c;
  return first;
}

/** The zone's own name as the runtime knows it; a name it does not know is kept as given. */
function canonicalZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return zone;
  }
}
