import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMetrics, opsRoutes } from '../../src/api/routes/ops.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { InProcessPubSub } from '../../src/projections/live/pubsub.ts';
import { createProjectionMetrics } from '../../src/projections/runtime/metrics.ts';
import { ProjectionRunner } from '../../src/projections/runtime/runner.ts';
import { createTestDatabase } from '../support/db.ts';
import { tallyProjection } from './fixtures/tally.ts';

const value = (text: string, metric: string) => {
  const m = text.match(new RegExp(`^${metric}\\{projection="tally"\\} ([0-9.e+-]+)$`, 'm'));
  return m ? Number(m[1]) : undefined;
};

// Lag and throughput are read where operators read them: the API's /metrics (the same registry the ops route serves).
describe('projection lag and throughput on /metrics', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  const app = Fastify();
  const metrics = createMetrics();
  beforeAll(async () => {
    db = await createTestDatabase('proj_metrics');
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 50 });
    await opsRoutes(app, { metrics, isReady: () => true });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    await db.close();
  });
  const scrape = async () => (await app.inject({ method: 'GET', url: '/metrics' })).body;

  it('while a runner catches up it shows how far behind it is; once caught up, lag 0 and every event counted', async () => {
    for (let i = 0; i < 40; i++) await store.append(`tick-${i % 4}`, [{ type: 'Tick', data: { n: i } }]);
    const head = await store.headPosition();
    const pubsub = new InProcessPubSub();
    const seen: { position: number; lagEvents?: number; lagSeconds?: number }[] = [];
    const runner = new ProjectionRunner({ pool: db.pool, store, projections: [tallyProjection()], pubsub, batchSize: 10, metrics: createProjectionMetrics(metrics.registry) });
    // Scrape after each committed batch (notices follow the metrics of their batch).
    const scrapes: Promise<void>[] = [];
    pubsub.subscribe((n) => {
      scrapes.push(scrape().then((text) => void seen.push({ position: n.position, lagEvents: value(text, 'callstream_projection_lag_events'), lagSeconds: value(text, 'callstream_projection_lag_seconds') })));
    });
    await runner.start();
    await runner.waitFor(head);
    await Promise.all(scrapes);
    // The subscription reports it is caught up right after its last batch: then both lags read 0.
    await vi.waitFor(async () => expect(value(await scrape(), 'callstream_projection_lag_seconds')).toBe(0), { timeout: 5000 });
    await runner.stop();
    const first = seen[0];
    expect(first.position).toBeLessThan(head);
    expect(first.lagEvents).toBe(head - first.position);
    expect(first.lagSeconds).toBeGreaterThanOrEqual(0);
    expect(first.lagSeconds).toBeLessThan(60);
    const text = await scrape();
    expect(value(text, 'callstream_projection_events_total')).toBe(40);
    expect(value(text, 'callstream_projection_position')).toBe(head);
    expect(value(text, 'callstream_projection_lag_events')).toBe(0);
    expect(value(text, 'callstream_projection_lag_seconds')).toBe(0);
    expect(text).toMatch(/^callstream_projection_batch_seconds_count\{projection="tally"\} [1-9]/m);
  });
});
