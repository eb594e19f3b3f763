/**
 * Event store benchmark on PostgreSQL: `npm run bench:eventstore -- [--json]`.
 *
 * Uses DATABASE_URL's server when set (in a throw-away database), otherwise a durable embedded PostgreSQL
 * in a temp dir. Every phase is bounded by an event count and a time budget, so a run takes about a minute.
 * A naive appender (one transaction and one INSERT per event, no group commit) is measured in the same
 * run as the baseline the append figures are compared with.
 */
import os from 'node:os';
import { Command } from 'commander';
import pg from 'pg';
import { PostgresEventStore } from '../src/eventstore/postgres/postgresEventStore.ts';
import { eventHash } from '../src/eventstore/hashChain.ts';
import { newId } from '../src/eventstore/ids.ts';
import { openBenchDatabase } from './support/benchDatabase.ts';

const program = new Command()
  .option('--json', 'print one JSON object on stdout')
  .option('--writers <n>', 'concurrent writers (separate store instances, as separate processes would be)', '4')
  .option('--in-flight <n>', 'appends each writer keeps outstanding', '64')
  .option('--events <n>', 'events per append phase (upper bound)', '40000')
  .option('--seconds <n>', 'time budget per phase (upper bound)', '7')
  .parse();
const opts = program.opts<{ json?: boolean; writers: string; inFlight: string; events: string; seconds: string }>();
const WRITERS = Number(opts.writers);
const IN_FLIGHT = Number(opts.inFlight);
const MAX_EVENTS = Number(opts.events);
const BUDGET_MS = Number(opts.seconds) * 1000;
const log = (line: string) => process.stderr.write(`${line}\n`);

const payload = (i: number) => ({ phone: `+86138${String(i).padStart(8, '0')}`, campaign: 'bench', note: '回访客户' });
const meta = { actorId: 'bench', actorRole: 'system', occurredAt: new Date().toISOString() };

interface Phase {
  events: number;
  seconds: number;
  eventsPerSec: number;
  [k: string]: unknown;
}

function phase(events: number, ms: number, extra: Record<string, unknown> = {}): Phase {
  return { events, seconds: +(ms / 1000).toFixed(2), eventsPerSec: Math.round(events / (ms / 1000)), ...extra };
}

/** Runs `writers` loops, each keeping `inFlight` calls of `op` outstanding, until the count or the budget is spent. */
async function drive(writers: number, inFlight: number, perCall: number, op: (writer: number, lane: number, n: number) => Promise<void>): Promise<{ events: number; ms: number }> {
  const start = performance.now();
  let issued = 0;
  const lanes: Promise<void>[] = [];
  for (let w = 0; w < writers; w++) {
    for (let l = 0; l < inFlight; l++) {
      lanes.push(
        (async () => {
          for (let n = 0; issued + perCall <= MAX_EVENTS && performance.now() - start < BUDGET_MS; n++) {
            issued += perCall;
            await op(w, l, n);
          }
        })(),
      );
    }
  }
  await Promise.all(lanes);
  return { events: issued, ms: performance.now() - start };
}

/** The baseline: each event in its own transaction, serialised by the same global lock, no grouping. */
async function naiveAppend(pool: pg.Pool, streamId: string, revision: number, prevHash: string): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(7421002)');
    const head = await client.query('SELECT version FROM streams WHERE stream_id = $1', [streamId]);
    if ((head.rows[0]?.version ?? 0) !== revision - 1) throw new Error('conflict');
    const id = newId();
    const data = payload(revision);
    const metadata = { schemaVersion: 1, ...meta };
    const hash = eventHash({ prevHash, streamId, revision, id, type: 'LeadImported', data, metadata });
    const { rows } = await client.query(
      'INSERT INTO events (event_id, stream_id, revision, type, data, metadata, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING position',
      [id, streamId, revision, 'LeadImported', data, metadata, prevHash, hash],
    );
    await client.query(
      `INSERT INTO streams (stream_id, version, last_hash, last_position) VALUES ($1,$2,$3,$4)
       ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, last_hash = EXCLUDED.last_hash, last_position = EXCLUDED.last_position`,
      [streamId, revision, hash, rows[0].position],
    );
    await client.query('COMMIT');
    return hash;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

const openTarget = () => openBenchDatabase(log);

async function main() {
  const loadBefore = os.loadavg()[0];
  const target = await openTarget();
  const results: Record<string, unknown> = {};
  const stores: PostgresEventStore[] = [];
  try {
    for (let w = 0; w < WRITERS; w++) stores.push(await PostgresEventStore.connect(target.url, { poolSize: 4 }));

    log('baseline: naive append, one transaction per event');
    const naivePool = new pg.Pool({ connectionString: target.url, max: WRITERS * 2 });
    const naiveHeads = new Map<string, { revision: number; hash: string }>();
    const base = await drive(WRITERS, 2, 1, async (w, l) => {
      const s = `naive-${w}-${l}`;
      const head = naiveHeads.get(s) ?? { revision: 0, hash: '' };
      const hash = await naiveAppend(naivePool, s, head.revision + 1, head.hash);
      naiveHeads.set(s, { revision: head.revision + 1, hash });
    });
    await naivePool.end();
    const baseline = phase(base.events, base.ms, { writers: WRITERS, inFlightPerWriter: 2 });
    results.baseline = baseline;

    const streams = new Map<string, number>();
    const single = async (inFlight: number, prefix: string, storeOf: (w: number) => PostgresEventStore) =>
      drive(WRITERS, inFlight, 1, async (w, l, n) => {
        const s = `${prefix}-${w}-${l}-${n % 8}`; // many streams, each growing by exact expected revision
        const v = streams.get(s) ?? 0;
        streams.set(s, v + 1);
        await storeOf(w).append(s, [{ type: 'LeadImported', data: payload(n), metadata: meta }], v === 0 ? 'no-stream' : v);
      });
    const vs = (r: { events: number; ms: number }) => +(r.events / r.ms / (base.events / base.ms)).toFixed(1);

    // One server process: the writers share its store, so its group commit sees all their appends.
    log(`append: single events, expected revision, ${WRITERS} writers x ${IN_FLIGHT} in flight, one shared store`);
    const a = await single(IN_FLIGHT, 'lead', () => stores[0]);
    results.append = phase(a.events, a.ms, { writers: WRITERS, inFlightPerWriter: IN_FLIGHT, stores: 1, vsBaseline: vs(a) });

    // Several processes: each has its own store and they queue on the global append lock.
    log(`appendSeparateStores: the same with one store per writer (as separate processes)`);
    const sep = await single(IN_FLIGHT, 'proc', (w) => stores[w]);
    results.appendSeparateStores = phase(sep.events, sep.ms, { writers: WRITERS, inFlightPerWriter: IN_FLIGHT, stores: WRITERS, vsBaseline: vs(sep) });

    log(`appendSerial: single events, ${WRITERS} writers x 1 in flight, one shared store`);
    const s1 = await single(1, 'serial', () => stores[0]);
    results.appendSerial = phase(s1.events, s1.ms, { writers: WRITERS, inFlightPerWriter: 1, stores: 1, vsBaseline: vs(s1) });

    log(`appendBatch: 100 events per append, ${WRITERS} writers x 4 in flight`);
    const b = await drive(WRITERS, 4, 100, async (w, l, n) => {
      const events = Array.from({ length: 100 }, (_, i) => ({ type: 'LeadImported', data: payload(n * 100 + i), metadata: meta }));
      await stores[w].append(`batch-${w}-${l}-${n}`, events, 'no-stream');
    });
    results.appendBatch = phase(b.events, b.ms, { eventsPerAppend: 100, writers: WRITERS, inFlightPerWriter: 4, stores: WRITERS, vsBaseline: vs(b) });

    const head = await stores[0].headPosition();
    log('readAll: the whole log from position 0, 1000 per page');
    const rawStart = performance.now();
    const rawPool = new pg.Pool({ connectionString: target.url, max: 1 });
    const raw = await rawPool.query('SELECT position, event_id, stream_id, revision, type, data, metadata, recorded_at, prev_hash, hash FROM events ORDER BY position');
    await rawPool.end();
    const rawMs = performance.now() - rawStart;
    results.readBaseline = phase(raw.rowCount ?? 0, rawMs, { note: 'one plain SELECT of every row with pg' });

    let read = 0;
    const readStart = performance.now();
    for (let after = 0; ; ) {
      const page = await stores[0].readAll({ after, maxCount: 1000 });
      if (!page.length) break;
      read += page.length;
      after = page[page.length - 1].position;
    }
    const readMs = performance.now() - readStart;
    results.readAll = phase(read, readMs, { pageSize: 1000, vsBaseline: +(read / readMs / ((raw.rowCount ?? 0) / rawMs)).toFixed(2) });

    log('catchUp: subscription from 0 to the head');
    let caught = 0;
    const cuStart = performance.now();
    await new Promise<void>((resolve, reject) => {
      const sub = stores[1 % WRITERS].subscribe(
        (batch) => {
          caught += batch.length;
        },
        {
          after: 0,
          batchSize: 1000,
          onCaughtUp: (p) => {
            if (p >= head) void sub.stop().then(resolve, reject);
          },
        },
      );
      sub.done.catch(reject);
    });
    results.catchUp = phase(caught, performance.now() - cuStart, { batchSize: 1000 });

    const appendRate = (results.append as Phase).eventsPerSec;
    const readRate = Math.min((results.readAll as Phase).eventsPerSec, (results.catchUp as Phase).eventsPerSec);
    results.targets = { appendEventsPerSec: 5000, readEventsPerSec: 50000, appendMet: appendRate >= 5000, readMet: readRate >= 50000 };
    results.meta = { database: target.label, cores: os.availableParallelism(), node: process.version, logEvents: head, budgetSecondsPerPhase: BUDGET_MS / 1000,
      // Absolute figures mean little on a busy machine; the ratios to the same-run baselines still do.
      loadAverage1m: { before: +loadBefore.toFixed(2), after: +os.loadavg()[0].toFixed(2) } };
  } finally {
    await Promise.all(stores.map((s) => s.close()));
    await target.close();
  }

  if (opts.json) {
    process.stdout.write(`${JSON.stringify(results)}\n`);
    return;
  }
  const rows = ['baseline', 'append', 'appendSeparateStores', 'appendSerial', 'appendBatch', 'readBaseline', 'readAll', 'catchUp'].map((k) => {
    const p = results[k] as Phase;
    const ratio = p.vsBaseline === undefined ? '' : `x${p.vsBaseline}`;
    return `${k.padEnd(20)} ${String(p.eventsPerSec).padStart(9)} ev/s ${String(p.events).padStart(8)} events ${String(p.seconds).padStart(6)} s ${ratio}`;
  });
  console.log(['phase                  events/s      count      time   vs baseline', ...rows].join('\n'));
  console.log(JSON.stringify(results.targets), `load average ${JSON.stringify((results.meta as Record<string, unknown>).loadAverage1m)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
