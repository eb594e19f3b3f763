/**
 * Lead selection on a big list: how long the live dialer takes to choose each next lead, indexed (what the
 * dialer runs) against the plain scan of every lead (the baseline, same process, same log), and the memory the
 * campaign's lead state takes.  npm run bench:selection -- [--json] [--leads 200000] [--picks 200]
 */
import { Command } from 'commander';
import { PostgresEventStore } from '../src/eventstore/postgres/postgresEventStore.ts';
import type { NewEvent } from '../src/eventstore/types.ts';
import { CampaignLeads } from '../src/floor/campaignLeads.ts';
import { seededRandom } from '../src/telephony/simulator/customers.ts';
import { openBenchDatabase } from './support/benchDatabase.ts';

const opts = new Command()
  .option('--json', 'print JSON only')
  .option('--leads <n>', 'leads on the campaign list', '200000')
  .option('--picks <n>', 'leads chosen in a row, as a dialer placing dials', '200')
  .parse(process.argv.filter((a) => a !== '--'))
  .opts<{ json?: boolean; leads: string; picks: string }>();
const LEADS = Number(opts.leads);
const PICKS = Number(opts.picks);
const log = (line: string) => opts.json || console.error(line);

const db = await openBenchDatabase(log);
const store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 1000, poolSize: 8 });
try {
  const rnd = seededRandom(1);
  const now = Date.now();
  await store.append('campaign-big', [
    { type: 'CampaignCreated', data: { campaignId: 'big', config: { maxAttempts: 3, retryRules: { no_answer: { delayMinutes: 60 }, busy: { delayMinutes: 10 } } } } },
    { type: 'CampaignListAttached', data: { campaignId: 'big', listId: 'big-list' } },
  ]);
  // A list half worked through: most leads dialed once or twice, some do-not-call, a few callbacks and assignments.
  log(`writing ${LEADS} leads and their dials...`);
  const t0 = performance.now();
  let events = 0;
  let inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < LEADS; i++) {
    const phone = `+86139${String(i).padStart(8, '0')}`;
    const lead: NewEvent[] = [{ type: 'LeadImported', data: { phone, batchId: 'big-list' } }];
    const r = rnd();
    if (r < 0.03) lead.push({ type: 'LeadDoNotCallAdded', data: { phone } });
    else if (r < 0.04) lead.push({ type: 'LeadCallbackScheduled', data: { phone, callbackId: `cb${i}`, owner: 'a1', dueAt: new Date(now + (rnd() - 0.5) * 7200_000).toISOString(), visibility: 'public' } });
    else if (r < 0.045) lead.push({ type: 'LeadAssigned', data: { phone, assignee: { kind: 'agent', id: 'a1' } } });
    inFlight.push(store.append(`lead-${phone}`, lead));
    events += lead.length;
    if (rnd() < 0.6) {
      const callId = `c${i}`;
      const at = new Date(now - rnd() * 3 * 3600_000).toISOString();
      inFlight.push(store.append(`call-${callId}`, [
        { type: 'CallDialAttempted', data: { callId, phone, campaignId: 'big', at } },
        { type: 'CallEnded', data: { callId, cause: rnd() < 0.2 ? 'USER_BUSY' : 'NO_ANSWER' } },
      ]));
      events += 2;
    }
    if (inFlight.length >= 2000) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  log(`wrote ${events} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // Typed arrays' buffers (the lead table) live outside the JS heap: count both. Dead buffers are swept off the
  // main thread and counted until then: a pause and a second gc.
  const held = async () => {
    global.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 100));
    global.gc?.();
    return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  };
  const heapBefore = await held();
  const leads = new CampaignLeads(store, 'big');
  const t1 = performance.now();
  await leads.catchUp();
  const catchUpSeconds = (performance.now() - t1) / 1000;
  const bytesPerLead = ((await held()) - heapBefore) / leads.size;

  const at = new Date(now).toISOString();
  const time = (fn: (busy: Set<string>) => unknown, picks: number) => {
    const busy = new Set<string>();
    const start = performance.now();
    for (let k = 0; k < picks; k++) {
      const s = fn(busy) as { lead: { phone: string } } | undefined;
      if (!s) break;
      busy.add(s.lead.phone);
    }
    return (performance.now() - start) / picks;
  };
  // The scan is slow: time fewer of its picks (per-pick cost does not depend on how many).
  const scanMs = time((busy) => leads.scanSelect(at, busy), Math.max(5, Math.min(PICKS, 20)));
  const indexedMs = time((busy) => leads.select(at, busy), PICKS);
  const result = {
    bench: 'selection',
    leads: leads.size,
    events,
    catchUpSeconds: Number(catchUpSeconds.toFixed(2)),
    bytesPerLead: Math.round(bytesPerLead),
    heapMB: Math.round((bytesPerLead * leads.size) / 1e6),
    msPerPickIndexed: Number(indexedMs.toFixed(3)),
    msPerPickScan: Number(scanMs.toFixed(2)),
    speedup: Number((scanMs / indexedMs).toFixed(1)),
    picksPerSecondIndexed: Math.round(1000 / indexedMs),
  };
  if (opts.json) console.log(JSON.stringify(result));
  else {
    console.log(`lead selection over ${result.leads} leads (indexed vs scan of every lead, same process)`);
    console.table({
      'ms per pick, indexed': { value: result.msPerPickIndexed },
      'ms per pick, full scan (baseline)': { value: result.msPerPickScan },
      'speed-up': { value: `${result.speedup}×` },
      'picks per second, indexed': { value: result.picksPerSecondIndexed },
      'bytes per lead held': { value: result.bytesPerLead },
      'catch-up from the log, s': { value: result.catchUpSeconds },
    });
    console.log(JSON.stringify(result));
  }
} finally {
  await store.close();
  await db.close();
}
