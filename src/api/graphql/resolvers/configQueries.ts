import type { IvrMenu } from '../../../domain/ivr/events.ts';
import type { CallingHours } from '../../../domain/campaign/events.ts';
import { DEFAULT_CALLBACK_HOURS, DEFAULT_QUEUE_PRIORITY } from '../../../domain/queue/decider.ts';
import type { QueueConfig } from '../../../domain/queue/events.ts';
import type { RecordedEvent } from '../../../eventstore/types.ts';
import { listQaScores, scoredCalls } from '../../../projections/readModels/qa/queries.ts';
import { keptCallbacks, type KeptCallbackState } from '../../../projections/readModels/keptCallbacks/queries.ts';
import { queueMembers } from '../../../projections/readModels/queues/queries.ts';
import { wallboard } from '../../../projections/readModels/wallboard/queries.ts';
import { departmentInScope } from '../../auth/principal.ts';
import { STATUS } from '../../floorReadModel.ts';
import type { ApiContext } from '../context.ts';
import { badInput } from '../errors.ts';

/** The domain's strategies as the schema names them (skills routing picks the longest idle among the skilled). */
const STRATEGY_OUT: Record<string, string> = {
  ring_all: 'RING_ALL', longest_idle: 'LONGEST_IDLE', round_robin: 'ROUND_ROBIN', fewest_calls: 'FEWEST_CALLS',
  random: 'RANDOM', sticky: 'STICKY_LAST_AGENT', least_talk_time: 'LEAST_TALK_TIME', skills: 'LONGEST_IDLE',
};
import { withAsOf } from './readModels.ts';

type A = Record<string, any>;
const BUSY = new Set(['talking', 'wrap_up', 'reserved', 'ringing', 'held']);

/** Every event of some types, in log order (the store indexes events by type, so this is not a log scan). */
async function eventsOfTypes(ctx: ApiContext, eventTypes: string[]): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for (let after = 0; ; ) {
    const page = await ctx.store.readAll({ after, maxCount: 2000, filter: { eventTypes } });
    if (!page.length) return out;
    out.push(...page);
    after = page[page.length - 1].position;
  }
}

function noAsOf(asOf: A | undefined) {
  if (asOf && (asOf.at != null || asOf.position != null)) throw badInput('队列不支持 asOf / queues are served as of now only');
}

/** Callback hours as the schema shows them (weekdays 0 = Sunday .. 6, as campaigns' windows). */
function callbackHoursOut(h: CallingHours): A {
  return { windows: h.windows.map((w) => ({ days: w.days.map((d) => (d === 7 ? 0 : d)), start: w.start, end: w.end })), timeZone: h.timeZone };
}

interface QueueDoc {
  id: string;
  name: string;
  departmentId: string;
  config: QueueConfig;
  position: number;
}

/**
 * Queues from their own events; live figures from the wallboard read model. Members: the agents (of the
 * caller's scope) whose skills meet the queue's requirements, with their live state; the available / busy
 * counts are of those members.
 */
async function queueList(ctx: ApiContext, only?: string): Promise<A[]> {
  const byId = new Map<string, QueueDoc>();
  for (const e of await eventsOfTypes(ctx, ['QueueCreated', 'QueueConfigured'])) {
    const d = e.data as A;
    if (only && d.queueId !== only) continue;
    if (e.type === 'QueueCreated') byId.set(d.queueId, { id: d.queueId, name: d.name, departmentId: d.departmentId, config: d.config, position: e.position });
    else {
      const q = byId.get(d.queueId);
      if (q) Object.assign(q, { config: d.config, position: e.position });
    }
  }
  const scope = await ctx.scope();
  const queues = [...byId.values()].filter((q) => departmentInScope(scope, q.departmentId));
  if (!queues.length) return [];
  const board = await wallboard(ctx.pool, { queueIds: queues.map((q) => q.id) });
  const agentIds = scope.all ? undefined : scope.userIds;
  const members = await Promise.all(queues.map((q) => queueMembers(ctx.pool, q.config.skills ?? [], { agentIds })));
  return queues.map((q, i) => {
    const live = board.queues.find((x) => x.queueId === q.id);
    const agentsAvailable = members[i].filter((a) => a.state === 'ready').length;
    const agentsBusy = members[i].filter((a) => BUSY.has(a.state)).length;
    return {
      id: q.id,
      name: q.name,
      // The schema has no SKILLS strategy: skills routing picks the longest-idle agent among the skilled ones.
      strategy: STRATEGY_OUT[q.config.strategy] ?? 'LONGEST_IDLE',
      maxWaitSeconds: q.config.maxWaitSeconds,
      overflow: q.config.overflow ? { afterSeconds: q.config.overflow.afterSeconds, kind: q.config.overflow.target.kind.toUpperCase(), targetId: q.config.overflow.target.kind === 'voicemail' ? null : q.config.overflow.target.id || null } : null,
      serviceLevel: q.config.serviceLevel ?? { percent: 80, withinSeconds: 20 },
      announceEverySeconds: q.config.announceEverySeconds ?? null,
      callbackHours: callbackHoursOut(q.config.callbackHours ?? DEFAULT_CALLBACK_HOURS),
      priority: q.config.priority ?? DEFAULT_QUEUE_PRIORITY,
      departmentId: q.departmentId,
      skills: q.config.skills ?? [],
      agentIds: members[i].map((a) => a.agentId),
      members: members[i].map((a) => ({
        agentId: a.agentId,
        skills: a.skills,
        status: STATUS[a.state] ?? 'PAUSED',
        pauseReason: a.state === 'not_ready' ? a.reason : null,
        since: a.since ?? null,
        extension: a.extension ?? null,
      })),
      position: q.position,
      state: {
        queueId: q.id,
        waiting: live?.waiting ?? 0,
        longestWaitSeconds: live?.longestWaitSeconds ?? 0,
        agentsAvailable,
        agentsBusy,
        answeredToday: live?.answered ?? 0,
        abandonedToday: live?.abandoned ?? 0,
        serviceLevel: live?.serviceLevel ?? null,
        position: q.position,
      },
    };
  });
}

/** The menu's root node as the schema's flat key -> target map. */
function options(menu: IvrMenu): A {
  const root = menu.nodes.find((n) => n.id === menu.rootNodeId) ?? menu.nodes[0];
  const out: A = {};
  for (const [key, t] of Object.entries(root?.choices ?? {})) out[key] = t.kind === 'hangup' ? { hangup: true } : { [t.kind === 'node' ? 'menu' : t.kind]: t.id };
  return out;
}

export const configQueryResolvers = {
  Query: {
    queues: async (_: unknown, a: { departmentId?: string; asOf?: A }, ctx: ApiContext) => {
      noAsOf(a.asOf);
      const all = await queueList(ctx);
      return a.departmentId ? all.filter((q) => q.departmentId === a.departmentId) : all;
    },
    queue: async (_: unknown, a: { id: string; asOf?: A }, ctx: ApiContext) => {
      noAsOf(a.asOf);
      return (await queueList(ctx, a.id))[0] ?? null;
    },
    /** Kept callbacks scoped in SQL by their queue's department, as the queues are. */
    keptCallbacks: async (_: unknown, a: { queueId?: string; state?: string }, ctx: ApiContext) => {
      const scope = await ctx.scope();
      const rows = await keptCallbacks(ctx.pool, {
        queueId: a.queueId ?? undefined,
        state: a.state ? (a.state.toLowerCase() as KeptCallbackState) : undefined,
        departmentIds: scope.all ? undefined : scope.departmentIds,
      });
      return rows.map((k) => ({ ...k, state: k.state.toUpperCase(), lastOutcome: k.lastOutcome?.toUpperCase() ?? null }));
    },
    /** Latest published version of each menu in the caller's departments; a removed menu is left out until it is published again. */
    ivrMenus: async (_: unknown, _a: unknown, ctx: ApiContext) => {
      const byId = new Map<string, A>();
      const names = new Map<string, string>();
      for (const e of await eventsOfTypes(ctx, ['IvrMenuPublished', 'IvrMenuRolledBack', 'IvrMenuRemoved'])) {
        const d = e.data as A;
        if (e.type === 'IvrMenuRemoved') {
          byId.delete(d.menuId);
          continue;
        }
        const root = (d.menu as IvrMenu).nodes.find((n) => n.id === d.menu.rootNodeId);
        const name = d.name ?? byId.get(d.menuId)?.name ?? names.get(d.menuId) ?? d.menuId;
        names.set(d.menuId, name);
        byId.set(d.menuId, { id: d.menuId, name, departmentId: d.departmentId ?? byId.get(d.menuId)?.departmentId ?? null, promptId: null, options: options(d.menu), timeoutSeconds: root?.timeoutSeconds ?? 5, position: e.position });
      }
      // A department's menus to its own people (sub-departments included); menus of no department to the whole-organisation roles.
      const scope = await ctx.scope();
      return [...byId.values()].filter((m) => departmentInScope(scope, m.departmentId)).sort((x, y) => String(x.name).localeCompare(String(y.name), 'zh'));
    },
    qaScores: (...args: Parameters<typeof qaScores>) => qaScores(...args),
    qaQueue: (...args: Parameters<typeof qaQueue>) => qaQueue(...args),
  },
};

/**
 * QA scores from the qaScores read model, newest evaluation first: the caller's people's scores and the ones
 * they gave, scoped and paged in SQL; `asOf` reads them as they were.
 */
export async function qaScores(_: unknown, a: { filter?: A; first?: number; after?: string; asOf?: A }, ctx: ApiContext) {
  const first = a.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > 200) throw badInput(`first must be 1..200, got ${first}`);
  const f = a.filter ?? {};
  if (f.campaignId) throw badInput('按活动筛选 QA 评分尚不支持 / filtering QA scores by campaign is not supported yet');
  const scope = await ctx.scope();
  // As of an instant or position: the same query on read models built as of then.
  const page = await withAsOf(ctx, a.asOf, (schema) => listQaScores(ctx.pool, {
    schema,
    first,
    after: a.after ?? undefined,
    agentId: f.agentId ?? undefined,
    reviewerId: f.reviewerId ?? undefined,
    from: f.from ?? undefined,
    to: f.to ?? undefined,
    fatal: f.fatal ?? undefined,
    agentIds: scope.all ? undefined : scope.userIds,
    viewer: ctx.principal!.userId,
  }));
  return { nodes: page.items, pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor ?? null, totalCount: page.totalCount } };
}

/**
 * Calls waiting for QA: recorded calls of the caller's scope not yet scored, newest first, at most three per
 * agent per page so one busy agent does not fill the reviewer's list.
 */
export async function qaQueue(_: unknown, a: { first?: number; after?: string }, ctx: ApiContext) {
  const first = a.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > 200) throw badInput(`first must be 1..200, got ${first}`);
  const calls = ctx.readModels.calls;
  if (!calls) throw badInput('通话记录未接入 / the calls read model is not wired into this server');
  const scope = await ctx.scope();
  const perAgent = new Map<string, number>();
  const nodes: A[] = [];
  let after = a.after ?? null;
  let hasNextPage = false;
  while (nodes.length < first) {
    const page = await calls({ filter: { hasRecording: true }, first: 200, after }, scope);
    const scored = await scoredCalls(ctx.pool, page.nodes.map((c) => String(c.id)));
    for (const c of page.nodes) {
      if (scored.has(String(c.id)) || nodes.length >= first) continue;
      const agent = String(c.agentId ?? '');
      if ((perAgent.get(agent) ?? 0) >= 3) continue;
      perAgent.set(agent, (perAgent.get(agent) ?? 0) + 1);
      nodes.push(c);
    }
    hasNextPage = page.pageInfo.hasNextPage;
    after = page.pageInfo.endCursor;
    if (!hasNextPage || !after) break;
  }
  return { nodes, pageInfo: { hasNextPage, endCursor: after } };
}
