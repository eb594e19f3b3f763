/**
 * Dialer pacing benchmark: discrete-event simulation of an outbound floor in virtual time, through the
 * real pacer code.  npm run bench:dialer -- [--json] [--floor FILE ...] [--shifts N]
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { compareOnFloor, type FloorReport } from '../src/dialer/simulation/compare.ts';
import { parseFloor, referenceFloor, type Floor } from '../src/dialer/simulation/floor.ts';

const program = new Command()
  .option('--json', 'print JSON only')
  .option('--floor <file...>', 'floor JSON files (default: the reference floor)')
  .option('--shifts <n>', 'override the number of shifts, for quick runs')
  .parse(process.argv.filter((a) => a !== '--'));
const opts = program.opts<{ json?: boolean; floor?: string[]; shifts?: string }>();

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

function printTable(report: FloorReport, seconds: number): void {
  console.log(`\nfloor ${report.floor}: ${report.agents} agents, ${report.shifts} shifts (${seconds.toFixed(1)} s)`);
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
  const shifts = opts.shifts ? Number(opts.shifts) : undefined;
  if (shifts !== undefined && !(Number.isInteger(shifts) && shifts > 0)) throw new Error(`--shifts must be a positive integer, got ${opts.shifts}`);
  const reports = [];
  for (const floor of floors) {
    const started = performance.now();
    const report = compareOnFloor(floor, shifts ?? floor.shifts);
    const seconds = (performance.now() - started) / 1000;
    const cs = report.pacers.callstream;
    const best = Math.max(report.pacers.vicidialRatio.occupancy, report.pacers.boostFactor.occupancy, report.pacers.progressive.occupancy);
    reports.push({ ...report, seconds, callstreamAhead: cs.occupancy > best && cs.abandonRateUpper95 <= 0.03 });
    if (!opts.json) printTable(report, seconds);
  }
  if (opts.json) console.log(JSON.stringify({ benchmark: 'dialer', reports }, null, 2));
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
