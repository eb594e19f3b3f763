/**
 * The live dialer's lead state on a big list: memory per lead, start-up (folding the log from position 0) and
 * time per pick, for CampaignLeads (leads as numbers into typed arrays, what the dialer runs) against a plain
 * Map<string, LeadView> folded from the same events (an object per lead, what the dialer held before), in the
 * same process on the same log, at each size (default 100,000 then 1,000,000 leads, one log grown in place).
 * Also the bare read of those events (no fold): the part of start-up the representation cannot change. Each row
 * prints the load average: on a shared 2-core machine the times move with it (the bytes do not).
 *
 * Memory is the heap delta after a full gc, typed arrays' buffers included (run with --expose-gc, as the npm
 * script does). The list is mostly fresh, as an imported list is: 10 % dialed once, 3 % do-not-call, 1 % with a
 * callback, 0.5 % assigned. A chunk of 500 leads' events goes in one append (the fold reads by event type, not
 * by stream; per-lead streams would only make writing the log take minutes).
 *
 *   npm run bench:lead-memory -- [--json] [--sizes 100000,1000000] [--picks 200]
 */
import os from 'node:os';
import { Command } from 'commander';
import { selectLead, type LeadView, type SelectionPolicy } from '../src/dialer/selection/index.ts';
import { LogFold } from '../src/eventstore/logFold.ts';
import { PostgresEventStore } from '../src/eventstore/postgres/postgresEventStore.ts';
import type { EventStore, NewEvent, RecordedEvent } from '../src/eventstore/types.ts';
import { CAMPAIGN_LEAD_EVENTS, CampaignLeads } from '../src/floor/campaignLeads.ts';
import { seededRandom } from '../src/telephony/simulator/customers.ts';
import { openBenchDatabase } from './support/benchDatabase.ts';

const opts = new Command()
  .option('--json', 'print JSON only')
  .option('--sizes <list>', 'lead counts measured, ascending', '100000,1000000')
  .option('--picks <n>', 'leads chosen in a row by the dialer', '200')
  .parse(process.argv.filter((a) => a !== '--'))
  .opts<{ json?: boolean; sizes: string; picks: string }>();
const SIZES = opts.sizes.split(',').map(Number);
const PICKS = Number(opts.picks);
const log = (line: string) => opts.json || console.error(line);
if (!global.gc) throw new Error('run with node --expose-gc (npm run bench:lead-memory does)');
const gc = global.gc;

const CHUNK = 500;
const POLICY: SelectionPolicy = { maxAttempts: 3, retryRules: { no_answer: { delayMinutes: 60 }, busy: { delayMinutes: 10 } } };
const now = Date.now();
const rnd = seededRandom(1);

/** Appends leads `from`..`to`-1 of the list, a chunk of leads' events per append, a few appends in flight. */
async function writeLeads(store: EventStore, from: number, to: number): Promise<number> {
  let events = 0;
  let inFlight: Promise<unknown>[] = [];
  for (let start = from; start < to; start += CHUNK) {
    const chunk: NewEvent[] = [];
    for (let i = start; i < Math.min(to, start + CHUNK); i++) {
      const phone = `+86139${String(i).padStart(8, '0')}`;
      chunk.push({ type: 'LeadImported', data: { phone, batchId: 'big-list', fields: rnd() < 0.1 ? { timeZone: 'Asia/Urumqi' } : {} } });
      const r = rnd();
      if (r < 0.03) chunk.push({ type: 'LeadDoNotCallAdded', data: { phone } });
      else if (r < 0.04) chunk.push({ type: 'LeadCallbackScheduled', data: { phone, callbackId: `cb${i}`, owner: 'a1', dueAt: new Date(now + (rnd() - 0.5) * 7200_000).toISOString(), visibility: 'public' } });
      else if (r < 0.045) chunk.push({ type: 'LeadAssigned', data: { phone, assignee: { kind: 'agent', id: 'a1' } } });
      else if (r < 0.145) {
        const callId = `c${i}`;
        chunk.push(
          { type: 'CallDialAttempted', data: { callId, phone, campaignId: 'big', at: new Date(now - rnd() * 3 * 3600_000).toISOString() } },
          { type: 'CallEnded', data: { callId, cause: rnd() < 0.2 ? 'USER_BUSY' : 'NO_ANSWER' } },
        );
      }
    }
    inFlight.push(store.append(`bench-leads-${start}`, chunk));
    events += chunk.length;
    if (inFlight.length >= 8) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  return events;
}

/** The baseline: an object per lead in a Map by phone, folded from the same events (those the scenario writes). */
function baselineFold(store: EventStore): { leads: Map<string, LeadView>; fold: LogFold } {
  const leads = new Map<string, LeadView>();
  const callOf = new Map<string, string>();
  const apply = (e: RecordedEvent) => {
    const d = e.data as Record<string, any>;
    const lead = leads.get(d.phone ?? callOf.get(d.callId));
    if (e.type === 'LeadImported' && d.batchId === 'big-list') {
      leads.set(d.phone, { phone: d.phone, listId: d.batchId, order: e.position, status: 'open', attempts: 0, passes: 0, timeZone: d.fields?.timeZone });
    } else if (!lead) return;
    else if (e.type === 'LeadDoNotCallAdded') lead.status = 'closed';
    else if (e.type === 'LeadCallbackScheduled') lead.callback = { dueAt: d.dueAt, owner: d.owner, visibility: d.visibility };
    else if (e.type === 'LeadAssigned') lead.assignee = d.assignee;
    else if (e.type === 'CallDialAttempted' && d.campaignId === 'big') {
      callOf.set(d.callId, d.phone);
      Object.assign(lead, { attempts: lead.attempts + 1, lastDialAt: d.at, lastDisposition: 'no_answer' });
    } else if (e.type === 'CallEnded') {
      callOf.delete(d.callId);
      if (d.cause === 'USER_BUSY') lead.lastDisposition = 'busy';
    }
  };
  return { leads, fold: new LogFold(store, CAMPAIGN_LEAD_EVENTS, apply) };
}

/**
 * Bytes held (heap and typed arrays' buffers) after full gcs. Dead buffers are swept off the main thread and
 * counted until that sweep ends: a pause and a second gc make sure it has (else the arrays outgrown by the
 * lead table would count as held).
 */
async function held(): Promise<number> {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 100));
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const seconds = (ms: number) => Number((ms / 1000).toFixed(2));
const ratio = (x: number, y: number) => Number((x / y).toFixed(3));

/** Average ms per pick, over up to `picks` picks in a row, each picked number then busy (a dial in flight). */
function timePicks(pick: (busy: Set<string>) => string | undefined, picks: number): number {
  const busy = new Set<string>();
  const start = performance.now();
  for (let k = 0; k < picks; k++) {
    const phone = pick(busy);
    if (!phone) break;
    busy.add(phone);
  }
  return (performance.now() - start) / picks;
}

/**
 * Builds one representation (the fold from position 0, timed), times its picks, and weighs it: bytes held with it
 * minus bytes held once it is let go, both after a full gc (what the fold left behind elsewhere is not counted).
 */
async function measure(build: () => Promise<{ size: number; pick: (busy: Set<string>) => string | undefined; picks: number }>) {
  // In a function of its own, so nothing of this frame keeps the representation once it returns.
  const alive = async () => {
    const start = performance.now();
    const built = await build();
    const foldMs = performance.now() - start;
    const first = built.pick(new Set());
    const pickMs = timePicks(built.pick, built.picks);
    return { foldMs, first, pickMs, size: built.size, withIt: await held() };
  };
  const r = await alive();
  return { foldMs: r.foldMs, first: r.first, pickMs: r.pickMs, bytesPerLead: (r.withIt - (await held())) / r.size };
}

const db = await openBenchDatabase(log);
const store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 1000, poolSize: 8 });
const rows = [];
try {
  await store.append('campaign-big', [
    { type: 'CampaignCreated', data: { campaignId: 'big', config: POLICY } },
    { type: 'CampaignListAttached', data: { campaignId: 'big', listId: 'big-list' } },
  ]);
  let written = 0;
  let events = 2;
  const at = new Date(now).toISOString();
  for (const size of SIZES) {
    log(`writing leads ${written}..${size}...`);
    const t0 = performance.now();
    events += await writeLeads(store, written, size);
    written = size;
    log(`  ${events} events in the log (${seconds(performance.now() - t0)} s to write)`);

    // The bare read: what any fold of these events pays before it does anything.
    let read = 0;
    const tRead = performance.now();
    await new LogFold(store, CAMPAIGN_LEAD_EVENTS, () => read++).catchUp();
    const readMs = performance.now() - tRead;

    const compact = await measure(async () => {
      const leads = new CampaignLeads(store, 'big');
      await leads.catchUp();
      return { size: leads.size, pick: (busy: Set<string>) => leads.next(at, busy), picks: PICKS };
    });
    const base = await measure(async () => {
      const { leads, fold } = baselineFold(store);
      await fold.catchUp();
      const pick = (busy: Set<string>) => selectLead(leads.values(), POLICY, at, undefined, busy)?.lead.phone;
      return { size: leads.size, pick, picks: 5 };
    });
    rows.push({
      leads: size,
      events,
      load: Number(os.loadavg()[0].toFixed(1)),
      bytesPerLead: { compact: Math.round(compact.bytesPerLead), baseline: Math.round(base.bytesPerLead), ratio: ratio(compact.bytesPerLead, base.bytesPerLead) },
      foldSeconds: { compact: seconds(compact.foldMs), baseline: seconds(base.foldMs), ratio: ratio(compact.foldMs, base.foldMs), readOnly: seconds(readMs), eventsRead: read },
      msPerPick: { compact: Number(compact.pickMs.toFixed(3)), baselineScan: Number(base.pickMs.toFixed(1)), ratio: ratio(compact.pickMs, base.pickMs) },
      samePick: compact.first === base.first,
    });
    log(`  ${JSON.stringify(rows.at(-1))}`);
  }
  const result = { bench: 'lead-memory', sizes: rows };
  if (!opts.json) {
    console.log('lead state of one campaign: CampaignLeads (typed arrays) vs Map<string, LeadView> (object per lead), same process, same log');
    console.table(Object.fromEntries(rows.map((r) => [r.leads, {
      'B/lead': r.bytesPerLead.compact,
      'B/lead baseline': r.bytesPerLead.baseline,
      'memory ×': r.bytesPerLead.ratio,
      'start-up s': r.foldSeconds.compact,
      'start-up s baseline': r.foldSeconds.baseline,
      'start-up ×': r.foldSeconds.ratio,
      'read only s': r.foldSeconds.readOnly,
      'ms/pick': r.msPerPick.compact,
      'ms/pick baseline scan': r.msPerPick.baselineScan,
      'same first pick': r.samePick,
      load: r.load,
    }])));
  }
  console.log(JSON.stringify(result));
} finally {
  await store.close();
  await db.close();
}
