/**
 * Projection benchmark: `npm run bench:projections -- [--json] [--events N]`.
 *
 * 1. Loads a simulated floor's day (default 1,000,000 events) into the PostgreSQL event store.
 * 2. Reads the whole log once with nothing applied (`readLog.eventsPerSec`: the floor under any rebuild), then
 *    rebuilds every read model from position 0 (shadow schema, then swap), batched: `rebuild.eventsPerSec`.
 * 3. Baseline in the same run: the same handlers, one transaction per event (with a checkpoint update), on the
 *    first `--baseline-events` events only (default 20,000), extrapolated as a rate: `baseline.eventsPerSec`.
 * 4. Live: the runner follows the log while a producer appends a steady 500 events/s; the lag of each event is
 *    the time from its append committing to the read-model commit that contains it: `liveLagMs.p99`.
 *
 * The 1-minute load average is printed with each phase: other work on the machine shares the cores, so compare
 * rebuild with the baseline of the same run rather than absolute figures across runs.
 *
 * Uses DATABASE_URL's server when set (in a throw-away database), else a durable embedded PostgreSQL in a temp dir.
 */
import os from 'node:os';
import { Command } from 'commander';
import { sql } from 'slonik';
import { PostgresEventStore } from '../src/eventstore/postgres/postgresEventStore.ts';
import { createPool } from '../src/infra/postgres/pool.ts';
import { InProcessPubSub } from '../src/projections/live/pubsub.ts';
import { allProjections } from '../src/projections/readModels/index.ts';
import { applyBatch } from '../src/projections/runtime/checkpoints.ts';
import { ensureProjections, rebuildProjections } from '../src/projections/runtime/rebuild.ts';
import { eventTypesOf } from '../src/projections/runtime/replay.ts';
import { ProjectionRunner } from '../src/projections/runtime/runner.ts';
import { createSchemaWithTables, dropSchema, newSchemaName } from '../src/projections/runtime/schemas.ts';
import { floorDay } from '../src/projections/sim/floorDay.ts';
import { appendAll } from '../src/projections/sim/load.ts';
import { openBenchDatabase } from './support/benchDatabase.ts';

const program = new Command()
  .option('--json', 'print one JSON object on stdout')
  .option('--events <n>', 'events in the simulated day', '1000000')
  .option('--batch <n>', 'events read per rebuild batch', '10000')
  .option('--baseline-events <n>', 'events applied one transaction each for the baseline', '20000')
  .option('--live-rate <n>', 'events per second appended during the live phase', '500')
  .option('--live-seconds <n>', 'length of the live phase', '20')
  .parse();
const opts = program.opts<{ json?: boolean; events: string; batch: string; baselineEvents: string; liveRate: string; liveSeconds: string }>();
const EVENTS = Number(opts.events);
const log = (line: string) => process.stderr.write(`${line}\n`);

const openTarget = () => openBenchDatabase(log);

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};
const rate = (events: number, ms: number) => Math.round(events / (ms / 1000));
/** 1-minute load average: other work on the machine shares the 2 cores, so figures are read with it. */
const load = () => +os.loadavg()[0].toFixed(2);

async function main() {
  const target = await openTarget();
  const store = await PostgresEventStore.connect(target.url, { poolSize: 8, pollIntervalMs: 1000 });
  const pool = await createPool(target.url, { statementTimeout: 'DISABLE_TIMEOUT' });
  const results: Record<string, any> = { target: target.label, events: EVENTS, cpus: os.cpus().length, loadAtStart: load() };
  try {
    log(`load: ${EVENTS.toLocaleString()} events of a simulated floor day`);
    let t = performance.now();
    let lastLog = 0;
    const loaded = await appendAll(store, floorDay({ events: EVENTS, agents: 200, campaigns: 6 }), {
      concurrency: 512,
      onProgress: (n) => n - lastLog >= 100_000 && (lastLog = n, log(`  ${n.toLocaleString()}`)),
    });
    results.load = { events: loaded, seconds: +((performance.now() - t) / 1000).toFixed(1), eventsPerSec: rate(loaded, performance.now() - t) };

    await ensureProjections(pool, store, allProjections);
    // Reading the whole log alone: the floor under any rebuild (the log is read once for all read models).
    t = performance.now();
    let read = 0;
    for (let after = 0; ; ) {
      const batch = await store.readAll({ after, maxCount: Number(opts.batch) });
      if (!batch.length) break;
      read += batch.length;
      after = batch[batch.length - 1].position;
    }
    results.readLog = { events: read, eventsPerSec: rate(read, performance.now() - t) };
    const loadAtRebuild = load();
    log('rebuild: all read models from position 0, batched, into a shadow schema, then swap');
    t = performance.now();
    const rebuilt = await rebuildProjections(pool, store, allProjections, { batchSize: Number(opts.batch) });
    const rebuildMs = performance.now() - t;
    results.rebuild = {
      events: rebuilt.events,
      seconds: +(rebuildMs / 1000).toFixed(1),
      eventsPerSec: rate(rebuilt.events, rebuildMs),
      batchSize: Number(opts.batch),
      loadBefore: loadAtRebuild,
      loadAfter: load(),
    };

    const sample = Math.min(Number(opts.baselineEvents), loaded);
    log(`baseline: the first ${sample.toLocaleString()} events, one transaction per event (extrapolated as a rate)`);
    const scratch = newSchemaName('asof');
    await createSchemaWithTables(pool, scratch, allProjections);
    await pool.query(sql.unsafe`INSERT INTO projection_checkpoints (name, version, position) VALUES ('bench_baseline', 1, 0)`);
    const events = await store.readAll({ after: 0, maxCount: sample, filter: { eventTypes: eventTypesOf(allProjections) } });
    t = performance.now();
    for (const e of events) {
      await pool.transaction(async (tx) => {
        await tx.query(sql.unsafe`SET LOCAL synchronous_commit = off`); // as the runner does
        await applyBatch(tx, allProjections, [e], scratch);
        await tx.query(sql.unsafe`UPDATE projection_checkpoints SET position = ${e.position} WHERE name = 'bench_baseline'`);
      });
    }
    const baseMs = performance.now() - t;
    const loadAtBaseline = load();
    await dropSchema(pool, scratch);
    results.baseline = { events: events.length, seconds: +(baseMs / 1000).toFixed(1), eventsPerSec: rate(events.length, baseMs), extrapolatedFromSubset: true, loadAfter: loadAtBaseline };
    results.rebuild.vsBaseline = +(results.rebuild.eventsPerSec / results.baseline.eventsPerSec).toFixed(1);

    const liveRate = Number(opts.liveRate);
    const liveSeconds = Number(opts.liveSeconds);
    log(`live: ${liveRate} events/s for ${liveSeconds} s while the runner follows the log`);
    const pubsub = new InProcessPubSub();
    const runner = new ProjectionRunner({ pool, store, projections: allProjections, pubsub, batchSize: 1000 });
    await runner.start();
    await runner.waitFor(await store.headPosition());
    const pending: { position: number; count: number; committedAt: number }[] = [];
    const lags: number[] = [];
    pubsub.subscribe((n) => {
      const now = performance.now();
      while (pending.length && pending[0].position <= n.position) {
        const p = pending.shift()!;
        for (let i = 0; i < p.count; i++) lags.push(now - p.committedAt);
      }
    });
    const source = floorDay({ events: liveRate * liveSeconds * 2, agents: 200, campaigns: 6, idPrefix: 'live', skipSetup: true, seed: 2 })[Symbol.iterator]();
    const tickMs = 20;
    const perTick = (liveRate * tickMs) / 1000;
    const started = performance.now();
    let sent = 0;
    const appends: Promise<void>[] = [];
    while (performance.now() - started < liveSeconds * 1000) {
      const due = ((performance.now() - started) / 1000) * liveRate;
      while (sent < due) {
        const next = source.next();
        if (next.done) break;
        const a = next.value;
        sent += a.events.length;
        appends.push(
          store.append(a.streamId, a.events).then((r) => {
            const entry = { position: r.position, count: a.events.length, committedAt: performance.now() };
            const at = pending.findIndex((p) => p.position > r.position);
            if (at < 0) pending.push(entry);
            else pending.splice(at, 0, entry);
          }),
        );
      }
      await new Promise((r) => setTimeout(r, tickMs - (perTick ? 0 : 0)));
    }
    await Promise.all(appends);
    await runner.waitFor(await store.headPosition());
    await new Promise((r) => setTimeout(r, 200));
    await runner.stop();
    results.liveLagMs = {
      rate: Math.round(sent / liveSeconds),
      events: lags.length,
      p50: +percentile(lags, 50).toFixed(1),
      p99: +percentile(lags, 99).toFixed(1),
      max: +Math.max(...lags).toFixed(1),
      loadAfter: load(),
    };
  } finally {
    await pool.end();
    await store.close();
    await target.close();
  }

  results.targets = { rebuildEventsPerSec: 30_000, rebuildVsBaseline: 10, liveLagP99Ms: 50 };
  if (opts.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  const out = opts.json ? process.stderr : process.stdout;
  out.write(
    [
      '',
      `projections on ${results.target}, ${EVENTS.toLocaleString()} events, ${results.cpus} cpus, load average ${results.loadAtStart} at start`,
      `  read the log alone   ${results.readLog.eventsPerSec.toLocaleString().padStart(9)} events/s`,
      `  load                 ${results.load.eventsPerSec.toLocaleString().padStart(9)} events/s`,
      `  rebuild (batched)    ${results.rebuild.eventsPerSec.toLocaleString().padStart(9)} events/s   target >= 30,000   (load ${results.rebuild.loadBefore} -> ${results.rebuild.loadAfter})`,
      `  baseline (1 tx/evt)  ${results.baseline.eventsPerSec.toLocaleString().padStart(9)} events/s   (first ${results.baseline.events.toLocaleString()} events, load ${results.baseline.loadAfter})`,
      `  rebuild / baseline   ${String(results.rebuild.vsBaseline).padStart(9)} x          target >= 10`,
      `  live lag at ${results.liveLagMs.rate}/s   p50 ${results.liveLagMs.p50} ms, p99 ${results.liveLagMs.p99} ms, max ${results.liveLagMs.max} ms   target p99 < 50   (load ${results.liveLagMs.loadAfter})`,
      '',
    ].join('\n'),
  );
}

await main();
