import type { Decider } from '../decider.ts';
import { isNonEmpty, reject } from '../rules.ts';
import type { DepartmentCommand } from './commands.ts';
import type { DepartmentEvent } from './events.ts';

export interface DepartmentState {
  exists: boolean;
  departmentId?: string;
  name?: string;
  parentId?: string;
  teams: Record<string, { name: string; leaderId?: string }>;
}

const initialState = (): DepartmentState => ({ exists: false, teams: {} });

function evolve(s: DepartmentState, e: DepartmentEvent): DepartmentState {
  switch (e.type) {
    case 'DepartmentCreated':
      return { ...s, exists: true, departmentId: e.data.departmentId, name: e.data.name, parentId: e.data.parentId };
    case 'DepartmentRenamed':
      return { ...s, name: e.data.name };
    case 'TeamCreated':
      return { ...s, teams: { ...s.teams, [e.data.teamId]: { name: e.data.name, leaderId: e.data.leaderId } } };
    case 'TeamLeaderSet':
      return { ...s, teams: { ...s.teams, [e.data.teamId]: { ...s.teams[e.data.teamId], leaderId: e.data.leaderId } } };
    default:
      return s;
  }
}

function decide(c: DepartmentCommand, s: DepartmentState): DepartmentEvent[] | ReturnType<typeof reject> {
  const at = c.meta.now;
  const by = c.meta.actorId;
  if (!['admin', 'system'].includes(c.meta.actorRole ?? '')) return reject('FORBIDDEN', '只有管理员可以管理组织架构 / only an admin may change departments and teams');
  if (c.type === 'CreateDepartment') {
    if (s.exists) return reject('DEPARTMENT_EXISTS', `部门已存在 / department ${s.departmentId} already exists`);
    if (!isNonEmpty(c.data.name)) return reject('NAME_REQUIRED', '名称不能为空 / a name is required');
    if (c.data.parentId === c.data.departmentId) return reject('INVALID_PARENT', '部门不能是自己的上级 / a department cannot be its own parent');
    return [{ type: 'DepartmentCreated', data: { departmentId: c.data.departmentId, name: c.data.name.trim(), parentId: c.data.parentId, at, by } }];
  }
  if (!s.exists) return reject('DEPARTMENT_NOT_FOUND', '部门不存在 / no such department');
  const departmentId = s.departmentId!;
  switch (c.type) {
    case 'RenameDepartment':
      if (!isNonEmpty(c.data.name)) return reject('NAME_REQUIRED', '名称不能为空 / a name is required');
      return c.data.name.trim() === s.name ? [] : [{ type: 'DepartmentRenamed', data: { departmentId, name: c.data.name.trim(), at, by } }];
    case 'CreateTeam':
      if (s.teams[c.data.teamId]) return reject('TEAM_EXISTS', `小组已存在 / team ${c.data.teamId} already exists`);
      if (!isNonEmpty(c.data.name)) return reject('NAME_REQUIRED', '名称不能为空 / a name is required');
      return [{ type: 'TeamCreated', data: { departmentId, teamId: c.data.teamId, name: c.data.name.trim(), leaderId: c.data.leaderId, at, by } }];
    case 'SetTeamLeader': {
      const team = s.teams[c.data.teamId];
      if (!team) return reject('TEAM_NOT_FOUND', '小组不存在 / no such team in this department', { teamId: c.data.teamId });
      if (team.leaderId === c.data.leaderId) return [];
      return [{ type: 'TeamLeaderSet', data: { departmentId, teamId: c.data.teamId, leaderId: c.data.leaderId, at, by } }];
    }
  }
}

export const departmentDecider: Decider<DepartmentCommand, DepartmentEvent, DepartmentState> = {
  category: 'department',
  initialState,
  evolve,
  decide,
};
