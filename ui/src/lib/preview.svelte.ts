import { ApiError, type Api } from './api.ts';
import { CUSTOMER, type Customer360 } from './customer.ts';
import type { MessageKey } from './i18n.svelte.ts';

/** The lead the server holds for this agent for a short while (no colleague is shown it meanwhile). */
export interface PreviewLead {
  phone: string;
  /** callback_owner, callback_public, assigned_agent, assigned_team, retry_due, new, recycled */
  reason: string;
  attempts: number;
  lastDialAt: string | null;
  callbackDueAt: string | null;
  heldUntil: string;
}

export interface PreviewCampaign {
  id: string;
  name: string;
}

const CAMPAIGNS = `query PreviewCampaigns { campaigns(filter: { status: [RUNNING] }, first: 50) { nodes { id name dialMode } } }`;
const NEXT = `query NextPreviewLead($campaignId: ID!) { nextPreviewLead(campaignId: $campaignId) {
  phone reason attempts lastDialAt callbackDueAt heldUntil } }`;

/** The typed refusals of nextPreviewLead, said in the agent's language rather than the server's sentence. */
const ERRORS: Record<string, MessageKey> = {
  CAMPAIGN_NOT_PREVIEW: 'preview.err.notPreview',
  CAMPAIGN_NOT_RUNNING: 'preview.err.notRunning',
  FORBIDDEN: 'preview.err.forbidden',
  NOT_FOUND: 'preview.err.notFound',
};

export type PreviewError = { key: MessageKey } | { text: string };

/** Seconds the hold has left at `now` (0 once it has lapsed: a colleague may then be shown the lead). */
export function holdSecondsLeft(lead: PreviewLead, now: number): number {
  return Math.max(0, Math.ceil((Date.parse(lead.heldUntil) - now) / 1000));
}

/**
 * Preview dialing on the agent desk: pick a running preview campaign, read the lead held for this agent,
 * see who it is (screen pop by phone), then dial it or skip to the next one (asking again passes over it).
 */
export class PreviewDialer {
  campaigns = $state.raw<PreviewCampaign[]>([]);
  campaignId = $state<string | null>(null);
  lead = $state.raw<PreviewLead | null>(null);
  customer = $state.raw<Customer360 | null>(null);
  /** The last "next lead" found nothing due. */
  empty = $state(false);
  busy = $state(false);
  error = $state.raw<PreviewError | null>(null);
  private api: Api;

  constructor(api: Api) {
    this.api = api;
  }

  /** Running preview campaigns the agent can see; the first is chosen when none is yet. */
  async loadCampaigns(): Promise<void> {
    try {
      const d = await this.api.request(CAMPAIGNS);
      this.campaigns = (d.campaigns.nodes as { id: string; name: string; dialMode: string }[])
        .filter((c) => c.dialMode === 'PREVIEW')
        .map(({ id, name }) => ({ id, name }));
      if (!this.campaigns.some((c) => c.id === this.campaignId)) this.campaignId = this.campaigns[0]?.id ?? null;
    } catch (e) {
      this.error = describe(e);
    }
  }

  choose(campaignId: string) {
    if (campaignId === this.campaignId) return;
    this.campaignId = campaignId;
    this.clear();
  }

  /** 下一位客户 / Next lead; also what Skip does (the server passes over the lead shown before). */
  async next(): Promise<void> {
    if (!this.campaignId || this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      const d = await this.api.request(NEXT, { campaignId: this.campaignId });
      this.lead = d.nextPreviewLead;
      this.empty = !this.lead;
      this.customer = null;
      if (this.lead) await this.loadCustomer(this.lead.phone);
    } catch (e) {
      this.lead = null;
      this.customer = null;
      this.error = describe(e);
    } finally {
      this.busy = false;
    }
  }

  skip(): Promise<void> {
    return this.next();
  }

  /**
   * Dial the held lead through the desk (agent leg first); the call then arrives on the desk like any other.
   * The card is cleared once the dial is accepted, so the same lead is not dialed twice.
   */
  async dial(desk: { dial(phone: string, leadId?: string, campaignId?: string): Promise<boolean> }): Promise<boolean> {
    const lead = this.lead;
    if (!lead || !this.campaignId) return false;
    const leadId = this.customer?.leads.find((l) => l.campaign?.id === this.campaignId)?.id;
    const ok = await desk.dial(lead.phone, leadId, this.campaignId);
    if (ok) this.clear();
    return ok;
  }

  clear() {
    this.lead = null;
    this.customer = null;
    this.empty = false;
    this.error = null;
  }

  private async loadCustomer(phone: string) {
    try {
      const d = await this.api.request(CUSTOMER, { phone });
      if (this.lead?.phone === phone) this.customer = d.customer;
    } catch {
      // The pop is a help, not a gate: the agent may still dial the lead without it.
    }
  }
}

function describe(e: unknown): PreviewError {
  const key = e instanceof ApiError ? ERRORS[e.code] : undefined;
  return key ? { key } : { text: (e as Error).message };
}
