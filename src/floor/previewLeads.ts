/**
 * Preview mode: an agent asks for the next lead of a campaign, reads it, then clicks to dial. The lead is
 * chosen for that agent (their due callbacks, leads assigned to them or their team, then the campaign's
 * retries and new leads) and held for them for a short while, so two agents previewing the same campaign
 * are never shown the same customer. Holds live in memory: after a restart an agent simply asks again.
 */
import { DialHistory } from '../dialer/compliance/dialHistory.ts';
import type { AgentRef, Selection } from '../dialer/selection/index.ts';
import type { EventStore } from '../eventstore/types.ts';
import { CampaignLeads } from './campaignLeads.ts';

/** How long a previewed lead stays with its agent before others may be shown it. */
export const PREVIEW_HOLD_MS = 120_000;

export interface PreviewedLead extends Selection {
  heldUntil: string;
}

export class PreviewLeads {
  private readonly store: EventStore;
  private readonly now: () => number;
  private readonly campaigns = new Map<string, CampaignLeads>();
  private readonly history: DialHistory;
  /** phone -> who it is held for. */
  private readonly holds = new Map<string, { agentId: string; until: number }>();
  /** agentId -> phones they passed over (asked for another lead): not shown to them again for a while. */
  private readonly skipped = new Map<string, Map<string, number>>();

  constructor(store: EventStore, opts: { now?: () => number; history?: DialHistory } = {}) {
    this.store = store;
    this.now = opts.now ?? Date.now;
    this.history = opts.history ?? new DialHistory(store);
  }

  /** The next lead for `agent` in the campaign, held for them; undefined when none is due now. */
  async next(campaignId: string, agent: AgentRef): Promise<PreviewedLead | undefined> {
    let leads = this.campaigns.get(campaignId);
    if (!leads) this.campaigns.set(campaignId, (leads = new CampaignLeads(this.store, campaignId)));
    await Promise.all([leads.catchUp(), this.history.catchUp()]);
    const at = this.now();
    // Numbers on a live call anywhere, and numbers held for other agents, are not offered.
    const busy = this.history.livePhones(at);
    const passed = this.skipped.get(agent.agentId) ?? new Map<string, number>();
    this.skipped.set(agent.agentId, passed);
    for (const [phone, hold] of this.holds) {
      if (hold.agentId === agent.agentId) passed.set(phone, at + PREVIEW_HOLD_MS);
      if (hold.until <= at || hold.agentId === agent.agentId) this.holds.delete(phone);
      else busy.add(phone);
    }
    for (const [phone, until] of passed) {
      if (until <= at) passed.delete(phone);
      else busy.add(phone);
    }
    const picked = leads.select(new Date(at).toISOString(), busy, agent);
    if (!picked) return undefined;
    const until = at + PREVIEW_HOLD_MS;
    this.holds.set(picked.lead.phone, { agentId: agent.agentId, until });
    return { ...picked, heldUntil: new Date(until).toISOString() };
  }
}
