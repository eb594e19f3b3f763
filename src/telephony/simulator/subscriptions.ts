/** Per-connection event subscriptions and filters, with mod_event_socket's rules (event_handler()). */
import type { SimEvent } from './frames.ts';
import { header } from './frames.ts';

export const MYEVENTS = [
  'CHANNEL_ANSWER', 'CHANNEL_APPLICATION', 'CHANNEL_BRIDGE', 'CHANNEL_CREATE', 'CHANNEL_DATA', 'CHANNEL_DESTROY',
  'CHANNEL_EXECUTE', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP', 'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_ORIGINATE',
  'CHANNEL_UUID', 'CHANNEL_OUTGOING', 'CHANNEL_PARK', 'CHANNEL_PROGRESS', 'CHANNEL_PROGRESS_MEDIA', 'CHANNEL_STATE',
  'CHANNEL_UNBRIDGE', 'CHANNEL_UNPARK', 'DETECTED_SPEECH', 'DTMF', 'NOTALK', 'TALK',
];

export class Subscriptions {
  all = false;
  readonly names = new Set<string>();
  readonly subclasses = new Set<string>();
  filters: Array<[string, string]> = [];
  /** Set by `myevents <uuid>`: only this channel's events (and its BACKGROUND_JOBs) pass. */
  boundUuid?: string;

  get any(): boolean {
    return this.all || this.names.size > 0 || this.subclasses.size > 0;
  }

  /** `event` tokens: every token after CUSTOM is a subclass name, even BACKGROUND_JOB. */
  add(tokens: string[]): void {
    let custom = false;
    for (const t of tokens) {
      if (custom) {
        this.subclasses.add(t);
        continue;
      }
      const name = t.toUpperCase().replace(/^SWITCH_EVENT_/, '');
      if (name === 'ALL') this.all = true;
      else this.names.add(name);
      if (name === 'CUSTOM') custom = true;
    }
  }

  remove(tokens: string[]): void {
    let custom = false;
    for (const t of tokens) {
      if (custom) {
        this.subclasses.delete(t);
        continue;
      }
      const name = t.toUpperCase().replace(/^SWITCH_EVENT_/, '');
      if (name === 'ALL') this.all = false;
      else this.names.delete(name);
      if (name === 'CUSTOM') custom = true;
    }
  }

  clear(): void {
    this.all = false;
    this.names.clear();
    this.subclasses.clear();
  }

  /** `filter H V`, `filter delete H [V]`, `filter delete all`, with FreeSWITCH's replies. */
  filterCommand(words: string[]): string {
    if (words[0] === 'delete') {
      if (words[1] === 'all') {
        this.filters = [];
        return '+OK filter deleted. [all][(null)]';
      }
      const [, h, ...v] = words;
      if (!h) return '-ERR invalid syntax';
      const value = v.join(' ');
      this.filters = this.filters.filter(([fh, fv]) => !(fh === h && (!value || fv === value)));
      return `+OK filter deleted. [${h}][${value || '(null)'}]`;
    }
    const [h, ...v] = words;
    if (!h || !v.length) return '-ERR invalid syntax';
    this.filters.push([h, v.join(' ')]);
    return `+OK filter added. [${h}]=[${v.join(' ')}]`;
  }

  matches(ev: SimEvent): boolean {
    let send = this.all || (this.names.has(ev.name) && (ev.name !== 'CUSTOM' || !ev.subclass || this.subclasses.has(ev.subclass)));
    if (!send) return false;
    if (this.boundUuid) {
      const id = ev.name === 'BACKGROUND_JOB' ? header(ev, 'Job-Owner-UUID') : header(ev, 'Unique-ID');
      if (id !== this.boundUuid) return false;
    }
    if (this.filters.length === 0) return true;
    let positive = false;
    send = false;
    for (const [h, v] of this.filters) {
      const value = header(ev, h);
      if (v.startsWith('-')) {
        if (value !== undefined && matchValue(value, v.slice(1))) return false;
        continue;
      }
      positive = true;
      if (value !== undefined && matchValue(value, v)) send = true;
    }
    return send || !positive;
  }
}

function matchValue(value: string, pattern: string): boolean {
  if (pattern.startsWith('/')) {
    try {
      return new RegExp(pattern.replace(/^\/|\/$/g, '')).test(value);
    } catch {
      return false;
    }
  }
  return value.toLowerCase() === pattern.toLowerCase();
}
