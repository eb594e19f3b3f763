import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { EventStore } from '../eventstore/types.ts';
import { buildAsOf, dropAsOf } from '../projections/index.ts';
import { getCall, searchCalls } from '../projections/readModels/callDetail/queries.ts';
import { agentRanking, type RankBy } from '../projections/readModels/agentPerformance/queries.ts';
import { campaignProgress, listCampaigns } from '../projections/readModels/campaignProgress/queries.ts';
import { listDoNotCall } from '../projections/readModels/doNotCall/queries.ts';
import { getOrder, listOrders, type OrderView } from '../projections/readModels/orders/queries.ts';
import { departmentInScope, inScope, type Scope } from './auth/principal.ts';
import { departmentSubtree } from './auth/scope.ts';
import { customer360, leadFor } from './customerReadModel.ts';
import { agentStates, callbacks } from './floorReadModel.ts';
import { listLeads } from './leadsReadModel.ts';
import type { Page, ReadModels } from './readModels.ts';
import { callOut, campaignOut, orderOut } from './readModelShapes.ts';

type A = Record<string, any>;
const lower = (v?: string) => (v ? String(v).toLowerCase() : undefined);
const RANK_BY: Record<string, RankBy> = { ORDERS: 'orders', ORDERS_AMOUNT: 'revenueFen', CONNECTS: 'contacts', TALK_SECONDS: 'talkMs', CONVERSION_RATE: 'conversion', QA_SCORE: 'qaAverage' };

/**
 * Scope on top of queries that filter by agent: the caller's people go into the query itself (`agentIds`),
 * so a page holds `first` rows whenever more exist; filtering a fetched page instead returns short or empty
 * pages and a client stops early. An agent filter outside the scope returns nothing.
 */
async function scopedPage<T, O>(scope: Scope, agentFilter: string | undefined, fetch: (agentIds?: string[]) => Promise<{ items: T[]; endCursor?: string; hasNextPage: boolean }>, out: (t: T) => O): Promise<Page<O>> {
  if (agentFilter && !inScope(scope, agentFilter)) return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
  const page = await fetch(scope.all ? undefined : scope.userIds);
  return { nodes: page.items.map(out), pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor ?? null } };
}

async function usersOfDepartment(pool: DatabasePool, departmentId: string): Promise<Set<string>> {
  const departments = await departmentSubtree(pool, departmentId);
  return new Set(await pool.anyFirst(sql.type(z.object({ user_id: z.string() }))`SELECT user_id FROM api.users WHERE department_id = ANY(${sql.array(departments, 'text')})`));
}

/** The ReadModels port served from src/projections (for src/main.ts). */
export function projectionReadModels(pool: DatabasePool, store: EventStore): ReadModels {
  return {
    customer: (phone, scope, schema) => customer360(pool, phone, scope, schema),
    lead: (phone, scope, schema) => leadFor(pool, phone, scope, schema),
    leads: (a, scope) => listLeads(pool, a, scope),
    agentStates: (a, scope) => agentStates(pool, a, scope),
    callbacks: (a, scope, viewer) => callbacks(pool, a, scope, viewer ?? ''),
    calls: (a, scope) => {
      const f: A = a.filter ?? {};
      return scopedPage(
        scope,
        f.agentId,
        (agentIds) =>
          searchCalls(pool, { first: a.first, after: a.after ?? undefined, schema: a.schema, from: f.from, to: f.to, phone: f.phone, agentId: f.agentId, agentIds, campaignId: f.campaignId, queueId: f.queueId, disposition: f.disposition, direction: lower(f.direction) as any, hasRecording: f.hasRecording ?? undefined }),
        (c) => callOut(c),
      );
    },
    call: async (id, scope, schema) => {
      const c = await getCall(pool, id, { schema });
      return c && (inScope(scope, c.agentId) || c.agents.some((x) => inScope(scope, x))) ? callOut(c) : null;
    },
    orders: async (a, scope) => {
      const f: A = a.filter ?? {};
      if (f.orderId) {
        const o = await getOrder(pool, f.orderId, { schema: a.schema });
        return { nodes: o && inScope(scope, o.agentId) ? [orderOut(o)] : [], pageInfo: { hasNextPage: false, endCursor: null } };
      }
      const views = (f.status as string[] | undefined)?.map((x) => x.toLowerCase() as OrderView);
      // A department (with its sub-departments) narrows to its people, inside the caller's scope, in the query.
      const people = f.departmentId ? await usersOfDepartment(pool, f.departmentId) : undefined;
      const narrow = (ids?: string[]) => (people ? (ids ? ids.filter((id) => people.has(id)) : [...people]) : ids);
      return scopedPage(scope, f.agentId, (agentIds) => listOrders(pool, { first: a.first, after: a.after ?? undefined, schema: a.schema, agentId: f.agentId, agentIds: narrow(agentIds), campaignId: f.campaignId, phone: f.leadId, from: f.from, to: f.to, views }), orderOut);
    },
    dnc: async (a) => {
      const page = await listDoNotCall(pool, { first: a.first, after: a.after ?? undefined, schema: a.schema });
      return {
        nodes: page.items.map((d) => ({ phone: d.phone, scope: 'GLOBAL', reason: d.reason, source: d.source, addedById: d.by, addedAt: d.at })),
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor ?? null },
      };
    },
    // Campaigns belong to departments: agents see their department's, supervisors their subtree's.
    campaigns: async (a, scope) => {
      const f: A = a.filter ?? {};
      const statuses = (f.status as string[] | undefined)?.map((x) => x.toLowerCase());
      // The whole (small) list is read and scoped before paging, by id, so every page is full and the cursor holds.
      const after = a.after ? Buffer.from(a.after, 'base64url').toString() : '';
      const matching = (await listCampaigns(pool, { schema: a.schema, departmentId: f.departmentId }))
        .filter((c) => departmentInScope(scope, c.departmentId) && (!statuses?.length || statuses.includes(c.status)) && (!f.search || (c.name ?? '').includes(f.search)))
        .sort((x, y) => (x.campaignId < y.campaignId ? -1 : x.campaignId > y.campaignId ? 1 : 0));
      const rest = matching.filter((c) => c.campaignId > after);
      const docs = rest.slice(0, a.first);
      const nodes = [];
      for (const c of docs) nodes.push(campaignOut(c, await campaignProgress(pool, c.campaignId, { schema: a.schema })));
      const more = rest.length > docs.length;
      return { nodes, pageInfo: { hasNextPage: more, endCursor: more ? Buffer.from(docs.at(-1)!.campaignId).toString('base64url') : null, totalCount: matching.length } };
    },
    campaign: async (id, scope, schema) => {
      const p = await campaignProgress(pool, id, { schema });
      return p.campaign && departmentInScope(scope, p.campaign.departmentId) ? campaignOut(p.campaign, p) : null;
    },
    // Ranked within what the caller may see: a team leader's 1st is the best of the team.
    agentRanking: async (a, scope) => {
      const rows = await agentRanking(pool, { from: String(a.from), to: String(a.to), rankBy: RANK_BY[String(a.metric ?? 'ORDERS')] ?? 'orders', teamId: (a.teamId as string) ?? undefined, departmentId: (a.departmentId as string) ?? undefined });
      return rows
        .filter((r) => inScope(scope, r.agentId))
        .slice(0, Number(a.first ?? 50))
        .map((r, i) => ({ agentId: r.agentId, rank: i + 1, calls: r.calls, connects: r.contacts, talkSeconds: Math.round(r.talkMs / 1000), orders: r.orders, ordersAmount: r.revenueFen, conversionRate: r.conversion ?? 0, averageQaScore: r.qaAverage }));
    },
    asOf: async (at) => {
      const built = await buildAsOf({ pool, store, position: at.position, instant: at.instant });
      return { schema: built.schema, release: () => dropAsOf(pool, built.schema) };
    },
  };
}
