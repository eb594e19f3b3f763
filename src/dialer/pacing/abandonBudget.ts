/**
 * Abandon-budget controller. The pacer dials while the new dial's chance of being abandoned is below
 * `threshold`; this controller moves the threshold so the campaign's realised rate sits at the setpoint.
 * log(threshold) is proportional to the unspent budget (setpoint x answers - abandons): every abandon
 * tightens it, every connected answer loosens it a little, so the rate backs off as it nears the target.
 */
export interface AbandonBudgetOptions {
  /** Regulatory ceiling, share of live answers (0.03). */
  target: number;
  /** Share of the target aimed at, leaving room for chance over a campaign window. */
  setpointShare?: number;
  /** Humans the answering-machine detector hangs up on, as a share of live answers (Ofcom counts them as abandoned). */
  amdFalsePositiveRate?: number;
  initialThreshold?: number;
  /** How far one abandon moves log(threshold). */
  gain?: number;
}

export class AbandonBudget {
  readonly setpoint: number;
  private readonly gain: number;
  private readonly initial: number;
  private slack = 0;
  answers = 0;
  abandons = 0;

  constructor(options: AbandonBudgetOptions) {
    const share = options.setpointShare ?? 0.96;
    const fp = options.amdFalsePositiveRate ?? 0;
    // Detector hang-ups are abandons we never see, so the visible budget shrinks by them.
    this.setpoint = Math.max(0.001, (options.target * share - fp) / (1 - fp));
    this.gain = options.gain ?? 0.1;
    this.initial = options.initialThreshold ?? 0.05;
  }

  record(abandoned: boolean): void {
    this.answers++;
    if (abandoned) this.abandons++;
    this.slack += abandoned ? this.setpoint - 1 : this.setpoint;
    // Anti-windup: an idle hour must not bank a burst of abandons for later.
    const bound = 12 / this.gain;
    if (this.slack > bound) this.slack = bound;
    if (this.slack < -bound) this.slack = -bound;
  }

  threshold(): number {
    return Math.min(0.95, this.initial * Math.exp(this.gain * this.slack));
  }

  rate(): number {
    return this.answers ? this.abandons / this.answers : 0;
  }
}
