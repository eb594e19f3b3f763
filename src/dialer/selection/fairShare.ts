import type { AgentRef } from './types.ts';

/** Leads handed out so far, per agent and per team. */
export interface Tally {
  byAgent: Map<string, number>;
  byTeam: Map<string, number>;
}

export function emptyTally(): Tally {
  return { byAgent: new Map(), byTeam: new Map() };
}

/**
 * Who gets the next automatically assigned lead: first the team with the fewest leads per member,
 * then its member with the fewest leads; ties go to the earlier in the given order. Fair across
 * teams of different sizes, and across agents within a team.
 */
export function nextAssignee(agents: AgentRef[], tally: Tally): AgentRef | undefined {
  if (agents.length === 0) return undefined;
  const size = new Map<string, number>();
  for (const a of agents) size.set(teamOf(a), (size.get(teamOf(a)) ?? 0) + 1);
  let best: AgentRef | undefined;
  let bestTeamLoad = Infinity;
  let bestAgentLoad = Infinity;
  for (const a of agents) {
    const team = teamOf(a);
    const teamLoad = (tally.byTeam.get(team) ?? 0) / size.get(team)!;
    const agentLoad = tally.byAgent.get(a.agentId) ?? 0;
    if (teamLoad < bestTeamLoad || (teamLoad === bestTeamLoad && agentLoad < bestAgentLoad)) {
      best = a;
      bestTeamLoad = teamLoad;
      bestAgentLoad = agentLoad;
    }
  }
  return best;
}

export function recordAssignment(tally: Tally, agent: AgentRef): void {
  tally.byAgent.set(agent.agentId, (tally.byAgent.get(agent.agentId) ?? 0) + 1);
  tally.byTeam.set(teamOf(agent), (tally.byTeam.get(teamOf(agent)) ?? 0) + 1);
}

/** Agents without a team form a team of their own each. */
function teamOf(a: AgentRef): string {
  return a.teamId ?? `agent:${a.agentId}`;
}
