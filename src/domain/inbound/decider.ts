import type { Decider, Decision } from '../decider.ts';
import { isNonEmpty, reject } from '../rules.ts';
import type { InboundRoutesCommand } from './commands.ts';
import type { InboundRoutes, InboundRoutesEvent } from './events.ts';
import { INBOUND_ROUTES_CATEGORY } from './streams.ts';
import { checkRoutes } from './validate.ts';

export interface InboundRoutesState {
  routesId?: string;
  version: number;
  routes?: InboundRoutes;
  /** Fixed by the first publication: supervisors of this department read the routes. */
  departmentId?: string;
}

const initialState = (): InboundRoutesState => ({ version: 0 });

function evolve(s: InboundRoutesState, e: InboundRoutesEvent): InboundRoutesState {
  if (e.type !== 'InboundRoutesPublished') return s;
  return { routesId: e.data.routesId, version: e.data.version, routes: e.data.routes, departmentId: s.departmentId ?? e.data.departmentId };
}

function decide(c: InboundRoutesCommand, s: InboundRoutesState): Decision<InboundRoutesEvent> {
  const d = c.data;
  if (!isNonEmpty(d.routesId)) return reject('ROUTES_ID_REQUIRED', '请填写路由编号 / a route set has an id');
  if (d.basedOnVersion !== s.version) {
    return reject('ROUTES_VERSION_STALE', `您编辑的是第 ${d.basedOnVersion} 版，当前已是第 ${s.version} 版 / you edited version ${d.basedOnVersion}, but version ${s.version} is live; reload and edit again`, { current: s.version });
  }
  const bad = checkRoutes(d.routes);
  if (bad) return bad;
  return [
    {
      type: 'InboundRoutesPublished',
      data: { routesId: d.routesId, at: c.meta.now, version: s.version + 1, routes: d.routes, publishedBy: c.meta.actorId, departmentId: s.departmentId ?? d.departmentId },
    },
  ];
}

export const inboundRoutesDecider: Decider<InboundRoutesCommand, InboundRoutesEvent, InboundRoutesState> = {
  category: INBOUND_ROUTES_CATEGORY,
  initialState,
  evolve,
  decide,
};
