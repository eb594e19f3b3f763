import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { handleCommand, type CommandResult } from '../../commands/handleCommand.ts';
import { DomainError, type CommandMeta } from '../../domain/decider.ts';
import type { DepartmentCommand, UserCommand } from '../../domain/identity/commands.ts';
import { agentDecider } from '../../domain/agent/decider.ts';
import { departmentDecider } from '../../domain/identity/department.ts';
import { ROLES, type Role } from '../../domain/identity/events.ts';
import { userDecider } from '../../domain/identity/user.ts';
import { WrongExpectedRevisionError } from '../../eventstore/errors.ts';
import { deterministicUuid } from '../../eventstore/ids.ts';
import type { EventStore } from '../../eventstore/types.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.ts';

export interface Actor {
  actorId?: string;
  /** 'system' for seeding and the CLI; otherwise the caller's role. */
  actorRole: string;
  commandId?: string;
}

export const SYSTEM: Actor = { actorId: 'system', actorRole: 'system' };

export interface NewUser {
  userId?: string;
  username: string;
  displayName: string;
  password: string;
  role: Role;
  departmentId?: string;
  teamId?: string;
}

const meta = (actor: Actor, now = new Date()): CommandMeta => ({
  now: now.toISOString(),
  actorId: actor.actorId,
  actorRole: actor.actorRole,
  commandId: actor.commandId,
});

export function checkPasswordStrength(password: string): void {
  if (typeof password !== 'string' || [...password].length < MIN_PASSWORD_LENGTH)
    throw new DomainError('WEAK_PASSWORD', `密码至少${MIN_PASSWORD_LENGTH}位 / the password needs at least ${MIN_PASSWORD_LENGTH} characters`);
}

/**
 * Creates a user (for seeding, the CLI and the createUser mutation). The username is claimed first in its
 * own stream with expected revision 'no-stream', so two racing creations of one name cannot both win.
 */
export async function createUser(store: EventStore, input: NewUser, actor: Actor = SYSTEM): Promise<CommandResult<unknown> & { userId: string }> {
  if (!ROLES.includes(input.role)) throw new DomainError('INVALID_ROLE', `未知角色 / unknown role "${input.role}"`);
  checkPasswordStrength(input.password);
  const username = String(input.username ?? '').trim().toLowerCase();
  const userId = input.userId ?? deterministicUuid('user', username);
  if (!['admin', 'system'].includes(actor.actorRole)) throw new DomainError('FORBIDDEN', '只有管理员可以创建用户 / only an admin may create users');
  const reservation = `username-${username}`;
  try {
    await store.append(reservation, [{ type: 'UsernameReserved', data: { username, userId }, metadata: { actorId: actor.actorId, actorRole: actor.actorRole } }], 'no-stream');
  } catch (e) {
    if (!(e instanceof WrongExpectedRevisionError)) throw e;
    const [first] = await store.readStream(reservation, { maxCount: 1 });
    if (first?.data.userId !== userId) throw new DomainError('USERNAME_TAKEN', `用户名已被使用 / username "${username}" is taken`, { username });
  }
  const passwordHash = await hashPassword(input.password);
  const command: UserCommand = {
    type: 'CreateUser',
    data: { userId, username, displayName: input.displayName, passwordHash, role: input.role, departmentId: input.departmentId, teamId: input.teamId },
    meta: meta(actor),
  };
  const result = await handleCommand(store, userDecider, userId, command);
  // People who take calls are also agents (agent-<userId>), so they can log in to a phone at once.
  if ((input.role === 'agent' || input.role === 'team_leader') && input.teamId && input.departmentId) {
    const register = { type: 'RegisterAgent' as const, data: { agentId: userId, name: input.displayName, teamId: input.teamId, departmentId: input.departmentId }, meta: meta(actor) };
    await handleCommand(store, agentDecider, userId, register).catch((e) => {
      if (!(e instanceof DomainError && e.code === 'AGENT_EXISTS')) throw e;
    });
  }
  return { ...result, userId };
}

/** Runs any user command against `user-<id>` (role change, move, password, disable, sessions). */
export function runUserCommand(store: EventStore, userId: string, type: UserCommand['type'], data: object, actor: Actor) {
  return handleCommand(store, userDecider, userId, { type, data, meta: meta(actor) } as UserCommand);
}

export function runDepartmentCommand(store: EventStore, departmentId: string, type: DepartmentCommand['type'], data: object, actor: Actor) {
  return handleCommand(store, departmentDecider, departmentId, { type, data, meta: meta(actor) } as DepartmentCommand);
}

export async function createDepartment(store: EventStore, input: { departmentId: string; name: string; parentId?: string }, actor: Actor = SYSTEM) {
  return runDepartmentCommand(store, input.departmentId, 'CreateDepartment', input, actor);
}

export async function createTeam(store: EventStore, input: { departmentId: string; teamId: string; name: string; leaderId?: string }, actor: Actor = SYSTEM) {
  return runDepartmentCommand(store, input.departmentId, 'CreateTeam', { teamId: input.teamId, name: input.name, leaderId: input.leaderId }, actor);
}

export const UserRow = z.object({
  user_id: z.string(),
  username: z.string(),
  display_name: z.string(),
  password_hash: z.string(),
  role: z.enum(ROLES),
  department_id: z.string().nullable(),
  team_id: z.string().nullable(),
  disabled: z.boolean(),
  position: z.number(),
});
export type UserRow = z.infer<typeof UserRow>;

export function findUserByUsername(pool: DatabasePool, username: string): Promise<UserRow | null> {
  return pool.maybeOne(sql.type(UserRow)`SELECT * FROM api.users WHERE username = ${username.trim().toLowerCase()}`);
}

export function findUser(pool: DatabasePool, userId: string): Promise<UserRow | null> {
  return pool.maybeOne(sql.type(UserRow)`SELECT * FROM api.users WHERE user_id = ${userId}`);
}

/** One query for many users (the GraphQL loaders use it), in the order asked. */
export async function usersByIds(pool: DatabasePool, ids: readonly string[]): Promise<(UserRow | null)[]> {
  const rows = await pool.any(sql.type(UserRow)`SELECT * FROM api.users WHERE user_id = ANY(${sql.array([...ids], 'text')})`);
  const byId = new Map(rows.map((r) => [r.user_id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

export function isRevoked(pool: DatabasePool, sessionId: string): Promise<boolean> {
  return pool.exists(sql.unsafe`SELECT 1 FROM api.revoked_sessions WHERE session_id = ${sessionId}`);
}

/** Revocation is written straight away (not only through the projector) so the token dies with the logout response. */
export async function revokeSession(pool: DatabasePool, sessionId: string, expiresAt: string): Promise<void> {
  await pool.query(sql.unsafe`
    INSERT INTO api.revoked_sessions (session_id, expires_at) VALUES (${sessionId}, ${expiresAt})
    ON CONFLICT (session_id) DO UPDATE SET expires_at = GREATEST(api.revoked_sessions.expires_at, EXCLUDED.expires_at)`);
}
