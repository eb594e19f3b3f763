/**
 * Simulated time. `timeScale` 100 makes a 20 s ring take 200 ms of wall time, so
 * tests and benchmarks run fast while event timestamps still read like real calls.
 */
export class SimClock {
  readonly timeScale: number;
  private readonly origin: number;
  private readonly wallOrigin: number;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(timeScale = 1, origin = Date.now()) {
    this.timeScale = timeScale;
    this.origin = origin;
    this.wallOrigin = performance.now();
  }

  /** Simulated ms since the epoch. */
  now(): number {
    return this.origin + (performance.now() - this.wallOrigin) * this.timeScale;
  }

  /** Run `fn` after `ms` of simulated time. */
  after(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, Math.max(0, ms / this.timeScale));
    this.timers.add(t);
    return t;
  }

  cancel(t: NodeJS.Timeout | undefined): void {
    if (!t) return;
    clearTimeout(t);
    this.timers.delete(t);
  }

  cancelAll(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
