import type { DomainEvent } from '../decider.ts';

/** Roles, lowest to highest reach. `auditor` reads and replays everything and changes nothing. */
export const ROLES = ['agent', 'team_leader', 'supervisor', 'qa', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

type UserBase = {
  userId: string;
  at: string;
};

/** The password hash, never the password, is the fact; hashing happens before the command is decided. */
export type UserCreated = DomainEvent<
  'UserCreated',
  UserBase & { username: string; displayName: string; passwordHash: string; role: Role; departmentId?: string; teamId?: string; by?: string }
>;
export type UserRoleChanged = DomainEvent<'UserRoleChanged', UserBase & { role: Role; previousRole: Role; by?: string }>;
export type UserMoved = DomainEvent<'UserMoved', UserBase & { departmentId?: string; teamId?: string; by?: string }>;
export type UserPasswordChanged = DomainEvent<'UserPasswordChanged', UserBase & { passwordHash: string; by?: string }>;
export type UserDisabled = DomainEvent<'UserDisabled', UserBase & { reason: string; by?: string }>;
export type UserEnabled = DomainEvent<'UserEnabled', UserBase & { by?: string }>;
export type UserLoggedIn = DomainEvent<'UserLoggedIn', UserBase & { sessionId: string; expiresAt: string }>;
export type UserLoggedOut = DomainEvent<'UserLoggedOut', UserBase & { sessionId: string }>;

export type UserEvent =
  | UserCreated
  | UserRoleChanged
  | UserMoved
  | UserPasswordChanged
  | UserDisabled
  | UserEnabled
  | UserLoggedIn
  | UserLoggedOut;

type DeptBase = {
  departmentId: string;
  at: string;
};

export type DepartmentCreated = DomainEvent<'DepartmentCreated', DeptBase & { name: string; parentId?: string; by?: string }>;
export type DepartmentRenamed = DomainEvent<'DepartmentRenamed', DeptBase & { name: string; by?: string }>;
export type TeamCreated = DomainEvent<'TeamCreated', DeptBase & { teamId: string; name: string; leaderId?: string; by?: string }>;
export type TeamLeaderSet = DomainEvent<'TeamLeaderSet', DeptBase & { teamId: string; leaderId?: string; by?: string }>;

export type DepartmentEvent = DepartmentCreated | DepartmentRenamed | TeamCreated | TeamLeaderSet;
