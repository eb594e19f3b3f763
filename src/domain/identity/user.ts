import type { Decider } from '../decider.ts';
import { isNonEmpty, reject } from '../rules.ts';
import type { UserCommand } from './commands.ts';
import { ROLES, type Role, type UserEvent } from './events.ts';

export interface UserState {
  exists: boolean;
  userId?: string;
  username?: string;
  role?: Role;
  departmentId?: string;
  teamId?: string;
  disabled: boolean;
  /** Sessions started and not yet ended; logout of an unknown session is refused. */
  openSessions: string[];
}

/** Who may manage users: an admin, or the system itself (seeding, the `user add` CLI). */
const MANAGERS = ['admin', 'system'];
const USERNAME = /^[\p{L}\p{N}._-]{2,64}$/u;

const initialState = (): UserState => ({ exists: false, disabled: false, openSessions: [] });

function evolve(s: UserState, e: UserEvent): UserState {
  switch (e.type) {
    case 'UserCreated': {
      const { userId, username, role, departmentId, teamId } = e.data;
      return { ...s, exists: true, userId, username, role, departmentId, teamId };
    }
    case 'UserRoleChanged':
      return { ...s, role: e.data.role };
    case 'UserMoved':
      return { ...s, departmentId: e.data.departmentId, teamId: e.data.teamId };
    case 'UserDisabled':
      return { ...s, disabled: true, openSessions: [] };
    case 'UserEnabled':
      return { ...s, disabled: false };
    case 'UserLoggedIn':
      return { ...s, openSessions: [...s.openSessions, e.data.sessionId] };
    case 'UserLoggedOut':
      return { ...s, openSessions: s.openSessions.filter((id) => id !== e.data.sessionId) };
    default:
      return s;
  }
}

function decide(c: UserCommand, s: UserState): UserEvent[] | ReturnType<typeof reject> {
  const at = c.meta.now;
  const by = c.meta.actorId;
  const manager = MANAGERS.includes(c.meta.actorRole ?? '');
  if (c.type === 'CreateUser') {
    if (!manager) return reject('FORBIDDEN', '只有管理员可以创建用户 / only an admin may create users');
    if (s.exists) return reject('USER_EXISTS', `用户已存在 / user ${s.userId} already exists`);
    const d = c.data;
    if (!USERNAME.test(d.username)) return reject('INVALID_USERNAME', '用户名须为2到64个字母、数字或 . _ - / username must be 2-64 letters, digits or . _ -', { username: d.username });
    if (!isNonEmpty(d.displayName)) return reject('INVALID_DISPLAY_NAME', '姓名不能为空 / display name is required');
    if (!ROLES.includes(d.role)) return reject('INVALID_ROLE', `未知角色 / unknown role "${d.role}"`);
    if (!isNonEmpty(d.passwordHash)) return reject('INVALID_PASSWORD', '缺少密码 / password is required');
    if (['agent', 'team_leader'].includes(d.role) && !d.teamId)
      return reject('TEAM_REQUIRED', '坐席和组长必须属于一个小组 / agents and team leaders need a team');
    if (d.role !== 'admin' && d.role !== 'auditor' && !d.departmentId)
      return reject('DEPARTMENT_REQUIRED', '必须指定部门 / a department is required for this role');
    return [{ type: 'UserCreated', data: { ...d, username: d.username.toLowerCase(), at, by } }];
  }
  if (!s.exists) return reject('USER_NOT_FOUND', '用户不存在 / no such user');
  const userId = s.userId!;
  switch (c.type) {
    case 'ChangeUserRole':
      if (!manager) return reject('FORBIDDEN', '只有管理员可以修改角色 / only an admin may change roles');
      if (!ROLES.includes(c.data.role)) return reject('INVALID_ROLE', `未知角色 / unknown role "${c.data.role}"`);
      if (c.data.role === s.role) return [];
      if (by === userId) return reject('CANNOT_CHANGE_OWN_ROLE', '不能修改自己的角色 / you cannot change your own role');
      return [{ type: 'UserRoleChanged', data: { userId, role: c.data.role, previousRole: s.role!, at, by } }];
    case 'MoveUser':
      if (!manager) return reject('FORBIDDEN', '只有管理员可以调整部门 / only an admin may move users');
      if (c.data.departmentId === s.departmentId && c.data.teamId === s.teamId) return [];
      return [{ type: 'UserMoved', data: { userId, departmentId: c.data.departmentId, teamId: c.data.teamId, at, by } }];
    case 'ChangePassword':
      if (!manager && by !== userId) return reject('FORBIDDEN', '不能修改他人密码 / you may only change your own password');
      if (!isNonEmpty(c.data.passwordHash)) return reject('INVALID_PASSWORD', '缺少密码 / password is required');
      return [{ type: 'UserPasswordChanged', data: { userId, passwordHash: c.data.passwordHash, at, by } }];
    case 'DisableUser':
      if (!manager) return reject('FORBIDDEN', '只有管理员可以停用用户 / only an admin may disable users');
      if (by === userId) return reject('CANNOT_DISABLE_SELF', '不能停用自己 / you cannot disable yourself');
      if (!isNonEmpty(c.data.reason)) return reject('REASON_REQUIRED', '请填写原因 / a reason is required');
      if (s.disabled) return [];
      return [{ type: 'UserDisabled', data: { userId, reason: c.data.reason, at, by } }];
    case 'EnableUser':
      if (!manager) return reject('FORBIDDEN', '只有管理员可以启用用户 / only an admin may enable users');
      return s.disabled ? [{ type: 'UserEnabled', data: { userId, at, by } }] : [];
    case 'RecordLogin':
      if (s.disabled) return reject('USER_DISABLED', '账号已停用 / this account is disabled');
      return [{ type: 'UserLoggedIn', data: { userId, sessionId: c.data.sessionId, expiresAt: c.data.expiresAt, at } }];
    case 'RecordLogout':
      if (!s.openSessions.includes(c.data.sessionId)) return [];
      return [{ type: 'UserLoggedOut', data: { userId, sessionId: c.data.sessionId, at } }];
  }
}

export const userDecider: Decider<UserCommand, UserEvent, UserState> = { category: 'user', initialState, evolve, decide };
