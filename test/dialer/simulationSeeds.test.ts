import { describe, expect, it } from 'vitest';
import { compareOnFloor, runPacer, summarizeSeeds } from '../../src/dialer/simulation/compare.ts';
import { referenceFloor } from '../../src/dialer/simulation/floor.ts';
import { simulateShift } from '../../src/dialer/simulation/simulate.ts';

describe('dialer benchmark over several seeds', () => {
  const small = { ...referenceFloor, agents: 5, shiftHours: 1, shifts: 2 };

  it('different seeds give different shifts, the same seed the same shift', () => {
    const a = simulateShift({ ...small, seed: 1 }, { mode: 'progressive' }, 0);
    const again = simulateShift({ ...small, seed: 1 }, { mode: 'progressive' }, 0);
    const b = simulateShift({ ...small, seed: 2 }, { mode: 'progressive' }, 0);
    expect(again).toEqual(a);
    expect(b).not.toEqual(a);
  });

  it('reports the mean and the worst seed per pacer: lowest occupancy, highest abandon bound', () => {
    const reports = [1, 2, 3].map((seed) => compareOnFloor({ ...small, seed }, 2));
    const summary = summarizeSeeds(reports);
    expect(Object.keys(summary).sort()).toEqual(['boostFactor', 'callstream', 'progressive', 'vicidialRatio']);
    for (const [name, s] of Object.entries(summary)) {
      const occ = reports.map((r) => r.pacers[name].occupancy);
      const up = reports.map((r) => r.pacers[name].abandonRateUpper95);
      expect(s.occupancyWorst).toBe(Math.min(...occ));
      expect(s.abandonRateUpper95Worst).toBe(Math.max(...up));
      expect(s.occupancyMean).toBeCloseTo(occ.reduce((x, y) => x + y, 0) / 3, 12);
      expect(s.occupancyWorst).toBeLessThanOrEqual(s.occupancyMean);
    }
  });

  it('runs the callstream pacer alone with experiment options: no baselines, and the options reach the pacer', () => {
    const floor = { ...referenceFloor, shiftHours: 2, shifts: 2 };
    const plain = compareOnFloor(floor, 2, { baselines: false });
    const loose = compareOnFloor(floor, 2, { baselines: false, callstream: { abandonTarget: 0.12 } });
    expect(Object.keys(plain.pacers)).toEqual(['callstream']);
    expect(plain.pacers.callstream).toEqual(runPacer(floor, { mode: 'callstream' }, 2));
    expect(loose.pacers.callstream.abandonRate).toBeGreaterThan(plain.pacers.callstream.abandonRate + 0.03);
  });
});
