/**
 * Wallboard benchmark: `npm run bench:wallboard -- [--json] [--events N] [--runs N]`.
 *
 * Loads a simulated floor's day (default 200,000 events) into the PostgreSQL event store, then times the
 * wallboard "now" for a supervisor-sized view two ways:
 * - full fold: what the query did before the shared board, and what asOf still does: fold the log from 0;
 * - shared: the server's one live fold (src/api/graphql/wallboard.ts SharedWallboard), warm, plus one new event
 *   appended before each read so every read also catches up (read-your-writes), as a query after a command.
 * Also the first (cold) shared read, which folds the log once for the server, and a subscriber's copy.
 * Both boards are compared: the shared one must equal the full fold.
 *
 * Uses DATABASE_URL's server when set (in a throw-away database), else a durable embedded PostgreSQL in a temp dir.
 */
import os from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { Command } from 'commander';
import { foldWallboard, SharedWallboard, WallboardFold, type BoardView } from '../src/api/graphql/wallboard.ts';
import { PostgresEventStore } from '../src/eventstore/postgres/postgresEventStore.ts';
import { floorDay } from '../src/projections/sim/floorDay.ts';
import { appendAll } from '../src/projections/sim/load.ts';
import { openBenchDatabase } from './support/benchDatabase.ts';

const program = new Command()
  .option('--json', 'print one JSON object on stdout')
  .option('--events <n>', 'events in the simulated day', '200000')
  .option('--runs <n>', 'full folds timed (shared reads: 20 times as many)', '5')
  .parse();
const opts = program.opts<{ json?: boolean; events: string; runs: string }>();
const EVENTS = Number(opts.events);
const RUNS = Number(opts.runs);
const log = (line: string) => process.stderr.write(`${line}\n`);
const load = () => +os.loadavg()[0].toFixed(2);
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};
const ms = (x: number) => +x.toFixed(2);

async function main() {
  const target = await openBenchDatabase(log);
  const store = await PostgresEventStore.connect(target.url, { poolSize: 8, pollIntervalMs: 1000 });
  const results: Record<string, any> = {
    target: target.label,
    events: EVENTS,
    cpus: os.cpus().length,
    loadAtStart: load(),
  };
  try {
    // Today (Beijing), so the day's counters are live figures.
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const t0 = performance.now();
    const loaded = await appendAll(
      store,
      floorDay({ events: EVENTS, agents: 100, campaigns: 5, start: `${today}T00:30:00+08:00` }),
    );
    results.load = { events: loaded, seconds: ms((performance.now() - t0) / 1000) };
    log(`loaded ${loaded.toLocaleString()} events in ${results.load.seconds} s`);

    // A supervisor of half the floor: half the agents, the floor's department.
    const view: BoardView = { agent: (id) => Number(id.slice(1)) % 2 === 0, department: (d) => d === 'sales' };
    const full = async () => {
      const fold = new WallboardFold();
      await foldWallboard(store, fold, { position: await store.headPosition() });
      return fold.snapshot(view);
    };
    const nudge = (i: number) =>
      store.append('agent-a001', [
        {
          type: i % 2 ? 'AgentReady' : 'AgentNotReady',
          data: { agentId: 'a001', reasonCode: 'break', at: new Date().toISOString() },
        },
      ]);

    const fullMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await nudge(i);
      const t = performance.now();
      await full();
      fullMs.push(performance.now() - t);
    }
    const shared = SharedWallboard.of(store);
    let t = performance.now();
    await shared.board(view);
    const coldMs = performance.now() - t;
    const sharedMs: number[] = [];
    for (let i = 0; i < RUNS * 20; i++) {
      await nudge(i);
      t = performance.now();
      await shared.board(view);
      sharedMs.push(performance.now() - t);
    }
    t = performance.now();
    await shared.copy();
    const copyMs = performance.now() - t;
    const now = Date.now();
    const a = await shared.board(view, now);
    const fold = new WallboardFold();
    await foldWallboard(store, fold, { position: await store.headPosition() });
    const equal = isDeepStrictEqual(a, fold.snapshot(view, now));

    results.fullFoldMs = { runs: RUNS, p50: ms(percentile(fullMs, 50)), max: ms(Math.max(...fullMs)) };
    results.sharedMs = {
      runs: sharedMs.length,
      p50: ms(percentile(sharedMs, 50)),
      p99: ms(percentile(sharedMs, 99)),
      coldFirstRead: ms(coldMs),
      subscriberCopy: ms(copyMs),
    };
    results.ratio = Math.round(results.fullFoldMs.p50 / results.sharedMs.p50);
    results.sharedEqualsFullFold = equal;
    results.loadAfter = load();
  } finally {
    await store.close();
    await target.close();
  }

  if (opts.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  const out = opts.json ? process.stderr : process.stdout;
  out.write(
    [
      '',
      `wallboard now on ${results.target}, ${EVENTS.toLocaleString()} events, ${results.cpus} cpus, load ${results.loadAtStart} -> ${results.loadAfter}`,
      `  full fold from 0         p50 ${String(results.fullFoldMs.p50).padStart(9)} ms   (${results.fullFoldMs.runs} runs, max ${results.fullFoldMs.max} ms)`,
      `  shared fold (warm)       p50 ${String(results.sharedMs.p50).padStart(9)} ms   p99 ${results.sharedMs.p99} ms (${results.sharedMs.runs} reads, one new event before each)`,
      `  shared, first read       ${String(results.sharedMs.coldFirstRead).padStart(13)} ms   (folds the log once per server)`,
      `  subscriber copy          ${String(results.sharedMs.subscriberCopy).padStart(13)} ms`,
      `  full / shared            ${String(results.ratio).padStart(13)} x`,
      `  shared equals full fold  ${String(results.sharedEqualsFullFold).padStart(13)}`,
      '',
    ].join('\n'),
  );
  if (!results.sharedEqualsFullFold) process.exitCode = 1;
}

await main();
