/**
 * Dialer pacing benchmark: discrete-event simulation of an outbound floor in virtual time, through the
 * real pacer code.  npm run bench:dialer -- [--json] [--floor FILE ...] [--shifts N] [--seeds N]
 *   [--callstream '{"marginSd":0.3}'] [--no-baselines]   (pacer experiments; the figures of record use neither)
 *   [--oracle agentFree answers both]   (NOT REALISABLE pacers told secrets by the simulator, to locate the gap)
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { compareOnFloor, summarizeSeeds, type FloorReport } from '../src/dialer/simulation/compare.ts';
import { ORACLES, type Oracle } from '../src/dialer/simulation/oracle.ts';
import { parseFloor, referenceFloor, type Floor } from '../src/dialer/simulation/floor.ts';
import type { PredictiveOptions } from '../src/dialer/pacing/index.ts';

const program = new Command()
  .option('--json', 'print JSON only')
  .option('--floor <file...>', 'floor JSON files (default: the reference floor)')
  .option('--shifts <n>', 'override the number of shifts, for quick runs')
  .option('--seeds <n>', 'run each floor with N seeds (seed, seed+1, ...) and report mean and worst')
  .option('--callstream <json>', 'options for the callstream pacer (PredictiveOptions as JSON), for experiments')
  .option('--no-baselines', 'run only the callstream pacer (no tuned baselines): quick experiments')
  .option('--oracle <name...>', `also run oracle variants, not realisable (${ORACLES.join(', ')})`)
  .parse(process.argv.filter((a) => a !== '--'));
const opts = program.opts<{ json?: boolean; floor?: string[]; shifts?: string; seeds?: string; callstream?: string; baselines: boolean; oracle?: string[] }>();

const PREDICTIVE_OPTIONS = [
  'abandonTarget', 'connectWithinSec', 'windowHours', 'marginSd', 'amdFalsePositiveRate', 'maxRingingPerAgent', 'futureDials',
  'budgetGain', 'levelLearning', 'memoryAnswers', 'initialThreshold', 'displacement', 'skew', 'decision', 'rolloutSamples', 'answerMemory', 'durationMemoryScale',
];

function callstreamOptions(json: string | undefined): PredictiveOptions | undefined {
  if (json === undefined) return undefined;
  const raw: unknown = JSON.parse(json);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('--callstream must be a JSON object');
  const unknown = Object.keys(raw).filter((k) => !PREDICTIVE_OPTIONS.includes(k));
  if (unknown.length) throw new Error(`--callstream: unknown option ${unknown.join(', ')} (known: ${PREDICTIVE_OPTIONS.join(', ')})`);
  return raw as PredictiveOptions;
}

function loadFloor(file: string): Floor {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read floor ${file}: ${(e as Error).message}`);
  }
  const floor = parseFloor(raw);
  return { ...floor, name: floor.name ?? file };
}

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`--${name} must be a positive integer, got ${value}`);
  return n;
}

function printTable(report: FloorReport & { seed: number }, seconds: number): void {
  console.log(`\nfloor ${report.floor} (seed ${report.seed}): ${report.agents} agents, ${report.shifts} shifts (${seconds.toFixed(1)} s)`);
  console.log('pacer          ratio  occupancy  abandon  abandon95  connects/ah  dials/ah  wait s');
  for (const [name, s] of Object.entries(report.pacers)) {
    console.log(
      [
        name.padEnd(13),
        (s.ratio?.toFixed(3) ?? '').padStart(6),
        pct(s.occupancy).padStart(10),
        pct(s.abandonRate).padStart(8),
        pct(s.abandonRateUpper95).padStart(10),
        s.connectsPerAgentHour.toFixed(2).padStart(12),
        s.dialsPerAgentHour.toFixed(1).padStart(9),
        s.meanAgentWaitSec.toFixed(1).padStart(7),
      ].join(' '),
    );
  }
}

try {
  const floors = opts.floor?.length ? opts.floor.map(loadFloor) : [referenceFloor];
  const shifts = positive('shifts', opts.shifts);
  const seeds = positive('seeds', opts.seeds) ?? 1;
  const oracles = (opts.oracle ?? []).map((o) => {
    if (!ORACLES.includes(o as Oracle)) throw new Error(`--oracle: unknown ${o} (known: ${ORACLES.join(', ')})`);
    return o as Oracle;
  });
  const compare = { callstream: callstreamOptions(opts.callstream), baselines: opts.baselines, oracles };
  const reports = [];
  const seedSummaries = [];
  for (const floor of floors) {
    const perSeed: FloorReport[] = [];
    for (let i = 0; i < seeds; i++) {
      const seed = floor.seed + i;
      const started = performance.now();
      const report = compareOnFloor({ ...floor, seed }, shifts ?? floor.shifts, compare);
      const seconds = (performance.now() - started) / 1000;
      const cs = report.pacers.callstream;
      const baselines = Object.entries(report.pacers).filter(([name]) => name !== 'callstream' && !name.startsWith('oracle:'));
      const best = Math.max(...baselines.map(([, s]) => s.occupancy));
      const ahead = baselines.length ? { callstreamAhead: cs.occupancy > best && cs.abandonRateUpper95 <= 0.03 } : {};
      reports.push({ ...report, seed, seconds, ...ahead });
      perSeed.push(report);
      if (!opts.json) printTable({ ...report, seed }, seconds);
    }
    if (seeds > 1) {
      const summary = summarizeSeeds(perSeed);
      seedSummaries.push({ floor: perSeed[0].floor, seeds, pacers: summary });
      if (!opts.json) {
        console.log(`floor ${perSeed[0].floor}, ${seeds} seeds: occupancy mean / worst, abandon95 mean / worst`);
        for (const [name, s] of Object.entries(summary)) {
          console.log(`  ${name.padEnd(13)} ${pct(s.occupancyMean)} / ${pct(s.occupancyWorst)}   ${pct(s.abandonRateUpper95Mean)} / ${pct(s.abandonRateUpper95Worst)}`);
        }
      }
    }
  }
  if (opts.json) console.log(JSON.stringify({ benchmark: 'dialer', reports, ...(seeds > 1 ? { seedSummaries } : {}) }, null, 2));
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
