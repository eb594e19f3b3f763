import type { PacerSpec, PredictiveOptions } from '../pacing/index.ts';
import type { Floor } from './floor.ts';
import type { Oracle } from './oracle.ts';
import { simulateShift } from './simulate.ts';
import { summarize, type Summary } from './summary.ts';

/** `oracle` (callstream only) runs a NOT REALISABLE variant told secrets by the simulator; see oracle.ts. */
export function runPacer(floor: Floor, spec: PacerSpec, shifts = floor.shifts, oracle?: Oracle): Summary {
  const results = [];
  for (let s = 0; s < shifts; s++) results.push(simulateShift(floor, spec, s, undefined, oracle));
  return summarize(results);
}

export interface Tuned {
  ratio: number;
  summary: Summary;
}

/**
 * The fixed-ratio baselines get the fairest treatment: the largest ratio whose pooled abandon rate
 * stays at or under the target on the very same shifts (common random numbers).
 */
export function tuneRatio(floor: Floor, mode: 'vicidialRatio' | 'boostFactor', shifts = floor.shifts, target = 0.03): Tuned {
  const run = (ratio: number) => runPacer(floor, { mode, ratio }, shifts);
  let lo = 1;
  let best = run(lo);
  if (best.abandonRate > target) return { ratio: lo, summary: best };
  let hi = 2;
  for (;;) {
    const s = run(hi);
    if (s.abandonRate > target) break;
    lo = hi;
    best = s;
    if (hi >= 64) return { ratio: lo, summary: best };
    hi *= 2;
  }
  for (let i = 0; i < 9; i++) {
    const mid = (lo + hi) / 2;
    const s = run(mid);
    if (s.abandonRate <= target) {
      lo = mid;
      best = s;
    } else hi = mid;
  }
  return { ratio: lo, summary: best };
}

export interface FloorReport {
  floor: string;
  agents: number;
  shifts: number;
  pacers: Record<string, Summary & { ratio?: number }>;
}

export interface CompareOptions {
  /** Options for the callstream pacer, for experiments (default: its own defaults, as the live dialer runs it). */
  callstream?: PredictiveOptions;
  /** Run and tune the baselines too (default true); off gives quick callstream-only runs. */
  baselines?: boolean;
  /** Also run the callstream pacer with these oracles (NOT REALISABLE; to locate the gap), as `oracle:<name>`. */
  oracles?: Oracle[];
}

export function compareOnFloor(floor: Floor, shifts = floor.shifts, options: CompareOptions = {}): FloorReport {
  const callstream = runPacer(floor, { mode: 'callstream', ...options.callstream }, shifts);
  const report = { floor: floor.name ?? 'unnamed', agents: floor.agents, shifts };
  const oracles: Record<string, Summary> = {};
  for (const o of options.oracles ?? []) oracles[`oracle:${o}`] = runPacer(floor, { mode: 'callstream', ...options.callstream }, shifts, o);
  if (options.baselines === false) return { ...report, pacers: { callstream, ...oracles } };
  const ratio = tuneRatio(floor, 'vicidialRatio', shifts);
  const boost = tuneRatio(floor, 'boostFactor', shifts);
  return {
    ...report,
    pacers: {
      progressive: runPacer(floor, { mode: 'progressive' }, shifts),
      vicidialRatio: { ...ratio.summary, ratio: ratio.ratio },
      boostFactor: { ...boost.summary, ratio: boost.ratio },
      callstream,
      ...oracles,
    },
  };
}

export interface SeedSummary {
  occupancyMean: number;
  occupancyWorst: number;
  abandonRateUpper95Mean: number;
  abandonRateUpper95Worst: number;
}

/** The same floor under several seeds: mean and worst case per pacer (worst = lowest occupancy, highest abandon bound). */
export function summarizeSeeds(reports: FloorReport[]): Record<string, SeedSummary> {
  const out: Record<string, SeedSummary> = {};
  for (const name of Object.keys(reports[0]?.pacers ?? {})) {
    const occ = reports.map((r) => r.pacers[name].occupancy);
    const up = reports.map((r) => r.pacers[name].abandonRateUpper95);
    out[name] = {
      occupancyMean: occ.reduce((s, x) => s + x, 0) / occ.length,
      occupancyWorst: Math.min(...occ),
      abandonRateUpper95Mean: up.reduce((s, x) => s + x, 0) / up.length,
      abandonRateUpper95Worst: Math.max(...up),
    };
  }
  return out;
}
