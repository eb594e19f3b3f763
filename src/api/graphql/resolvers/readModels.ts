import type { Scope } from '../../auth/principal.ts';
import { sql } from 'slonik';
import { z } from 'zod';
import { usersByIds } from '../../auth/identity.ts';
import type { ReadModels } from '../../readModels.ts';
import type { ApiContext } from '../context.ts';
import { apiError, badInput } from '../errors.ts';
import { leadKey } from '../run.ts';

type A = Record<string, any>;
type Key = keyof ReadModels;

function need<K extends Key>(ctx: ApiContext, name: K): NonNullable<ReadModels[K]> {
  const fn = ctx.readModels[name];
  if (!fn) throw apiError('NOT_AVAILABLE', `尚未开放 / the ${String(name)} read model is not wired into this server yet`);
  return fn as NonNullable<ReadModels[K]>;
}

const pageSize = (first: number | undefined) => {
  const n = first ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > 200) throw badInput(`first must be 1..200, got ${n}`);
  return n;
};

/**
 * Runs a read with `asOf`: the read models are rebuilt as of that instant or position in a scratch schema
 * (auditors only beyond their own scope), read, and the scratch schema released.
 */
export async function withAsOf<T>(ctx: ApiContext, asOf: A | undefined, read: (schema: string | undefined) => Promise<T>): Promise<T> {
  if (!asOf || (asOf.at == null && asOf.position == null)) return read(undefined);
  if (asOf.at != null && asOf.position != null) throw badInput('give asOf.at or asOf.position, not both');
  const build = need(ctx, 'asOf');
  const view = await build({ position: asOf.position ?? undefined, instant: asOf.at ?? undefined });
  try {
    return await read(view.schema);
  } finally {
    await view.release();
  }
}

const scoped = async (ctx: ApiContext): Promise<Scope> => ctx.scope();

export const readModelResolvers = {
  Query: {
    lead: async (_: unknown, a: A, ctx: ApiContext) => withAsOf(ctx, a.asOf, async (schema) => need(ctx, 'lead')(leadKey(a.id), await scoped(ctx), schema)),
    leads: async (_: unknown, a: A, ctx: ApiContext) =>
      withAsOf(ctx, a.asOf, async (schema) => need(ctx, 'leads')({ filter: a.filter ?? {}, sort: a.sort, direction: a.direction, first: pageSize(a.first), after: a.after, schema }, await scoped(ctx))),
    customer: async (_: unknown, a: A, ctx: ApiContext) => withAsOf(ctx, a.asOf, async (schema) => need(ctx, 'customer')(leadKey(a.phone), await scoped(ctx), schema)),
    dnc: async (_: unknown, a: A, ctx: ApiContext) =>
      withAsOf(ctx, a.asOf, async (schema) => need(ctx, 'dnc')({ filter: a.filter ?? {}, first: pageSize(a.first), after: a.after, schema }, await scoped(ctx))),
    call: async (_: unknown, a: A, ctx: ApiContext) => withAsOf(ctx, a.asOf, async (schema) => need(ctx, 'call')(a.id, await scoped(ctx), schema)),
    calls: async (_: unknown, a: A, ctx: ApiContext) =>
      withAsOf(ctx, a.asOf, async (schema) => need(ctx, 'calls')({ filter: a.filter ?? {}, direction: a.direction, first: pageSize(a.first), after: a.after, schema }, await scoped(ctx))),
    callbacks: async (_: unknown, a: A, ctx: ApiContext) =>
      withAsOf(ctx, a.asOf, async (schema) => need(ctx, 'callbacks')({ filter: a.filter ?? {}, first: pageSize(a.first), after: a.after, schema }, await scoped(ctx), ctx.principal!.userId)),
    campaign: async (_: unknown, a: A, ctx: ApiContext) => withAsOf(ctx, a.asOf, async (schema) => need(ctx, 'campaign')(a.id, await scoped(ctx), schema)),
    campaigns: async (_: unknown, a: A, ctx: ApiContext) =>
      withAsOf(ctx, a.asOf, async (schema) => need(ctx, 'campaigns')({ filter: a.filter ?? {}, first: pageSize(a.first), after: a.after, schema }, await scoped(ctx))),
    queues: async (_: unknown, a: A, ctx: ApiContext) => withAsOf(ctx, a.asOf, async (schema) => need(ctx, 'queues')({ departmentId: a.departmentId ?? undefined, schema }, await scoped(ctx))),
    agentStates: async (_: unknown, a: A, ctx: ApiContext) => withAsOf(ctx, a.asOf, async (schema) => need(ctx, 'agentStates')({ filter: a.filter ?? {}, schema }, await scoped(ctx))),
    agentRanking: async (_: unknown, a: A, ctx: ApiContext) => need(ctx, 'agentRanking')({ ...a, first: pageSize(a.first) }, await scoped(ctx)),
    order: async (_: unknown, a: A, ctx: ApiContext) =>
      withAsOf(ctx, a.asOf, async (schema) => (await need(ctx, 'orders')({ filter: { orderId: a.id }, first: 1, schema }, await scoped(ctx))).nodes[0] ?? null),
    orders: async (_: unknown, a: A, ctx: ApiContext) =>
      withAsOf(ctx, a.asOf, async (schema) => need(ctx, 'orders')({ filter: a.filter ?? {}, direction: a.direction, first: pageSize(a.first), after: a.after, schema }, await scoped(ctx))),
    qaScores: async (_: unknown, a: A, ctx: ApiContext) =>
      withAsOf(ctx, a.asOf, async (schema) => need(ctx, 'qaScores')({ filter: a.filter ?? {}, first: pageSize(a.first), after: a.after, schema }, await scoped(ctx))),
  },
};

/**
 * People referenced from read-model rows (`ownerId`, `agentId`, ...) are resolved in one query per field
 * per request (mercurius loaders), whatever the page size: no N+1.
 */
function userLoader(idField: string) {
  return async (queries: { obj: A }[], ctx: ApiContext) => {
    const ids = [...new Set(queries.map((q) => q.obj[idField]).filter((x): x is string => typeof x === 'string'))];
    const rows = ids.length ? await usersByIds(ctx.pool, ids) : [];
    const by = new Map(rows.filter((r) => r).map((r) => [r!.user_id, r!]));
    return queries.map((q) => {
      const u = by.get(q.obj[idField]);
      return u ? { id: u.user_id, username: u.username, displayName: u.display_name, role: u.role.toUpperCase(), departmentId: u.department_id, teamId: u.team_id, disabled: u.disabled } : null;
    });
  };
}

/** A list of people per row (`agentIds`), one query per field per request. */
function usersLoader(idsField: string) {
  const one = userLoader('id');
  return async (queries: { obj: A }[], ctx: ApiContext) => {
    const ids = [...new Set(queries.flatMap((q) => (q.obj[idsField] as string[] | undefined) ?? []))];
    const users = await one(ids.map((id) => ({ obj: { id } })), ctx);
    const by = new Map(ids.map((id, i) => [id, users[i]]));
    return queries.map((q) => ((q.obj[idsField] as string[] | undefined) ?? []).map((id) => by.get(id)).filter((u) => u));
  };
}

const Dept = z.object({ department_id: z.string(), name: z.string(), parent_id: z.string().nullable() });

/** Departments referenced by `departmentId`, one query per field per request. */
function departmentLoader() {
  return async (queries: { obj: A }[], ctx: ApiContext) => {
    const ids = [...new Set(queries.map((q) => q.obj.departmentId).filter((x): x is string => typeof x === 'string'))];
    const rows = ids.length ? await ctx.pool.any(sql.type(Dept)`SELECT department_id, name, parent_id FROM api.departments WHERE department_id = ANY(${sql.array(ids, 'text')})`) : [];
    const by = new Map(rows.map((d) => [d.department_id, { id: d.department_id, name: d.name, parentId: d.parent_id }]));
    return queries.map((q) => by.get(q.obj.departmentId) ?? null);
  };
}

/**
 * The call an agent is on, for the wallboard's row (listen / whisper / barge need it). Same scope as the
 * `call` query; one read per distinct call in the page, not per field access.
 */
function currentCallLoader() {
  return async (queries: { obj: A }[], ctx: ApiContext) => {
    const read = ctx.readModels.call;
    const ids = [...new Set(queries.map((q) => q.obj.callId).filter((x): x is string => typeof x === 'string'))];
    if (!read || ids.length === 0) return queries.map(() => null);
    const scope = await scoped(ctx);
    const calls = new Map(await Promise.all(ids.map(async (id) => [id, await read(id, scope)] as const)));
    return queries.map((q) => (q.obj.callId ? (calls.get(q.obj.callId) ?? null) : null));
  };
}

export const readModelLoaders = {
  Campaign: { department: departmentLoader() },
  Queue: { department: departmentLoader(), agents: usersLoader('agentIds') },
  QueueMember: { agent: userLoader('agentId') },
  Lead: { owner: userLoader('ownerId'), department: departmentLoader() },
  Call: { agent: userLoader('agentId'), department: departmentLoader() },
  Order: { agent: userLoader('agentId'), approvedBy: userLoader('approvedById'), department: departmentLoader() },
  QaScore: { agent: userLoader('agentId'), reviewer: userLoader('reviewerId'), call: currentCallLoader() },
  Callback: { agent: userLoader('agentId') },
  AgentState: { agent: userLoader('agentId'), currentCall: currentCallLoader() },
  AgentRanking: { agent: userLoader('agentId') },
  DncEntry: { addedBy: userLoader('addedById') },
  Prompt: { uploadedBy: userLoader('uploadedById') },
  OwnershipSpan: { owner: userLoader('ownerId') },
};
