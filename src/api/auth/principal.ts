import type { Role } from '../../domain/identity/events.ts';

/** The authenticated caller, as every resolver and route sees it. */
export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  departmentId?: string;
  teamId?: string;
  /** The session (JWT `jti`) this request came with: logout revokes it. */
  sessionId: string;
  expiresAt: string;
}

/**
 * Whose data a caller may see: `all`, or the set of user ids (agents) whose leads, calls and recordings
 * are visible, plus the departments they may see (campaigns, queues).
 */
export type Scope = { all: true } | { all: false; userIds: string[]; departmentIds: string[] };

/** Roles that may change anything at all; the auditor reads and replays only. */
export const WRITERS: readonly Role[] = ['agent', 'team_leader', 'supervisor', 'qa', 'admin'];
export const SUPERVISING: readonly Role[] = ['team_leader', 'supervisor', 'admin'];
export const MANAGING: readonly Role[] = ['supervisor', 'admin'];

export function inScope(scope: Scope, userId: string | null | undefined): boolean {
  if (scope.all) return true;
  return !!userId && scope.userIds.includes(userId);
}

export function departmentInScope(scope: Scope, departmentId: string | null | undefined): boolean {
  if (scope.all) return true;
  return !!departmentId && scope.departmentIds.includes(departmentId);
}
