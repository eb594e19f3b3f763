import type { Command } from '../decider.ts';
import type { InboundRoutes } from './events.ts';

/** basedOnVersion: the version the editor started from (0 for a new route set); a stale one is rejected, not merged. */
export type PublishInboundRoutes = Command<
  'PublishInboundRoutes',
  { routesId: string; basedOnVersion: number; routes: InboundRoutes; departmentId?: string }
>;

export type InboundRoutesCommand = PublishInboundRoutes;
