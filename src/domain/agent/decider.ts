import type { Decider, Decision, DomainError } from '../decider.ts';
import { isNonEmpty, reject } from '../rules.ts';
import type { AgentCommand } from './commands.ts';
import type { AgentEvent, Skill } from './events.ts';
import { AGENT_CATEGORY } from './streams.ts';

export type AgentPresence = 'logged_out' | 'ready' | 'not_ready';

export interface AgentState {
  exists: boolean;
  agentId?: string;
  name?: string;
  teamId?: string;
  departmentId?: string;
  skills: Skill[];
  presence: AgentPresence;
  extension?: string;
  notReadyReason?: string;
}

/** Right after login an agent is not ready until they say so: nobody gets a call while still putting on a headset. */
export const LOGIN_NOT_READY_REASON = 'login';

const initialState = (): AgentState => ({ exists: false, skills: [], presence: 'logged_out' });

function evolve(s: AgentState, e: AgentEvent): AgentState {
  switch (e.type) {
    case 'AgentRegistered': {
      const d = e.data;
      return {
        ...s,
        exists: true,
        agentId: d.agentId,
        name: d.name,
        teamId: d.teamId,
        departmentId: d.departmentId,
        skills: d.skills,
      };
    }
    case 'AgentSkillsSet':
      return { ...s, skills: e.data.skills };
    case 'AgentTeamChanged':
      return { ...s, teamId: e.data.teamId, departmentId: e.data.departmentId };
    case 'AgentLoggedIn':
      return { ...s, presence: 'not_ready', extension: e.data.extension, notReadyReason: LOGIN_NOT_READY_REASON };
    case 'AgentLoggedOut':
      return { ...s, presence: 'logged_out', extension: undefined, notReadyReason: undefined };
    case 'AgentReady':
      return { ...s, presence: 'ready', notReadyReason: undefined };
    case 'AgentNotReady':
      return { ...s, presence: 'not_ready', notReadyReason: e.data.reasonCode };
    default:
      return s;
  }
}

export function checkSkills(skills: unknown): DomainError | undefined {
  if (!Array.isArray(skills)) return reject('SKILLS_INVALID', '技能须为 { skill, level } 列表 / Skills are a list of { skill, level }');
  const seen = new Set<string>();
  for (const s of skills as Skill[]) {
    if (!isNonEmpty(s?.skill)) return reject('SKILLS_INVALID', '每项技能须有名称 / Every skill has a name');
    if (!Number.isInteger(s.level) || s.level < 1 || s.level > 10)
      return reject('SKILLS_INVALID', `技能 ${s.skill} 的等级须为 1 到 10 / Level of ${s.skill} must be 1 to 10`);
    if (seen.has(s.skill)) return reject('SKILLS_INVALID', `技能 ${s.skill} 重复 / Skill ${s.skill} is listed twice`);
    seen.add(s.skill);
  }
  return undefined;
}

function decide(c: AgentCommand, s: AgentState): Decision<AgentEvent> {
  const at = c.meta.now;
  if (c.type === 'RegisterAgent') {
    const d = c.data;
    if (s.exists) return reject('AGENT_EXISTS', `Agent ${s.agentId} already exists`);
    if (!isNonEmpty(d.agentId) || !isNonEmpty(d.name))
      return reject('AGENT_NAME_REQUIRED', 'An agent needs an id and a name');
    if (!isNonEmpty(d.teamId) || !isNonEmpty(d.departmentId))
      return reject('TEAM_REQUIRED', 'An agent belongs to a team and a department');
    const skills = d.skills ?? [];
    const bad = checkSkills(skills);
    if (bad) return bad;
    return [
      {
        type: 'AgentRegistered',
        data: { agentId: d.agentId, at, name: d.name.trim(), teamId: d.teamId, departmentId: d.departmentId, skills },
      },
    ];
  }
  if (!s.exists || !s.agentId) return reject('AGENT_NOT_FOUND', 'No such agent');
  const agentId = s.agentId;
  switch (c.type) {
    case 'SetAgentSkills': {
      const bad = checkSkills(c.data.skills);
      if (bad) return bad;
      return [{ type: 'AgentSkillsSet', data: { agentId, at, skills: c.data.skills, setBy: c.meta.actorId } }];
    }
    case 'ChangeAgentTeam':
      if (!isNonEmpty(c.data.teamId) || !isNonEmpty(c.data.departmentId))
        return reject('TEAM_REQUIRED', 'Give the new team and department');
      if (c.data.teamId === s.teamId && c.data.departmentId === s.departmentId) return [];
      return [
        {
          type: 'AgentTeamChanged',
          data: { agentId, at, teamId: c.data.teamId, departmentId: c.data.departmentId, changedBy: c.meta.actorId },
        },
      ];
    case 'LogInAgent':
      if (!isNonEmpty(c.data.extension)) return reject('EXTENSION_REQUIRED', 'Log in at an extension');
      if (s.presence !== 'logged_out') {
        if (s.extension === c.data.extension) return [];
        return reject(
          'AGENT_ALREADY_LOGGED_IN',
          `Agent is already logged in at extension ${s.extension}; log out there first`,
          { extension: s.extension },
        );
      }
      return [{ type: 'AgentLoggedIn', data: { agentId, at, extension: c.data.extension } }];
    case 'LogOutAgent':
      if (s.presence === 'logged_out') return [];
      return [{ type: 'AgentLoggedOut', data: { agentId, at, reason: c.data.reason ?? 'logout', by: c.meta.actorId } }];
    case 'SetAgentReady':
      if (s.presence === 'logged_out') return reject('AGENT_LOGGED_OUT', 'Log in before going ready');
      if (s.presence === 'ready') return [];
      return [{ type: 'AgentReady', data: { agentId, at } }];
    case 'SetAgentNotReady':
      if (s.presence === 'logged_out') return reject('AGENT_LOGGED_OUT', 'A logged-out agent has no ready state');
      if (!isNonEmpty(c.data.reasonCode)) return reject('REASON_CODE_REQUIRED', 'Choose a not-ready reason');
      if (s.presence === 'not_ready' && s.notReadyReason === c.data.reasonCode) return [];
      return [{ type: 'AgentNotReady', data: { agentId, at, reasonCode: c.data.reasonCode } }];
  }
}

export const agentDecider: Decider<AgentCommand, AgentEvent, AgentState> = {
  category: AGENT_CATEGORY,
  initialState,
  evolve,
  decide,
};
