import { PredictivePacer, type PredictiveOptions } from './predictivePacer.ts';
import { BoostPacer, ProgressivePacer, RatioPacer } from './simplePacers.ts';
import type { Clock, Pacer } from './types.ts';

export type { Clock, DialOutcome, Pacer } from './types.ts';
export { systemClock } from './types.ts';
export { PredictivePacer, type PredictiveOptions } from './predictivePacer.ts';
export { BoostPacer, ProgressivePacer, RatioPacer } from './simplePacers.ts';

export type PacerSpec =
  | { mode: 'progressive' }
  | { mode: 'vicidialRatio'; ratio: number }
  | { mode: 'boostFactor'; ratio: number }
  | ({ mode: 'callstream' } & PredictiveOptions);

export function createPacer(spec: PacerSpec, clock: Clock): Pacer {
  switch (spec.mode) {
    case 'progressive':
      return new ProgressivePacer(clock);
    case 'vicidialRatio':
      return new RatioPacer(clock, spec.ratio);
    case 'boostFactor':
      return new BoostPacer(clock, spec.ratio);
    case 'callstream':
      return new PredictivePacer(clock, spec);
  }
}
