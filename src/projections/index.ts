import type { Registry } from 'prom-client';
import type { DatabasePool } from 'slonik';
import type { LivePubSub } from './live/pubsub.ts';
import { createProjectionMetrics } from './runtime/metrics.ts';
import { ProjectionRunner } from './runtime/runner.ts';
import type { EventStore } from '../eventstore/types.ts';
import { allProjections } from './readModels/index.ts';
import { buildAsOf as buildAsOfFor, dropAsOf, dropAsOfOlderThan, listAsOf, type AsOfResult } from './runtime/asOf.ts';
import { rebuildProjections, selectProjections, type RebuildOptions, type RebuildResult } from './runtime/rebuild.ts';

export { allProjections } from './readModels/index.ts';
export { ProjectionRunner, type RunnerOptions } from './runtime/runner.ts';
export { ProjectionMetrics, createProjectionMetrics } from './runtime/metrics.ts';
export { InProcessPubSub, type LivePubSub, type ChangeNotice, type TableChange } from './live/pubsub.ts';
export { PgPubSub, PROJECTION_CHANNEL } from './live/pgPubSub.ts';
export { rebuildProgressBar } from './progressBar.ts';
export { dropAsOf, listAsOf, dropAsOfOlderThan };
export type { Projection, ProjectionContext } from './runtime/types.ts';
export type { RebuildProgress, RebuildResult } from './runtime/rebuild.ts';

export interface ProjectionDeps {
  pool: DatabasePool;
  store: EventStore;
}

/**
 * Rebuilds one read model (by name) or all of them from position 0 into shadow tables and swaps them in;
 * the live tables keep serving meanwhile. For the CLI: `rebuild('all', { pool, store, ...rebuildProgressBar() })`.
 */
export function rebuild(target: string | string[] | 'all', opts: ProjectionDeps & RebuildOptions): Promise<RebuildResult> {
  return rebuildProjections(opts.pool, opts.store, selectProjections(allProjections, target), opts);
}

/**
 * Builds read models as they were at a global position or an instant into a temporary schema and returns
 * its name; pass it as `schema` to any query function, and `dropAsOf` it afterwards.
 */
export function buildAsOf(
  req: ProjectionDeps & { projection?: string | string[] | 'all'; position?: number; instant?: string; by?: 'recordedAt' | 'occurredAt' },
): Promise<AsOfResult> {
  const projections = selectProjections(allProjections, req.projection ?? 'all');
  return buildAsOfFor(req.pool, req.store, { projections, position: req.position, instant: req.instant, by: req.by });
}

/**
 * Starts the runner for every read model (creating or rebuilding tables as needed) with metrics in the given
 * registry and notices on the given pub/sub. Stop it with `runner.stop()`.
 */
export async function startProjections(
  deps: ProjectionDeps & { pubsub?: LivePubSub; registry?: Registry; onError?: (e: unknown) => void; batchSize?: number },
): Promise<ProjectionRunner> {
  const runner = new ProjectionRunner({
    pool: deps.pool,
    store: deps.store,
    projections: allProjections,
    pubsub: deps.pubsub,
    metrics: deps.registry ? createProjectionMetrics(deps.registry) : undefined,
    onError: deps.onError,
    batchSize: deps.batchSize,
  });
  await runner.start();
  return runner;
}
