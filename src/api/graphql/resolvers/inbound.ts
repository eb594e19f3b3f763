import { routesVersion } from '../../../acd/inboundRouting.ts';
import { inboundRoutesDecider } from '../../../domain/inbound/decider.ts';
import type { InboundRoutes, InboundRoutesPublished, RouteDestination } from '../../../domain/inbound/events.ts';
import { departmentInScope } from '../../auth/principal.ts';
import type { ApiContext } from '../context.ts';
import { run } from '../run.ts';

type Route = { destination: RouteDestination };
interface RoutesInput extends Omit<InboundRoutes, 'byDid'> {
  byDid: (Route & { did: string })[];
}

/** GraphQL lists to the domain's shape: byDid is a map there (one destination per number). */
function toRoutes(i: RoutesInput): InboundRoutes {
  const byDid: Record<string, RouteDestination> = {};
  for (const r of i.byDid ?? []) byDid[r.did] = r.destination;
  const { agentWaitSeconds, agentWaitOffer, ...rest } = i;
  // GraphQL sends null for an omitted Int: leave the field out (the default applies).
  const offer = agentWaitOffer && Object.fromEntries(Object.entries(agentWaitOffer).filter(([, v]) => v != null));
  return { ...rest, byDid, ...(agentWaitSeconds != null ? { agentWaitSeconds } : {}), ...(offer ? { agentWaitOffer: offer } : {}) };
}

function toGraph(d: InboundRoutesPublished['data']) {
  return {
    ...d.routes,
    id: d.routesId,
    version: d.version,
    versionTag: routesVersion(d.routesId, d.version),
    departmentId: d.departmentId ?? null,
    publishedBy: d.publishedBy ?? null,
    publishedAt: d.at,
    byDid: Object.entries(d.routes.byDid).map(([did, destination]) => ({ did, destination })),
  };
}

export const inboundResolvers = {
  Query: {
    // Folded from the log on each request: route sets are few and edited rarely.
    async inboundRoutes(_: unknown, a: { id?: string }, ctx: ApiContext) {
      const latest = new Map<string, InboundRoutesPublished['data']>();
      for (let after = 0; ; ) {
        const batch = await ctx.store.readAll({ after, maxCount: 2000, filter: { eventTypes: ['InboundRoutesPublished'] } });
        for (const e of batch) {
          const d = e.data as InboundRoutesPublished['data'];
          latest.set(d.routesId, d);
        }
        if (batch.length < 2000) break;
        after = batch[batch.length - 1].position;
      }
      const scope = await ctx.scope();
      return [...latest.values()]
        .filter((d) => (a.id == null || d.routesId === a.id) && departmentInScope(scope, d.departmentId))
        .sort((x, y) => x.routesId.localeCompare(y.routesId))
        .map(toGraph);
    },
  },
  Mutation: {
    publishInboundRoutes(_: unknown, a: { id: string; basedOnVersion: number; input: RoutesInput; departmentId?: string; commandId?: string }, ctx: ApiContext) {
      const data = { routesId: a.id, basedOnVersion: a.basedOnVersion, routes: toRoutes(a.input), ...(a.departmentId ? { departmentId: a.departmentId } : {}) };
      return run(ctx, inboundRoutesDecider, a.id, 'PublishInboundRoutes', data, a.commandId);
    },
  },
};
