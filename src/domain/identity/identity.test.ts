import { describe, it } from 'vitest';
import { given } from '../testing/spec.ts';
import type { CreateUser, UserCommand } from './commands.ts';
import { departmentDecider } from './department.ts';
import type { UserCreated } from './events.ts';
import { userDecider } from './user.ts';

const now = '2026-03-01T09:00:00+08:00';
const admin = { now, actorId: 'u-admin', actorRole: 'admin' };
const newAgent: CreateUser['data'] = {
  userId: 'u-1',
  username: 'ZhangWei',
  displayName: '张伟',
  passwordHash: '$argon2id$x',
  role: 'agent',
  departmentId: 'd-sales',
  teamId: 't-1',
};
const created: UserCreated = { type: 'UserCreated', data: { ...newAgent, username: 'zhangwei', at: now, by: 'u-admin' } };
const cmd = (type: UserCommand['type'], data: object, meta: object = admin) => ({ type, data, meta }) as UserCommand;

describe('user decider', () => {
  it('creates a user with a lower-cased username, only for an admin', () => {
    given(userDecider).when(cmd('CreateUser', newAgent)).then([created]);
    given(userDecider).when(cmd('CreateUser', newAgent, { now, actorId: 'u-2', actorRole: 'supervisor' })).thenRejects('FORBIDDEN');
  });

  it('refuses a second creation, bad usernames, and agents without a team', () => {
    given(userDecider, [created]).when(cmd('CreateUser', newAgent)).thenRejects('USER_EXISTS');
    given(userDecider).when(cmd('CreateUser', { ...newAgent, username: '../x' })).thenRejects('INVALID_USERNAME');
    given(userDecider).when(cmd('CreateUser', { ...newAgent, teamId: undefined })).thenRejects('TEAM_REQUIRED');
    given(userDecider).when(cmd('CreateUser', { ...newAgent, role: 'root' })).thenRejects('INVALID_ROLE');
  });

  it('lets an admin change a role, and nobody their own', () => {
    given(userDecider, [created])
      .when(cmd('ChangeUserRole', { role: 'team_leader' }))
      .then([{ type: 'UserRoleChanged', data: { userId: 'u-1', role: 'team_leader', previousRole: 'agent', at: now, by: 'u-admin' } }]);
    given(userDecider, [created]).when(cmd('ChangeUserRole', { role: 'agent' })).thenNothingHappened();
    given(userDecider, [created]).when(cmd('ChangeUserRole', { role: 'admin' }, { now, actorId: 'u-1', actorRole: 'agent' })).thenRejects('FORBIDDEN');
  });

  it('lets users change only their own password', () => {
    given(userDecider, [created])
      .when(cmd('ChangePassword', { passwordHash: 'h2' }, { now, actorId: 'u-1', actorRole: 'agent' }))
      .then([{ type: 'UserPasswordChanged', data: { userId: 'u-1', passwordHash: 'h2', at: now, by: 'u-1' } }]);
    given(userDecider, [created]).when(cmd('ChangePassword', { passwordHash: 'h2' }, { now, actorId: 'u-9', actorRole: 'supervisor' })).thenRejects('FORBIDDEN');
  });

  it('refuses logins of a disabled account and ends its sessions', () => {
    const disabled = { type: 'UserDisabled' as const, data: { userId: 'u-1', reason: '离职', at: now, by: 'u-admin' } };
    given(userDecider, [created, disabled]).when(cmd('RecordLogin', { sessionId: 's1', expiresAt: now })).thenRejects('USER_DISABLED');
    given(userDecider, [created]).when(cmd('DisableUser', { reason: '' })).thenRejects('REASON_REQUIRED');
    given(userDecider, [created]).when(cmd('DisableUser', { reason: 'x' }, { now, actorId: 'u-1', actorRole: 'admin' })).thenRejects('CANNOT_DISABLE_SELF');
  });

  it('records a logout once, and only for a session that was opened', () => {
    const login = { type: 'UserLoggedIn' as const, data: { userId: 'u-1', sessionId: 's1', expiresAt: now, at: now } };
    const logout = { type: 'UserLoggedOut' as const, data: { userId: 'u-1', sessionId: 's1', at: now } };
    given(userDecider, [created, login]).when(cmd('RecordLogout', { sessionId: 's1' })).then([logout]);
    given(userDecider, [created, login, logout]).when(cmd('RecordLogout', { sessionId: 's1' })).thenNothingHappened();
  });
});

describe('department decider', () => {
  const dept = { type: 'DepartmentCreated' as const, data: { departmentId: 'd-sales', name: '销售一部', parentId: undefined, at: now, by: 'u-admin' } };
  const c = (type: string, data: object, meta: object = admin) => ({ type, data, meta }) as any;

  it('creates departments and teams for an admin only', () => {
    given(departmentDecider).when(c('CreateDepartment', { departmentId: 'd-sales', name: ' 销售一部 ' })).then([dept]);
    given(departmentDecider).when(c('CreateDepartment', { departmentId: 'd-x', name: 'x' }, { now, actorRole: 'supervisor' })).thenRejects('FORBIDDEN');
    given(departmentDecider, [dept])
      .when(c('CreateTeam', { teamId: 't-1', name: 'A组' }))
      .then([{ type: 'TeamCreated', data: { departmentId: 'd-sales', teamId: 't-1', name: 'A组', leaderId: undefined, at: now, by: 'u-admin' } }]);
  });

  it('refuses a team leader for a team that does not exist', () => {
    given(departmentDecider, [dept]).when(c('SetTeamLeader', { teamId: 't-9', leaderId: 'u-1' })).thenRejects('TEAM_NOT_FOUND');
    given(departmentDecider).when(c('RenameDepartment', { name: 'x' })).thenRejects('DEPARTMENT_NOT_FOUND');
  });
});
