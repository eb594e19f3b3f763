import type { AgentView, Candidate } from './types.ts';

/**
 * Every logged-in agent, with whether they can take this call now and why not. `departments`: the queue's
 * department and those under it (undefined: the whole floor's queue); an agent of any other department is never
 * a candidate, whatever their skills, since they may not see this client's customers. An agent the log gives no
 * department (never registered) is the whole floor's, as a queue without one.
 */
export function candidatesFor(agents: AgentView[], required: Record<string, number>, departments?: readonly string[]): Candidate[] {
  const requirements = Object.entries(required);
  const inScope = departments && new Set(departments);
  return agents
    .filter((a) => a.loggedIn)
    .map((a) => {
      if (inScope && a.departmentId && !inScope.has(a.departmentId)) {
        return { agentId: a.agentId, eligible: false, why: `OTHER_DEPARTMENT:${a.departmentId}`, note: `other department ${a.departmentId}`, skillScore: 0 };
      }
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

/** Agents who could take the call if they were free (department and skills only). */
export function qualified(candidates: Candidate[]): Candidate[] {
  return candidates.filter((c) => c.eligible || c.why === 'NOT_AVAILABLE');
}
