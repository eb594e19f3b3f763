import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'slonik';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { InProcessPubSub } from '../../src/projections/live/pubsub.ts';
import type { ChangeNotice } from '../../src/projections/runtime/types.ts';
import { ProjectionRunner } from '../../src/projections/runtime/runner.ts';
import { createProjectionMetrics } from '../../src/projections/runtime/metrics.ts';
import { rebuildProjections } from '../../src/projections/runtime/rebuild.ts';
import { buildAsOf, dropAsOf } from '../../src/projections/runtime/asOf.ts';
import { createTestDatabase } from '../support/db.ts';
import { tallyProjection } from './fixtures/tally.ts';

type Db = Awaited<ReturnType<typeof createTestDatabase>>;

async function appendTicks(store: PostgresEventStore, streams: number, perStream: number): Promise<Map<string, number>> {
  const expected = new Map<string, number>();
  for (let r = 0; r < perStream; r++) {
    for (let s = 0; s < streams; s++) {
      await store.append(`tick-${s}`, [{ type: 'Tick', data: { n: r } }]);
      expected.set(`tick-${s}`, (expected.get(`tick-${s}`) ?? 0) + 1);
    }
  }
  return expected;
}

async function tallies(db: Db, schema = 'rm'): Promise<Map<string, number>> {
  const rows = await db.pool.any(sql.unsafe`SELECT key, (doc->>'count')::int AS count FROM ${sql.identifier([schema, 'tally'])}`);
  return new Map(rows.map((r: any) => [r.key, r.count]));
}

async function checkpoint(db: Db) {
  return db.pool.maybeOne(sql.unsafe`SELECT version, position FROM projection_checkpoints WHERE name = 'tally'`) as Promise<{ version: number; position: number } | null>;
}

describe('projection runner', () => {
  let db: Db;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await createTestDatabase('proj_runtime');
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 100 });
  });
  afterAll(async () => {
    await store.close();
    await db.close();
  });

  it('applies every event once, stores the checkpoint with the rows, publishes notices in position order', async () => {
    const expected = await appendTicks(store, 5, 20);
    const pubsub = new InProcessPubSub();
    const seen: ChangeNotice[] = [];
    pubsub.subscribe((n) => seen.push(n));
    const registry = new Registry();
    const runner = new ProjectionRunner({ pool: db.pool, store, projections: [tallyProjection()], pubsub, batchSize: 7, metrics: createProjectionMetrics(registry) });
    await runner.start();
    const head = await store.headPosition();
    await runner.waitFor(head);
    // live: more events after the catch-up
    await store.append('tick-new', [{ type: 'Tick', data: {} }]);
    expected.set('tick-new', 1);
    await runner.waitFor(head + 1);
    await runner.stop();
    expect(await tallies(db)).toEqual(expected);
    expect(await checkpoint(db)).toEqual({ version: 1, position: head + 1 });
    const positions = seen.map((n) => n.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(positions.at(-1)).toBe(head + 1);
    expect(seen.at(-1)!.changes).toEqual([{ table: 'tally', keys: ['tick-new'] }]);
    expect(pubsub.since(head)).toEqual([seen.at(-1)]);
    const metrics = await registry.getSingleMetricAsString('callstream_projection_events_total');
    expect(metrics).toContain(`callstream_projection_events_total{projection="tally"} ${head + 1}`);
  });

  it('a batch that fails midway commits nothing; the retry applies it exactly once', async () => {
    const before = await tallies(db);
    const head0 = await store.headPosition();
    const added = await appendTicks(store, 3, 10);
    const failAt = head0 + 12;
    const errors: unknown[] = [];
    const runner = new ProjectionRunner({
      pool: db.pool,
      store,
      projections: [tallyProjection({ failAt: { position: failAt, times: 2 } })],
      batchSize: 8,
      retryDelayMs: 20,
      onError: (e) => errors.push(e),
    });
    await runner.start();
    await runner.waitFor(await store.headPosition());
    await runner.stop();
    expect(errors.map((e) => (e as Error).message)).toEqual([`injected failure at ${failAt}`, `injected failure at ${failAt}`]);
    const after = await tallies(db);
    for (const [k, n] of added) expect(after.get(k)).toBe((before.get(k) ?? 0) + n);
  });

  it('survives SIGKILL at random moments: nothing applied twice, nothing lost', async () => {
    await appendTicks(store, 10, 30);
    const child = path.join(import.meta.dirname, 'fixtures', 'tallyChild.ts');
    const runOnce = (killAfterMs: number | undefined) =>
      new Promise<void>((resolve, reject) => {
        const p = spawn(process.execPath, [child], { env: { ...process.env, DATABASE_URL: db.url }, stdio: ['ignore', 'pipe', 'inherit'] });
        p.on('error', reject);
        p.on('exit', () => resolve());
        p.stdout.once('data', () => {
          if (killAfterMs !== undefined) setTimeout(() => p.kill('SIGKILL'), killAfterMs);
          else {
            const poll = setInterval(async () => {
              const cp = await checkpoint(db);
              if (cp && cp.position >= head) {
                clearInterval(poll);
                p.kill('SIGKILL');
              }
            }, 50);
          }
        });
      });
    const head = await store.headPosition();
    const positions: number[] = [];
    for (const ms of [120, 60, 200, 35]) {
      await runOnce(ms);
      positions.push((await checkpoint(db))!.position);
    }
    expect(positions.at(-1)).toBeLessThan(head); // the kills really interrupted the work
    await runOnce(undefined);
    const { rows } = await store.query(`SELECT stream_id, count(*)::int AS n FROM events WHERE type = 'Tick' GROUP BY stream_id`);
    expect(await tallies(db)).toEqual(new Map(rows.map((r) => [r.stream_id, r.n])));
  }, 120_000);

  it('a new version rebuilds into shadow tables while the old ones serve, then swaps them in', async () => {
    const head = await store.headPosition();
    const old = await tallies(db);
    // The version serving each time the rebuild reported progress. The checks run beside the rebuild (progress
    // callbacks are not awaited), so one asked just before the swap may be answered just after it.
    const checks: Promise<number>[] = [];
    const result = await rebuildProjections(db.pool, store, [tallyProjection({ version: 2, weight: 10 })], {
      batchSize: 50,
      onProgress: () => void checks.push(checkpoint(db).then((cp) => cp!.version)),
    });
    const seenDuring = await Promise.all(checks);
    expect(result.position).toBe(head);
    // The old version served while the shadow tables were built (the swap comes after the last batch).
    expect(seenDuring.length).toBeGreaterThan(2);
    expect(seenDuring[0]).toBe(1);
    expect(await checkpoint(db)).toEqual({ version: 2, position: head });
    const rebuilt = await tallies(db);
    for (const [k, n] of old) expect(rebuilt.get(k)).toBe(n * 10);
    const leftovers = await db.pool.anyFirst(sql.unsafe`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rm\\_%'`);
    expect(leftovers).toEqual([]);
  });

  it('stops promptly when stopped while it is still starting to follow the log', async () => {
    // The real store, with its head query held until the runner has been told to stop.
    let release!: () => void;
    let asked!: () => void;
    const headAsked = new Promise<void>((r) => (asked = r));
    const gate = new Promise<void>((r) => (release = r));
    let hold = false;
    const slowHead = Object.create(store) as PostgresEventStore;
    slowHead.headPosition = async () => {
      if (hold) {
        asked();
        await gate;
      }
      return store.headPosition();
    };
    const runner = new ProjectionRunner({ pool: db.pool, store: slowHead, projections: [tallyProjection({ version: 2, weight: 10 })] });
    await runner.start(); // any rebuild is done; the follow loop has not asked for the head yet
    hold = true;
    await headAsked;
    const stopping = runner.stop();
    release();
    const outcome = await Promise.race([stopping.then(() => 'stopped'), new Promise((r) => setTimeout(() => r('still running'), 5_000))]);
    expect(outcome).toBe('stopped');
  });

  it('a runner of the old version, still running elsewhere, stops at the swap; the new version carries on', async () => {
    const errors: unknown[] = [];
    const v2errors: unknown[] = [];
    const v2 = new ProjectionRunner({ pool: db.pool, store, projections: [tallyProjection({ version: 2, weight: 10 })], retryDelayMs: 10, onError: (e) => v2errors.push(e) });
    await v2.start(); // the checkpoint is at version 2 now: it runs
    await v2.waitFor(await store.headPosition());
    await rebuildProjections(db.pool, store, [tallyProjection({ version: 3, weight: 100 })]);
    await store.append('tick-after-swap', [{ type: 'Tick', data: {} }]);
    const v3 = new ProjectionRunner({ pool: db.pool, store, projections: [tallyProjection({ version: 3, weight: 100 })], onError: (e) => errors.push(e) });
    await v3.start();
    await v3.waitFor(await store.headPosition());
    await v3.stop();
    // v2 meets version 3 in the checkpoint on its next batch and gives up without writing
    for (let i = 0; i < 100 && !v2errors.length; i++) await new Promise((r) => setTimeout(r, 30));
    await v2.stop();
    expect(v2errors.map((e) => (e as Error).message)).toEqual(['projection tally is now at version 3; this runner has version 2 and stops']);
    const t = await tallies(db);
    expect(t.get('tick-after-swap')).toBe(100);
    expect(t.get('tick-0')! % 100).toBe(0);
    expect(await checkpoint(db)).toMatchObject({ version: 3 });
    const v1 = new ProjectionRunner({ pool: db.pool, store, projections: [tallyProjection({ version: 1 })], onError: (e) => errors.push(e), retryDelayMs: 10 });
    await v1.start(); // the code's version differs again: rebuilt before it runs
    expect(await checkpoint(db)).toEqual({ version: 1, position: await store.headPosition() });
    await v1.stop();
    expect(errors).toEqual([]);
  });

  it('builds a read model as of a past position or instant into its own schema', async () => {
    await store.append('tick-asof', [{ type: 'Tick', data: {} }, { type: 'Tick', data: {} }]);
    const { rows } = await store.query(`SELECT position, recorded_at FROM events WHERE stream_id = 'tick-asof' ORDER BY position`);
    const firstPos = Number(rows[0].position);
    const byPosition = await buildAsOf(db.pool, store, { projections: [tallyProjection()], position: firstPos });
    expect(byPosition.schema).toMatch(/^asof_/);
    const t = await tallies(db, byPosition.schema);
    expect(t.get('tick-asof')).toBe(1);
    const earlier = await buildAsOf(db.pool, store, { projections: [tallyProjection()], instant: new Date(rows[0].recorded_at.getTime() - 1).toISOString() });
    expect((await tallies(db, earlier.schema)).has('tick-asof')).toBe(false);
    await dropAsOf(db.pool, byPosition.schema);
    await dropAsOf(db.pool, earlier.schema);
    await expect(tallies(db, byPosition.schema)).rejects.toThrow();
    await expect(buildAsOf(db.pool, store, { projections: [tallyProjection()], instant: 'yesterday-ish' })).rejects.toThrow(/ISO-8601/);
    // by when things happened, not when they were stored: a late-recorded fact from 2020 is in, one from 2030 is not
    await store.append('tick-2020', [{ type: 'Tick', data: {}, metadata: { occurredAt: '2020-06-01T06:03:00.000Z' } }]);
    await store.append('tick-2030', [{ type: 'Tick', data: {}, metadata: { occurredAt: '2030-06-01T06:03:00.000Z' } }]);
    const happened = await buildAsOf(db.pool, store, { projections: [tallyProjection()], instant: '2021-01-01T00:00:00+08:00', by: 'occurredAt' });
    expect(await tallies(db, happened.schema)).toEqual(new Map([['tick-2020', 1]]));
    await dropAsOf(db.pool, happened.schema);
  });
});
