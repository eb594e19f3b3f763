/**
 * Abandon-budget controller. The pacer dials while the new dial's chance of being abandoned is below
 * `threshold`; this controller moves the threshold so the campaign's realised rate sits at the setpoint.
 * log(threshold) = gain x unspent budget (setpoint x answers - abandons) + a slowly learned level:
 * every abandon tightens it, every connected answer loosens it a little, so the rate backs off as it
 * nears the target, and the level term drives the unspent budget back to zero (PI control).
 */
export interface AbandonBudgetOptions {
  /** Regulatory ceiling, share of live answers (0.03). */
  target: number;
  /** Answers expected in one compliance window; sets the margin left for chance (z x binomial sd). */
  answersPerWindow?: number;
  /** How many standard deviations of chance to keep under the target (default 0.6). */
  marginSd?: number;
  /** Humans the answering-machine detector hangs up on, as a share of live answers (Ofcom counts them as abandoned). */
  amdFalsePositiveRate?: number;
  initialThreshold?: number;
  /** How far one abandon moves log(threshold). */
  gain?: number;
  /** Per answer, how much of the unspent budget moves into the threshold's level. */
  levelLearning?: number;
  /** Answers after which an old abandon or saving has faded to 1/e (default 1000). */
  memoryAnswers?: number;
}

export class AbandonBudget {
  setpoint: number;
  private readonly target: number;
  private readonly marginSd: number;
  private readonly fp: number;
  private readonly gain: number;
  private readonly initial: number;
  private slack = 0;
  /** Slow integral of the slack: learns the threshold level itself, so the budget is neither hoarded nor overspent. */
  private level = 0;
  private readonly learn: number;
  private readonly keep: number;
  answers = 0;
  abandons = 0;

  constructor(options: AbandonBudgetOptions) {
    this.target = options.target;
    this.marginSd = options.marginSd ?? 0.6;
    this.fp = options.amdFalsePositiveRate ?? 0;
    this.setpoint = 0;
    this.setWindow(options.answersPerWindow ?? 1000);
    this.gain = options.gain ?? 0.1;
    this.initial = options.initialThreshold ?? 0.005;
    this.learn = options.levelLearning ?? 1 / 300;
    this.keep = 1 - 1 / (options.memoryAnswers ?? 1000);
  }

  /** Fewer answers per window means more chance in the window's rate, so a wider margin. */
  setWindow(answers: number): void {
    const margin = this.marginSd * Math.sqrt(this.target / Math.max(50, answers));
    // Detector hang-ups are abandons we never see, so the visible budget shrinks by them.
    this.setpoint = Math.max(0.001, (this.target - margin - this.fp) / (1 - this.fp));
  }

  record(abandoned: boolean): void {
    this.answers++;
    if (abandoned) this.abandons++;
    // The budget is rolling: old answers leave the window, so old overspending or saving fades.
    this.slack = this.slack * this.keep + (abandoned ? this.setpoint - 1 : this.setpoint);
    // Anti-windup: an idle hour must not bank a burst of abandons for later.
    const bound = 4 / this.gain;
    if (this.slack > bound) this.slack = bound;
    if (this.slack < -bound) this.slack = -bound;
    this.level = Math.max(-6, Math.min(6, this.level + this.learn * this.gain * this.slack));
  }

  threshold(): number {
    return Math.min(0.95, this.initial * Math.exp(this.gain * this.slack + this.level));
  }

  rate(): number {
    return this.answers ? this.abandons / this.answers : 0;
  }
}
