/**
 * Online estimates with exponential forgetting, so a floor whose answer rate or talk times drift
 * is followed without per-floor tuning. `memory` is the effective number of recent observations.
 */
export class DecayingRate {
  private hits: number;
  private total: number;
  private readonly keep: number;
  constructor(prior: number, priorWeight: number, memory: number) {
    this.hits = prior * priorWeight;
    this.total = priorWeight;
    this.keep = 1 - 1 / memory;
  }
  observe(hit: boolean): void {
    this.hits = this.hits * this.keep + (hit ? 1 : 0);
    this.total = this.total * this.keep + 1;
  }
  value(): number {
    return this.total > 0 ? this.hits / this.total : 0;
  }
}

/** Histogram of durations in fixed-width bins; the last bin holds everything longer. */
export class DecayingHistogram {
  readonly binSec: number;
  readonly bins: Float64Array;
  private readonly keep: number;
  private weight = 0;
  private scale = 1;
  count = 0;
  private cdfCache: Float64Array | undefined;

  constructor(binSec: number, maxSec: number, memory: number) {
    this.binSec = binSec;
    this.bins = new Float64Array(Math.ceil(maxSec / binSec) + 1);
    this.keep = 1 - 1 / memory;
  }

  observe(sec: number): void {
    // Growing the new sample's weight instead of shrinking every bin keeps observe O(1).
    this.scale /= this.keep;
    if (this.scale > 1e100) this.rescale();
    const i = Math.min(this.bins.length - 1, Math.max(0, Math.floor(sec / this.binSec)));
    this.bins[i] += this.scale;
    this.weight += this.scale;
    this.count++;
    this.cdfCache = undefined;
  }

  private rescale(): void {
    for (let i = 0; i < this.bins.length; i++) this.bins[i] /= this.scale;
    this.weight /= this.scale;
    this.scale = 1;
  }

  /** cdf[i] = P(duration < (i + 1) * binSec), spreading each bin's mass evenly across it. */
  cdf(): Float64Array {
    if (this.cdfCache) return this.cdfCache;
    const out = new Float64Array(this.bins.length);
    let acc = 0;
    for (let i = 0; i < this.bins.length; i++) {
      acc += this.bins[i];
      out[i] = this.weight > 0 ? acc / this.weight : 0;
    }
    this.cdfCache = out;
    return out;
  }

  /** P(duration <= sec), linear inside a bin. */
  cdfAt(sec: number): number {
    if (sec <= 0) return 0;
    const c = this.cdf();
    const x = sec / this.binSec;
    const i = Math.floor(x);
    if (i >= c.length) return 1;
    const below = i === 0 ? 0 : c[i - 1];
    return below + (c[i] - below) * (x - i);
  }

  mean(): number {
    if (this.weight === 0) return 0;
    let s = 0;
    for (let i = 0; i < this.bins.length; i++) s += this.bins[i] * (i + 0.5) * this.binSec;
    return s / this.weight;
  }

  /** Smallest duration with all observed mass below it. */
  maxObserved(): number {
    for (let i = this.bins.length - 1; i >= 0; i--) if (this.bins[i] > 0) return (i + 1) * this.binSec;
    return 0;
  }
}
