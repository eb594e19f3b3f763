import type { Api } from './api.ts';
import { CUSTOMER, type Customer360 } from './customer.ts';
import { buildTimeline, type TimelineEntry } from './timeline.ts';
import type { AsOf } from './wallboard.svelte.ts';

export interface RawEvent {
  streamId: string;
  revision: number;
  position: number;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  /** The person who did it; null for the system, the switch or a bot. */
  actor: { id: string; displayName: string } | null;
  recordedAt: string;
  hash: string;
}

export interface VerifyReport {
  ok: boolean;
  checked: number;
  scope: string;
  summary: string;
  problem: { kind: string; streamId: string; revision: number } | null;
}

const HISTORY = `query History($stream: String!, $asOf: AsOf) { history(stream: $stream, asOf: $asOf) {
  streamId version events { streamId revision position type data metadata actor { id displayName } recordedAt hash } } }`;
const CALL = `query Call($id: ID!, $asOf: AsOf) { call(id: $id, asOf: $asOf) { id phone } }`;
const RECEIPTS = `query Receipts($id: ID!) { callReceipts(callId: $id) {
  routing { position at decision details } compliance { position at check passed details } } }`;
const VERIFY = `query Verify($stream: String) { verify(stream: $stream) { ok checked scope summary problem { kind streamId revision } } }`;
const EVIDENCE = `query Evidence($phone: String!, $asOf: AsOf) { evidenceBundle(phone: $phone, asOf: $asOf) }`;

/** Who did it, for the raw events table: the person's name, else the id as recorded (system, dialer...). */
export function actorLabel(e: RawEvent): string {
  return e.actor?.displayName ?? String(e.metadata.actorId ?? '');
}

/** The auditor's replay: a number's (or call's) history as of any instant, plus chain verification. */
export class Audit {
  customer = $state.raw<Customer360 | null>(null);
  timeline = $state.raw<TimelineEntry[]>([]);
  events = $state.raw<RawEvent[]>([]);
  receipts = $state.raw<{ routing: any[]; compliance: any[] } | null>(null);
  verification = $state.raw<VerifyReport | null>(null);
  asOf = $state<AsOf>(null);
  error = $state<string | null>(null);
  loading = $state(false);
  private api: Api;

  constructor(api: Api) {
    this.api = api;
  }

  /** `query` is a phone number in any common form, or a call id; `at` an ISO instant or empty for now. */
  async show(query: string, callId: string, at: string): Promise<void> {
    this.loading = true;
    this.error = null;
    this.asOf = at ? { at } : null;
    this.receipts = null;
    try {
      let phone = query.trim();
      if (callId.trim()) {
        const d = await this.api.request(CALL, { id: callId.trim(), asOf: this.asOf });
        if (!d.call) throw new Error(`call ${callId} not found`);
        phone = d.call.phone;
        this.receipts = (await this.api.request(RECEIPTS, { id: callId.trim() })).callReceipts;
      }
      const d = await this.api.request(CUSTOMER, { phone, asOf: this.asOf });
      this.customer = d.customer;
      this.timeline = d.customer ? buildTimeline(d.customer) : [];
      const lead = d.customer?.leads[0];
      const stream = callId.trim() ? `call-${callId.trim()}` : lead ? `lead-${lead.id}` : null;
      this.events = stream ? (await this.api.request(HISTORY, { stream, asOf: this.asOf })).history.events : [];
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.loading = false;
    }
  }

  /** Verify the shown stream, or the whole log when none is shown. */
  async verify(stream: string | null): Promise<void> {
    try {
      this.verification = (await this.api.request(VERIFY, { stream })).verify;
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  /** The evidence bundle as pretty JSON text (the page turns it into a download). */
  async evidence(): Promise<string | null> {
    if (!this.customer) return null;
    try {
      const d = await this.api.request(EVIDENCE, { phone: this.customer.phone, asOf: this.asOf });
      return JSON.stringify(d.evidenceBundle, null, 2);
    } catch (e) {
      this.error = (e as Error).message;
      return null;
    }
  }
}
