import { eligibility } from './eligibility.ts';
import type { AgentRef, LeadView, Selection, SelectionPolicy, SelectionReason } from './types.ts';

interface Ranked {
  lead: LeadView;
  tier: number;
  dueAt: number;
  reason: SelectionReason;
  recycle: boolean;
}

/**
 * The next lead for one agent (preview / progressive), or for the campaign when `agent` is undefined
 * (predictive: any agent may get the call, so agent-owned and team-assigned leads stay with their people).
 * Order: own due callbacks, public callbacks past the owner's grace, leads assigned to the agent, to the
 * agent's team, due retries, new leads in list order, recycled leads.
 */
export function selectLead(
  leads: Iterable<LeadView>,
  policy: SelectionPolicy,
  now: string,
  agent: AgentRef | undefined,
  dialing: ReadonlySet<string>,
): Selection | undefined {
  const at = Date.parse(now);
  let best: Ranked | undefined;
  for (const lead of leads) {
    const ranked = rank(lead, policy, at, agent, dialing);
    if (ranked && (!best || better(ranked, best))) best = ranked;
  }
  if (!best) return undefined;
  return best.recycle ? { lead: best.lead, reason: best.reason, recycle: true } : { lead: best.lead, reason: best.reason };
}

function rank(lead: LeadView, policy: SelectionPolicy, at: number, agent: AgentRef | undefined, dialing: ReadonlySet<string>): Ranked | undefined {
  const e = eligibility(lead, policy, at, agent?.agentId, dialing);
  if (!e.ok) return undefined;
  const a = lead.assignee;
  const mine = a?.kind === 'agent' && a.id === agent?.agentId;
  const myTeam = a?.kind === 'team' && agent?.teamId !== undefined && a.id === agent.teamId;
  // Leads assigned to someone else wait for them; their callbacks are handled by visibility above.
  if (a && !mine && !myTeam && e.kind !== 'callback') return undefined;
  const recycle = e.kind === 'recycle';
  if (e.kind === 'callback') {
    const own = lead.callback?.owner === agent?.agentId;
    return { lead, tier: own ? 0 : 1, dueAt: e.dueAt, reason: own ? 'callback_owner' : 'callback_public', recycle };
  }
  const base = e.kind === 'retry' ? 0 : e.kind === 'new' ? 1 : 2;
  if (mine) return { lead, tier: 2 + base / 10, dueAt: e.dueAt, reason: 'assigned_agent', recycle };
  if (myTeam) return { lead, tier: 3 + base / 10, dueAt: e.dueAt, reason: 'assigned_team', recycle };
  const reason: SelectionReason = e.kind === 'retry' ? 'retry_due' : e.kind === 'new' ? 'new' : 'recycled';
  return { lead, tier: 4 + base, dueAt: e.dueAt, reason, recycle };
}

function better(x: Ranked, y: Ranked): boolean {
  if (x.tier !== y.tier) return x.tier < y.tier;
  if (x.dueAt !== y.dueAt) return x.dueAt < y.dueAt;
  return x.lead.order < y.lead.order;
}
