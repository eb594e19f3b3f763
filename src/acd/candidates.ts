import type { AgentView, Candidate } from './types.ts';

/** Every logged-in agent, with whether they can take this call now and why not. */
export function candidatesFor(agents: AgentView[], required: Record<string, number>): Candidate[] {
  const requirements = Object.entries(required);
  return agents
    .filter((a) => a.loggedIn)
    .map((a) => {
      let skillScore = 0;
      let why: string | undefined;
      for (const [skill, min] of requirements) {
        const level = a.skills[skill];
        if (level === undefined) why ??= `MISSING_SKILL:${skill}`;
        else if (level < min) why ??= `LOW_SKILL:${skill}`;
        else skillScore += level;
      }
      if (!why && !a.available) why = 'NOT_AVAILABLE';
      return why ? { agentId: a.agentId, eligible: false, why, skillScore } : { agentId: a.agentId, eligible: true, skillScore };
    });
}

/** Agents who could take the call if they were free (skills only). */
export function qualified(candidates: Candidate[]): Candidate[] {
  return candidates.filter((c) => c.eligible || c.why === 'NOT_AVAILABLE');
}
