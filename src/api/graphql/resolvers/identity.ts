import { sql } from 'slonik';
import { z } from 'zod';
import { DomainError } from '../../../domain/decider.ts';
import { createUser, findUser, runDepartmentCommand, runUserCommand, checkPasswordStrength, UserRow } from '../../auth/identity.ts';
import { checkPassword, hashPassword } from '../../auth/passwords.ts';
import { inScope } from '../../auth/principal.ts';
import { randomUUID } from 'node:crypto';
import type { ApiContext } from '../context.ts';
import { forbidden } from '../errors.ts';
import { actorOf, commandResult, decodeCursor, encodeCursor, roleIn, roleOut } from '../results.ts';

const MAX_PAGE = 200;

/** A user row as the schema's User. */
export const userOut = (u: UserRow) => ({
  id: u.user_id,
  username: u.username,
  displayName: u.display_name,
  role: roleOut(u.role),
  departmentId: u.department_id,
  teamId: u.team_id,
  disabled: u.disabled,
});

const Dept = z.object({ department_id: z.string(), name: z.string(), parent_id: z.string().nullable() });
const Team = z.object({ team_id: z.string(), department_id: z.string(), name: z.string(), leader_id: z.string().nullable() });
const deptOut = (d: z.infer<typeof Dept>) => ({ id: d.department_id, name: d.name, parentId: d.parent_id });
const teamOut = (t: z.infer<typeof Team>) => ({ id: t.team_id, name: t.name, departmentId: t.department_id, leaderId: t.leader_id });

/** After a command on identity streams, wait until the API read model shows it (read-your-writes). */
async function settled<T extends { position: number }>(ctx: ApiContext, r: T): Promise<T> {
  await ctx.projector.waitFor(r.position);
  return r;
}

export const identityResolvers = {
  Query: {
    me: async (_: unknown, __: unknown, ctx: ApiContext) => {
      const u = await findUser(ctx.pool, ctx.principal!.userId);
      return u && userOut(u);
    },
    user: async (_: unknown, { id }: { id: string }, ctx: ApiContext) => {
      const u = await findUser(ctx.pool, id);
      if (!u || !inScope(await ctx.scope(), u.user_id)) return null;
      return userOut(u);
    },
    users: async (_: unknown, args: { filter?: any; first: number; after?: string }, ctx: ApiContext) => {
      const scope = await ctx.scope();
      const f = args.filter ?? {};
      const first = Math.min(Math.max(args.first ?? 50, 1), MAX_PAGE);
      const offset = decodeCursor(args.after);
      const conds = [sql.fragment`true`];
      if (!scope.all) conds.push(sql.fragment`user_id = ANY(${sql.array(scope.userIds, 'text')})`);
      if (f.role) conds.push(sql.fragment`role = ${roleIn(f.role)}`);
      if (f.departmentId) conds.push(sql.fragment`department_id = ${f.departmentId}`);
      if (f.teamId) conds.push(sql.fragment`team_id = ${f.teamId}`);
      if (!f.includeDisabled) conds.push(sql.fragment`NOT disabled`);
      if (f.search) conds.push(sql.fragment`(username ILIKE ${'%' + f.search + '%'} OR display_name ILIKE ${'%' + f.search + '%'})`);
      const rows = await ctx.pool.any(sql.type(UserRow)`
        SELECT * FROM api.users WHERE ${sql.join(conds, sql.fragment` AND `)}
        ORDER BY username LIMIT ${first + 1} OFFSET ${offset}`);
      const more = rows.length > first;
      return {
        nodes: rows.slice(0, first).map(userOut),
        pageInfo: { hasNextPage: more, endCursor: more ? encodeCursor(offset + first) : null, totalCount: null },
      };
    },
    departments: async (_: unknown, __: unknown, ctx: ApiContext) => {
      const scope = await ctx.scope();
      const rows = await ctx.pool.any(sql.type(Dept)`SELECT department_id, name, parent_id FROM api.departments ORDER BY name`);
      return rows.filter((d) => scope.all || scope.departmentIds.includes(d.department_id)).map(deptOut);
    },
    department: async (_: unknown, { id }: { id: string }, ctx: ApiContext) => {
      const scope = await ctx.scope();
      if (!scope.all && !scope.departmentIds.includes(id)) return null;
      const d = await ctx.pool.maybeOne(sql.type(Dept)`SELECT department_id, name, parent_id FROM api.departments WHERE department_id = ${id}`);
      return d && deptOut(d);
    },
  },
  Mutation: {
    login: async (_: unknown, { username, password }: { username: string; password: string }, ctx: ApiContext) => {
      const s = await ctx.auth.login(username, password);
      const u = await findUser(ctx.pool, s.principal.userId);
      return { token: s.token, expiresAt: s.expiresAt, user: userOut(u!) };
    },
    logout: async (_: unknown, __: unknown, ctx: ApiContext) => {
      await ctx.auth.logout(ctx.principal!);
      return true;
    },
    changePassword: async (_: unknown, a: { currentPassword: string; newPassword: string; commandId?: string }, ctx: ApiContext) => {
      const p = ctx.principal!;
      const u = await findUser(ctx.pool, p.userId);
      if (!u || !(await checkPassword(u.password_hash, a.currentPassword)))
        throw new DomainError('INVALID_CREDENTIALS', '当前密码错误 / the current password is wrong');
      checkPasswordStrength(a.newPassword);
      const r = await runUserCommand(ctx.store, p.userId, 'ChangePassword', { passwordHash: await hashPassword(a.newPassword) }, actorOf(p, a.commandId));
      return commandResult(await settled(ctx, r));
    },
    createUser: async (_: unknown, { input, commandId }: { input: any; commandId?: string }, ctx: ApiContext) => {
      const r = await createUser(ctx.store, { ...input, role: roleIn(input.role) }, actorOf(ctx.principal!, commandId));
      return commandResult(await settled(ctx, r));
    },
    changeUserRole: async (_: unknown, a: { userId: string; role: string; commandId?: string }, ctx: ApiContext) =>
      commandResult(await settled(ctx, await runUserCommand(ctx.store, a.userId, 'ChangeUserRole', { role: roleIn(a.role) }, actorOf(ctx.principal!, a.commandId)))),
    moveUser: async (_: unknown, a: { userId: string; departmentId?: string; teamId?: string; commandId?: string }, ctx: ApiContext) =>
      commandResult(
        await settled(ctx, await runUserCommand(ctx.store, a.userId, 'MoveUser', { departmentId: a.departmentId ?? undefined, teamId: a.teamId ?? undefined }, actorOf(ctx.principal!, a.commandId))),
      ),
    resetPassword: async (_: unknown, a: { userId: string; newPassword: string; commandId?: string }, ctx: ApiContext) => {
      checkPasswordStrength(a.newPassword);
      const r = await runUserCommand(ctx.store, a.userId, 'ChangePassword', { passwordHash: await hashPassword(a.newPassword) }, actorOf(ctx.principal!, a.commandId));
      return commandResult(await settled(ctx, r));
    },
    disableUser: async (_: unknown, a: { userId: string; reason: string; commandId?: string }, ctx: ApiContext) =>
      commandResult(await settled(ctx, await runUserCommand(ctx.store, a.userId, 'DisableUser', { reason: a.reason }, actorOf(ctx.principal!, a.commandId)))),
    enableUser: async (_: unknown, a: { userId: string; commandId?: string }, ctx: ApiContext) =>
      commandResult(await settled(ctx, await runUserCommand(ctx.store, a.userId, 'EnableUser', {}, actorOf(ctx.principal!, a.commandId)))),
    createDepartment: async (_: unknown, a: { id?: string; name: string; parentId?: string; commandId?: string }, ctx: ApiContext) => {
      const id = a.id ?? randomUUID();
      return commandResult(await settled(ctx, await runDepartmentCommand(ctx.store, id, 'CreateDepartment', { departmentId: id, name: a.name, parentId: a.parentId ?? undefined }, actorOf(ctx.principal!, a.commandId))));
    },
    renameDepartment: async (_: unknown, a: { id: string; name: string; commandId?: string }, ctx: ApiContext) =>
      commandResult(await settled(ctx, await runDepartmentCommand(ctx.store, a.id, 'RenameDepartment', { name: a.name }, actorOf(ctx.principal!, a.commandId)))),
    createTeam: async (_: unknown, a: { departmentId: string; id?: string; name: string; leaderId?: string; commandId?: string }, ctx: ApiContext) => {
      const teamId = a.id ?? randomUUID();
      return commandResult(
        await settled(ctx, await runDepartmentCommand(ctx.store, a.departmentId, 'CreateTeam', { teamId, name: a.name, leaderId: a.leaderId ?? undefined }, actorOf(ctx.principal!, a.commandId))),
      );
    },
    setTeamLeader: async (_: unknown, a: { departmentId: string; teamId: string; leaderId?: string; commandId?: string }, ctx: ApiContext) =>
      commandResult(
        await settled(ctx, await runDepartmentCommand(ctx.store, a.departmentId, 'SetTeamLeader', { teamId: a.teamId, leaderId: a.leaderId ?? undefined }, actorOf(ctx.principal!, a.commandId))),
      ),
  },
};

/** Nested identity fields, batched per request through mercurius loaders (one query per field per request). */
export const identityLoaders = {
  User: {
    department: async (queries: { obj: any }[], ctx: ApiContext) => {
      const ids = [...new Set(queries.map((q) => q.obj.departmentId).filter(Boolean))];
      const rows = await ctx.pool.any(sql.type(Dept)`SELECT department_id, name, parent_id FROM api.departments WHERE department_id = ANY(${sql.array(ids, 'text')})`);
      const by = new Map(rows.map((d) => [d.department_id, deptOut(d)]));
      return queries.map((q) => by.get(q.obj.departmentId) ?? null);
    },
    team: async (queries: { obj: any }[], ctx: ApiContext) => {
      const ids = [...new Set(queries.map((q) => q.obj.teamId).filter(Boolean))];
      const rows = await ctx.pool.any(sql.type(Team)`SELECT team_id, department_id, name, leader_id FROM api.teams WHERE team_id = ANY(${sql.array(ids, 'text')})`);
      const by = new Map(rows.map((t) => [t.team_id, teamOut(t)]));
      return queries.map((q) => by.get(q.obj.teamId) ?? null);
    },
  },
  Department: {
    teams: async (queries: { obj: any }[], ctx: ApiContext) => {
      const ids = queries.map((q) => q.obj.id);
      const rows = await ctx.pool.any(sql.type(Team)`SELECT team_id, department_id, name, leader_id FROM api.teams WHERE department_id = ANY(${sql.array(ids, 'text')}) ORDER BY name`);
      return queries.map((q) => rows.filter((t) => t.department_id === q.obj.id).map(teamOut));
    },
    children: async (queries: { obj: any }[], ctx: ApiContext) => {
      const ids = queries.map((q) => q.obj.id);
      const rows = await ctx.pool.any(sql.type(Dept)`SELECT department_id, name, parent_id FROM api.departments WHERE parent_id = ANY(${sql.array(ids, 'text')}) ORDER BY name`);
      return queries.map((q) => rows.filter((d) => d.parent_id === q.obj.id).map(deptOut));
    },
  },
  Team: {
    members: async (queries: { obj: any }[], ctx: ApiContext) => {
      const ids = queries.map((q) => q.obj.id);
      const rows = await ctx.pool.any(sql.type(UserRow)`SELECT * FROM api.users WHERE team_id = ANY(${sql.array(ids, 'text')}) ORDER BY username`);
      const scope = await ctx.scope();
      return queries.map((q) => rows.filter((u) => u.team_id === q.obj.id && inScope(scope, u.user_id)).map(userOut));
    },
  },
};

/** Fields that need no query: plain projections of the parent. */
export const identityTypes = {
  User: {
    supervisedDepartments: async (u: any, _: unknown, ctx: ApiContext) => {
      if (roleIn(u.role) !== 'supervisor' || !u.departmentId) return [];
      const { departmentSubtree } = await import('../../auth/scope.ts');
      const ids = await departmentSubtree(ctx.pool, u.departmentId);
      const rows = await ctx.pool.any(sql.type(Dept)`SELECT department_id, name, parent_id FROM api.departments WHERE department_id = ANY(${sql.array(ids, 'text')})`);
      return rows.map(deptOut);
    },
  },
  Department: {
    parent: async (d: any, _: unknown, ctx: ApiContext) => {
      if (!d.parentId) return null;
      const p = await ctx.pool.maybeOne(sql.type(Dept)`SELECT department_id, name, parent_id FROM api.departments WHERE department_id = ${d.parentId}`);
      return p && deptOut(p);
    },
  },
  Team: {
    department: async (t: any, _: unknown, ctx: ApiContext) => {
      const p = await ctx.pool.maybeOne(sql.type(Dept)`SELECT department_id, name, parent_id FROM api.departments WHERE department_id = ${t.departmentId}`);
      return p && deptOut(p);
    },
    leader: async (t: any, _: unknown, ctx: ApiContext) => {
      if (!t.leaderId) return null;
      const u = await findUser(ctx.pool, t.leaderId);
      return u && userOut(u);
    },
  },
};

export { forbidden };
