import { sql } from 'slonik';
import { z } from 'zod';
import type { RecordedEvent } from '../../../eventstore/types.ts';
import { departmentInScope, inScope, type Scope } from '../../auth/principal.ts';
import { departmentSubtree } from '../../auth/scope.ts';
import type { ApiContext } from '../context.ts';
import { eventFeed } from '../feed.ts';
import { importVisibility } from './imports.ts';
import { foldWallboard, SharedWallboard, WALLBOARD_EVENTS, WallboardFold, type BoardView } from '../wallboard.ts';
import { badInput, forbidden, notFound } from '../errors.ts';

const ref = (e: RecordedEvent) => ({
  id: e.id,
  streamId: e.streamId,
  revision: e.revision,
  position: e.position,
  type: e.type,
});
const at = (e: RecordedEvent) => (e.data as any).at ?? e.recordedAt;
const data = (e: RecordedEvent) => e.data as Record<string, any>;

/** The agent of a call: remembered from this feed's own events, else the API read model. */
function callAgents(ctx: ApiContext) {
  const known = new Map<string, string>();
  return {
    learn(e: RecordedEvent) {
      const d = data(e);
      const agentId = e.type === 'CallOffered' ? d.winner : d.agentId;
      if (d.callId && agentId && ['CallDialAttempted', 'CallBridged', 'CallOffered'].includes(e.type))
        known.set(d.callId, agentId);
    },
    // Looked up once per call (misses too): a call that starts inside the feed is learnt from its own
    // dial/offer/bridge events, which come before the rest of its events.
    async of(callId: string): Promise<string | undefined> {
      if (!known.has(callId)) {
        const a = await ctx.pool.maybeOneFirst(
          sql.type(z.object({ agent_id: z.string() }))`SELECT agent_id FROM api.call_agents WHERE call_id = ${callId}`,
        );
        known.set(callId, a ?? '');
      }
      return known.get(callId) || undefined;
    },
  };
}

/** A queue or campaign belongs to the department it was created in: refused outside the caller's departments. */
async function requireOwnerInScope(ctx: ApiContext, kind: 'queue' | 'campaign', id: string): Promise<void> {
  const created = (await ctx.store.readStream(`${kind}-${id}`, { maxCount: 50 })).find(
    (e) => e.type === (kind === 'queue' ? 'QueueCreated' : 'CampaignCreated'),
  );
  if (!created) throw notFound(`${kind} ${id}`);
  if (!departmentInScope(await ctx.scope(), data(created).departmentId)) throw forbidden(`${kind} ${id}`);
}

const users = sql.type(z.object({ user_id: z.string() }));

/**
 * What a live feed narrowed to a department (with those under it) or a team shows: its people and its
 * departments, inside the caller's scope. Undefined when not narrowed; a department or team the caller
 * may not see in full is refused rather than shown in part.
 */
async function narrowing(ctx: ApiContext, scope: Scope, a: { departmentId?: string | null; teamId?: string | null }) {
  if (a.departmentId) {
    if (!departmentInScope(scope, a.departmentId)) throw forbidden(`department ${a.departmentId}`);
    const departmentIds = await departmentSubtree(ctx.pool, a.departmentId);
    const agentIds = await ctx.pool.anyFirst(
      users`SELECT user_id FROM api.users WHERE department_id = ANY(${sql.array(departmentIds, 'text')})`,
    );
    return { agentIds: new Set(agentIds), departmentIds };
  }
  if (a.teamId) {
    const team = await ctx.pool.maybeOne(
      sql.type(
        z.object({ department_id: z.string(), leader_id: z.string().nullable() }),
      )`SELECT department_id, leader_id FROM api.teams WHERE team_id = ${a.teamId}`,
    );
    if (!team) throw notFound(`team ${a.teamId}`);
    const agentIds = await ctx.pool.anyFirst(users`SELECT user_id FROM api.users WHERE team_id = ${a.teamId}`);
    const mine = departmentInScope(scope, team.department_id) || team.leader_id === ctx.principal!.userId;
    if (!mine || !agentIds.every((id) => inScope(scope, id))) throw forbidden(`team ${a.teamId}`);
    return { agentIds: new Set(agentIds), departmentIds: [team.department_id] };
  }
  return undefined;
}

/** A caller's board: the agents of their scope and the departments they see, narrowed if they asked. */
function boardView(scope: Scope, only?: { agentIds: Set<string>; departmentIds: string[] }): BoardView {
  return {
    agent: (agentId) => inScope(scope, agentId) && (!only || only.agentIds.has(agentId)),
    department: (departmentId) =>
      departmentInScope(scope, departmentId) &&
      (!only || (!!departmentId && only.departmentIds.includes(departmentId))),
  };
}

const AGENT_EVENTS = [
  'AgentLoggedIn',
  'AgentLoggedOut',
  'AgentReady',
  'AgentNotReady',
  'CallBridged',
  'CallHeld',
  'CallResumed',
  'CallEnded',
  'CallDialAttempted',
  'CallOffered',
];

export const liveResolvers = {
  Query: {
    // The board now (or as of a position / instant), so the page has day totals before the first live update.
    wallboard: async (
      _: unknown,
      a: { asOf?: { at?: string | null; position?: number | null } | null; departmentId?: string | null },
      ctx: ApiContext,
    ) => {
      const p = ctx.principal!;
      if (p.role === 'agent') throw forbidden('the wallboard');
      const asOf = a.asOf ?? {};
      if (asOf.at != null && asOf.position != null)
        throw badInput('请只给出 asOf.at 或 asOf.position 之一 / give asOf.at or asOf.position, not both');
      const scope = await ctx.scope();
      // One department's board (within the caller's scope), as the subscription narrows it.
      const view = boardView(scope, a.departmentId ? await narrowing(ctx, scope, { departmentId: a.departmentId }) : undefined);
      // Now: the server's shared live fold. A past board: folded exactly from the start of the log.
      if (asOf.at == null && asOf.position == null)
        return { ...(await SharedWallboard.of(ctx.store).board(view)), cause: null };
      const fold = new WallboardFold();
      if (asOf.at != null) {
        await foldWallboard(ctx.store, fold, { at: asOf.at });
        return { ...fold.snapshot(view, Date.parse(asOf.at)), cause: null };
      }
      await foldWallboard(ctx.store, fold, { position: asOf.position! });
      return { ...fold.snapshot(view), cause: null };
    },
  },
  Subscription: {
    events: {
      subscribe: async (
        _: unknown,
        a: { afterPosition?: number; streamPrefix?: string; eventTypes?: string[] },
        ctx: ApiContext,
      ) => {
        if (!['admin', 'auditor'].includes(ctx.principal!.role)) throw forbidden('the raw event feed');
        return eventFeed(ctx.store, {
          after: a.afterPosition ?? undefined,
          filter: { streamPrefix: a.streamPrefix ?? undefined, eventTypes: a.eventTypes ?? undefined },
          field: 'events',
          select: (e) => ({ position: e.position, event: e }),
        });
      },
    },

    wallboard: {
      subscribe: async (_: unknown, a: { afterPosition?: number; departmentId?: string }, ctx: ApiContext) => {
        const p = ctx.principal!;
        if (p.role === 'agent') throw forbidden('the wallboard');
        const scope = await ctx.scope();
        const view = boardView(scope, await narrowing(ctx, scope, { departmentId: a.departmentId }));
        // Resuming from a position: the board as it was there, folded exactly. Starting now: a copy of the
        // server's shared fold at its position. Either way, changes stream from that position on.
        let fold: WallboardFold;
        let after: number;
        if (a.afterPosition != null) {
          fold = new WallboardFold();
          after = a.afterPosition;
          await foldWallboard(ctx.store, fold, { position: after });
        } else ({ fold, position: after } = await SharedWallboard.of(ctx.store).copy());
        return eventFeed(ctx.store, {
          after,
          filter: { eventTypes: WALLBOARD_EVENTS },
          field: 'wallboard',
          select: (e) => {
            fold.apply(e);
            return { ...fold.snapshot(view), cause: ref(e) };
          },
        });
      },
    },

    agentStates: {
      subscribe: async (
        _: unknown,
        a: { afterPosition?: number; teamId?: string; departmentId?: string },
        ctx: ApiContext,
      ) => {
        const scope = await ctx.scope();
        const only = await narrowing(ctx, scope, a);
        const calls = callAgents(ctx);
        const fold = new WallboardFold();
        return eventFeed(ctx.store, {
          after: a.afterPosition ?? undefined,
          filter: { eventTypes: AGENT_EVENTS },
          field: 'agentStates',
          select: async (e) => {
            calls.learn(e);
            const d = data(e);
            const agentId = d.agentId ?? (d.callId ? await calls.of(d.callId) : undefined);
            if (!agentId || !inScope(scope, agentId) || (only && !only.agentIds.has(agentId))) return null;
            if (e.type === 'CallDialAttempted' || e.type === 'CallOffered') return null;
            fold.apply({ ...e, data: { ...d, agentId } });
            const s = fold.agents.get(agentId);
            if (!s) return null;
            return {
              position: e.position,
              at: at(e),
              agentId,
              status: s.status,
              pauseReason: s.pauseReason ?? null,
              callId: s.callId ?? d.callId ?? null,
              eventType: e.type,
            };
          },
        });
      },
    },

    myCalls: {
      subscribe: async (_: unknown, a: { afterPosition?: number }, ctx: ApiContext) => {
        const me = ctx.principal!.userId;
        const calls = callAgents(ctx);
        return eventFeed(ctx.store, {
          after: a.afterPosition ?? undefined,
          filter: { streamPrefix: 'call-' },
          field: 'myCalls',
          select: async (e) => {
            calls.learn(e);
            const d = data(e);
            if (!d.callId || (await calls.of(d.callId)) !== me) return null;
            return {
              position: e.position,
              at: at(e),
              callId: d.callId,
              eventType: e.type,
              phone: d.phone ?? null,
              leadId: d.leadId ?? d.phone ?? null,
              campaignId: d.campaignId ?? null,
              data: d,
            };
          },
        });
      },
    },

    myCallbacks: {
      subscribe: async (_: unknown, a: { afterPosition?: number }, ctx: ApiContext) => {
        const me = ctx.principal!.userId;
        const owners = new Map<string, string>();
        return eventFeed(ctx.store, {
          after: a.afterPosition ?? undefined,
          filter: {
            eventTypes: ['LeadCallbackScheduled', 'LeadCallbackDone', 'LeadCallbackMissed', 'LeadCallbackCancelled'],
          },
          field: 'myCallbacks',
          select: async (e) => {
            const d = data(e);
            if (e.type === 'LeadCallbackScheduled') owners.set(d.callbackId, d.owner);
            else if (!owners.has(d.callbackId)) {
              // Scheduled before this feed started: the lead's own stream says whose it is.
              const sched = (await ctx.store.readStream(e.streamId)).find(
                (x) => x.type === 'LeadCallbackScheduled' && data(x).callbackId === d.callbackId,
              );
              if (sched) owners.set(d.callbackId, data(sched).owner);
            }
            if (owners.get(d.callbackId) !== me) return null;
            return {
              position: e.position,
              at: at(e),
              callbackId: d.callbackId,
              leadId: d.phone ?? null,
              eventType: e.type,
              dueAt: d.dueAt ?? null,
              data: d,
            };
          },
        });
      },
    },

    queueState: {
      subscribe: async (_: unknown, a: { queueId: string; afterPosition?: number }, ctx: ApiContext) => {
        await requireOwnerInScope(ctx, 'queue', a.queueId);
        const inQueue = new Set<string>();
        return eventFeed(ctx.store, {
          after: a.afterPosition ?? undefined,
          filter: { streamPrefix: ['call-', 'queue-'] },
          field: 'queueState',
          select: (e) => {
            const d = data(e);
            if (e.streamId === `queue-${a.queueId}`)
              return {
                position: e.position,
                at: at(e),
                queueId: a.queueId,
                eventType: e.type,
                callId: d.callId ?? null,
                data: d,
              };
            if (d.queueId === a.queueId && d.callId) inQueue.add(d.callId);
            if (!d.callId || !inQueue.has(d.callId)) return null;
            if (['CallBridged', 'CallEnded', 'CallAbandoned'].includes(e.type)) inQueue.delete(d.callId);
            return {
              position: e.position,
              at: at(e),
              queueId: a.queueId,
              eventType: e.type,
              callId: d.callId,
              data: d,
            };
          },
        });
      },
    },

    campaignProgress: {
      subscribe: async (_: unknown, a: { campaignId: string; afterPosition?: number }, ctx: ApiContext) => {
        if (ctx.principal!.role === 'agent') throw forbidden('campaign progress');
        await requireOwnerInScope(ctx, 'campaign', a.campaignId);
        return eventFeed(ctx.store, {
          after: a.afterPosition ?? undefined,
          field: 'campaignProgress',
          select: (e) => {
            const d = data(e);
            if (e.streamId !== `campaign-${a.campaignId}` && d.campaignId !== a.campaignId) return null;
            return { position: e.position, at: at(e), campaignId: a.campaignId, eventType: e.type, data: d };
          },
        });
      },
    },

    importProgress: {
      subscribe: async (_: unknown, a: { importId?: string; afterPosition?: number }, ctx: ApiContext) => {
        const maySee = await importVisibility(ctx, a.importId); // the caller's departments only, as importJob
        // Asked for one import without a position: from its start, so a client subscribing just after the
        // upload answered misses none of it (a small file may be done by then).
        let after = a.afterPosition ?? undefined;
        if (after === undefined && a.importId) {
          const started = await ctx.pool.maybeOneFirst(
            sql.type(
              z.object({ p: z.coerce.number() }),
            )`SELECT started_position AS p FROM api.import_jobs WHERE import_id = ${a.importId}`,
          );
          if (started !== null) after = Number(started) - 1;
        }
        return eventFeed(ctx.store, {
          after,
          filter: { streamPrefix: 'import-' },
          field: 'importProgress',
          select: async (e) => {
            const d = data(e);
            const importId = d.importId ?? d.batchId ?? e.streamId.slice('import-'.length);
            if (a.importId && importId !== a.importId) return null;
            if (!(await maySee(importId, e))) return null;
            return {
              position: e.position,
              at: at(e),
              importId,
              eventType: e.type,
              rowsRead: d.rowsRead ?? null,
              imported: d.imported ?? null,
              duplicates: d.duplicates ?? null,
              rejected: Array.isArray(d.rejected) ? d.rejected.length : (d.rejected ?? null),
              done: /Completed|Finished|Failed/.test(e.type),
              data: d,
            };
          },
        });
      },
    },
  },
};
