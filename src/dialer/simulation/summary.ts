import type { ShiftResult } from './simulate.ts';

export interface Summary {
  occupancy: number;
  abandonRate: number;
  abandonRateUpper95: number;
  connectsPerAgentHour: number;
  dialsPerAgentHour: number;
  meanAgentWaitSec: number;
  shifts: number;
}

/** One-sided 95 % Student t quantile (Cornish-Fisher approximation, within 0.5 % for df >= 3). */
function t95(df: number): number {
  const z = 1.6448536;
  if (df <= 0) return Infinity;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

/** Pooled figures over shifts; the abandon bound is the mean of per-shift rates plus t x standard error. */
export function summarize(results: ShiftResult[]): Summary {
  const sum = (f: (r: ShiftResult) => number) => results.reduce((s, r) => s + f(r), 0);
  const agentHours = sum((r) => r.agentSeconds) / 3600;
  const rates = results.map((r) => (r.humanAnswers ? r.abandons / r.humanAnswers : 0));
  const n = rates.length;
  const mean = rates.reduce((s, x) => s + x, 0) / n;
  const sd = n > 1 ? Math.sqrt(rates.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : 0;
  const answers = sum((r) => r.humanAnswers);
  return {
    occupancy: sum((r) => r.busySeconds) / sum((r) => r.agentSeconds),
    abandonRate: answers ? sum((r) => r.abandons) / answers : 0,
    abandonRateUpper95: n > 1 ? mean + (t95(n - 1) * sd) / Math.sqrt(n) : mean,
    connectsPerAgentHour: sum((r) => r.connects) / agentHours,
    dialsPerAgentHour: sum((r) => r.dials) / agentHours,
    meanAgentWaitSec: sum((r) => r.waits) ? sum((r) => r.waitSeconds) / sum((r) => r.waits) : 0,
    shifts: n,
  };
}
