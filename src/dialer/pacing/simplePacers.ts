import { PacerBase } from './floorState.ts';
import type { Clock, Pacer } from './types.ts';

/** One dial per idle agent: never abandons, agents wait through every ring. */
export class ProgressivePacer extends PacerBase implements Pacer {
  readonly mode = 'progressive';
  dialsToPlace(): number {
    const f = this.floor;
    return Math.max(0, f.idle - f.ringing.size - f.waiting.size);
  }
}

/** VICIdial-style dial level: lines (ringing + answered + talking) = ratio x (ready + talking). */
export class RatioPacer extends PacerBase implements Pacer {
  readonly mode = 'vicidialRatio';
  readonly ratio: number;
  constructor(clock: Clock, ratio: number) {
    super(clock);
    this.ratio = ratio;
  }
  dialsToPlace(): number {
    const f = this.floor;
    const lines = f.ringing.size + f.waiting.size + f.talking;
    return Math.max(0, Math.floor(this.ratio * (f.idle + f.talking)) - lines);
  }
}

/** Boost factor: outstanding dials = ratio x idle agents. */
export class BoostPacer extends PacerBase implements Pacer {
  readonly mode = 'boostFactor';
  readonly ratio: number;
  constructor(clock: Clock, ratio: number) {
    super(clock);
    this.ratio = ratio;
  }
  dialsToPlace(): number {
    const f = this.floor;
    return Math.max(0, Math.floor(this.ratio * f.idle) - f.ringing.size - f.waiting.size);
  }
}
