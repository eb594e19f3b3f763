import type { Command } from '../decider.ts';
import type { Role } from './events.ts';

export type CreateUser = Command<
  'CreateUser',
  { userId: string; username: string; displayName: string; passwordHash: string; role: Role; departmentId?: string; teamId?: string }
>;
export type ChangeUserRole = Command<'ChangeUserRole', { role: Role }>;
export type MoveUser = Command<'MoveUser', { departmentId?: string; teamId?: string }>;
/** Self-service when actorId is the user (the old password was checked by the caller), else admin only. */
export type ChangePassword = Command<'ChangePassword', { passwordHash: string }>;
export type DisableUser = Command<'DisableUser', { reason: string }>;
export type EnableUser = Command<'EnableUser', Record<string, never>>;
export type RecordLogin = Command<'RecordLogin', { sessionId: string; expiresAt: string }>;
export type RecordLogout = Command<'RecordLogout', { sessionId: string }>;

export type UserCommand = CreateUser | ChangeUserRole | MoveUser | ChangePassword | DisableUser | EnableUser | RecordLogin | RecordLogout;

export type CreateDepartment = Command<'CreateDepartment', { departmentId: string; name: string; parentId?: string }>;
export type RenameDepartment = Command<'RenameDepartment', { name: string }>;
export type CreateTeam = Command<'CreateTeam', { teamId: string; name: string; leaderId?: string }>;
export type SetTeamLeader = Command<'SetTeamLeader', { teamId: string; leaderId?: string }>;

export type DepartmentCommand = CreateDepartment | RenameDepartment | CreateTeam | SetTeamLeader;
