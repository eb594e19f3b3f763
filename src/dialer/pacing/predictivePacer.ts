import { AbandonBudget } from './abandonBudget.ts';
import { DecayingHistogram, DecayingRate } from './estimators.ts';
import { PacerBase } from './floorState.ts';
import { RiskModel, type KnownDemand } from './riskModel.ts';
import { decideDials, newDialAnswer, RolloutRandom, sampleScenarios, type FloorSnapshot, type RolloutRule, type Scenario } from './rollout.ts';
import type { Clock, Pacer } from './types.ts';

export interface PredictiveOptions {
  /** Share of live answers that may be abandoned (default 0.03). */
  abandonTarget?: number;
  /** Seconds an answered call may wait for an agent before it is abandoned (default 2). */
  connectWithinSec?: number;
  /** Hours the abandon rate is judged over (a shift or a day: 8); the margin for chance is sized to it. */
  windowHours?: number;
  /**
   * Standard deviations of chance kept under the target (default 0.6). Spending the margin buys little:
   * on the reference floor (seed 1) 0.6 gives 91.16 % occupancy at 2.74 % abandoned, 0 gives 91.24 % at
   * 2.93 %, and -3 (over the target) 91.95 % at 3.74 %: about 0.8 point of occupancy per point of abandons.
   */
  marginSd?: number;
  /** Declared AMD false-positive rate (humans hung up as machines), counted into the budget. */
  amdFalsePositiveRate?: number;
  /** Hard cap on ringing dials per logged-in agent. */
  maxRingingPerAgent?: number;
  /** Count the dials the pacer will keep placing while this one rings (default false: measured worse). */
  futureDials?: boolean;
  /** How hard one abandon tightens the dialing threshold (see AbandonBudget). */
  budgetGain?: number;
  levelLearning?: number;
  memoryAnswers?: number;
  initialThreshold?: number;
  /** Also count the agents a new dial takes from dials already ringing (default false: measured no better). */
  displacement?: boolean;
  /** Correct the normal approximation of the shortfall for skew (default false: measured slightly worse). */
  skew?: boolean;
  /**
   * How each dial is decided: 'risk' (default) dials while the marginal dial's abandon risk is under the
   * budget's threshold; the rollout rules sample the next seconds (see rollout.ts) and dial while placing
   * the dial now costs less idle + lambda x abandons than waiting a second ('nowOrWait'), not dialing
   * ('nowOrNever') or either ('nowOrEither'), lambda = 1 / the budget's threshold; 'riskThenWait' lets the
   * risk rule say how many and the rollout only when. Measured (bench/results/pacer-frontier.md): the pure
   * rollouts cannot hold the target, the hybrid equals 'risk'; so 'risk' stays the default.
   */
  decision?: 'risk' | RolloutRule | 'riskThenWait';
  /** Dials after which an old answer-rate observation has faded to 1/e (default 600; 20000 measured +0.03 point). */
  answerMemory?: number;
  /** Multiplies the memory of the ring-time and talk-time estimates (default 1). */
  durationMemoryScale?: number;
  /** Sampled futures per rollout decision (default 32). */
  rolloutSamples?: number;
}

const MAX_RING_SEC = 120;

/** Agents free again by t seconds from now: mean, variance and third cumulant per second. */
export interface Supply {
  mean: Float64Array;
  variance: Float64Array;
  skew: Float64Array | undefined;
}

/**
 * Predictive pacing, self-tuned: learns the answer rate, ring times and talk times online, scores
 * each extra dial by its chance of being abandoned (using every ringing dial's age and every busy
 * agent's elapsed talk) and dials while that chance is under the abandon-budget threshold.
 */
export class PredictivePacer extends PacerBase implements Pacer {
  readonly mode = 'callstream';
  private readonly answerRate: DecayingRate;
  private readonly ringAnswered: DecayingHistogram;
  private readonly ringOther: DecayingHistogram;
  private readonly talk: DecayingHistogram;
  private readonly wrapUp = new DecayingHistogram(1, 600, 100);
  private readonly budget: AbandonBudget;
  private readonly connectWithin: number;
  private readonly maxRingingPerAgent: number;
  private readonly displacement: boolean;
  private readonly skew: boolean;
  private readonly windowHours: number;
  private readonly futureDials: boolean;
  private firstAnswerAt: number | undefined;
  private resolved = 0;
  /** Plain counts since start, for the cold start before the decaying estimates are trusted. */
  private resolvedAnswered = 0;
  private resolvedOther = 0;
  /** Dials per second, smoothed over about a minute: the flow of dials still to come. */
  private dialRate = 0;
  private lastDialAt: number | undefined;
  /** Distributions as arrays, rebuilt every few observations rather than every decision. */
  private tables: { ansCdf: Float64Array; otherCdf: Float64Array; horizon: number; at: number } | undefined;
  private talkResidual = new Map<number, Float64Array>();
  private talkResidualAt = -1;
  private last = { risk: 0, threshold: 0, dials: 0 };
  private readonly decision: 'risk' | RolloutRule | 'riskThenWait';
  private readonly rolloutSamples: number;
  private readonly rng = new RolloutRandom(12345);

  constructor(clock: Clock, options: PredictiveOptions = {}) {
    super(clock);
    this.answerRate = new DecayingRate(0.2, 10, options.answerMemory ?? 600);
    const scale = options.durationMemoryScale ?? 1;
    this.ringAnswered = new DecayingHistogram(1, MAX_RING_SEC, 400 * scale);
    this.ringOther = new DecayingHistogram(1, MAX_RING_SEC, 800 * scale);
    this.talk = new DecayingHistogram(2, 3600, 400 * scale);
    this.budget = new AbandonBudget({
      target: options.abandonTarget ?? 0.03,
      marginSd: options.marginSd,
      amdFalsePositiveRate: options.amdFalsePositiveRate,
      gain: options.budgetGain,
      levelLearning: options.levelLearning,
      memoryAnswers: options.memoryAnswers,
      initialThreshold: options.initialThreshold,
    });
    this.connectWithin = options.connectWithinSec ?? 2;
    this.windowHours = options.windowHours ?? 8;
    this.futureDials = options.futureDials ?? false;
    this.maxRingingPerAgent = options.maxRingingPerAgent ?? 12;
    this.displacement = options.displacement ?? false;
    this.skew = options.skew ?? false;
    this.decision = options.decision ?? 'risk';
    this.rolloutSamples = options.rolloutSamples ?? 32;
  }

  override onDial(dialId: string): void {
    super.onDial(dialId);
    const now = this.floor.now();
    if (this.lastDialAt !== undefined) {
      const w = Math.exp(-(now - this.lastDialAt) / 60);
      this.dialRate = this.dialRate * w + (1 - w) * (1 / Math.max(0.05, now - this.lastDialAt));
    }
    this.lastDialAt = now;
  }

  protected override dialResolved(ageSec: number, answered: boolean): void {
    this.resolved++;
    if (answered) this.resolvedAnswered++;
    else this.resolvedOther++;
    this.answerRate.observe(answered);
    (answered ? this.ringAnswered : this.ringOther).observe(ageSec);
  }
  protected override answerOutcome(abandoned: boolean): void {
    const now = this.floor.now();
    this.firstAnswerAt ??= now;
    this.budget.record(abandoned);
    const hours = (now - this.firstAnswerAt) / 3600;
    // Answers per window, measured: the margin for chance shrinks as the floor proves its volume.
    if (hours > 0.1) this.budget.setWindow((this.budget.answers / hours) * this.windowHours);
  }
  protected override talkObserved(sec: number): void {
    this.talk.observe(sec);
  }
  protected override wrapObserved(sec: number): void {
    this.wrapUp.observe(sec);
  }

  private warm(): boolean {
    return this.ringAnswered.count >= 30 && this.resolved >= 100 && this.talk.count >= 20;
  }

  dialsToPlace(): number {
    const f = this.floor;
    if (f.loggedIn() === 0) return 0;
    if (!this.warm()) return this.coldStart();
    if (this.decision !== 'risk' && this.decision !== 'riskThenWait') return this.rolloutDials(this.decision, Infinity);
    const model = this.buildModel();
    const threshold = this.budget.threshold();
    const cap = Math.max(0, Math.ceil(this.maxRingingPerAgent * f.loggedIn()) - f.ringing.size);
    let k = 0;
    let risk = 0;
    while (k < cap) {
      risk = model.abandonRisk(k + 1);
      if (risk > threshold) break;
      k++;
    }
    this.last = { risk, threshold, dials: k };
    // Hybrid: the risk rule says how many may go, the rollout whether each is better placed now than in a second.
    if (this.decision === 'riskThenWait' && k > 0) return this.rolloutDials('nowOrWait', k);
    return k;
  }

  private rolloutDials(rule: RolloutRule, most: number): number {
    const f = this.floor;
    const now = f.now();
    const { ansCdf, otherCdf, horizon } = this.ringTables();
    const reach = horizon + this.connectWithin;
    const wrapMean = this.wrapMean();
    const snap: FloorSnapshot = { p: this.answerRate.value(), ansCdf, otherCdf, ringAges: [], waited: [], idle: f.idle, wrapLeft: [], talkRows: [] };
    for (const placedAt of f.ringing.values()) snap.ringAges.push(now - placedAt);
    for (const answeredAt of f.waiting.values()) snap.waited.push(now - answeredAt);
    for (const agent of f.agents.values()) {
      const elapsed = now - agent.since;
      if (agent.activity === 'wrap') snap.wrapLeft.push(Math.max(0, wrapMean - elapsed));
      else if (agent.activity === 'talking') snap.talkRows.push(this.residual(Math.floor(elapsed / this.talk.binSec), reach, wrapMean));
    }
    const scenarios = sampleScenarios(snap, this.rolloutSamples, reach, this.rng);
    const rng = this.rng;
    const candidate = (s: Scenario, k: number) => {
      while (s.candidate.length <= k) s.candidate.push(newDialAnswer(snap, rng.next(), rng.next()));
      return s.candidate[k];
    };
    const threshold = this.budget.threshold();
    const cap = Math.min(most, Math.max(0, Math.ceil(this.maxRingingPerAgent * f.loggedIn()) - f.ringing.size));
    const k = decideDials(scenarios, candidate, 1 / threshold, this.connectWithin, reach, cap, rule);
    this.last = { risk: 0, threshold, dials: k };
    return k;
  }

  /**
   * Before the model is warm: keep as many dials ringing as free agents divided by a cautious (upper 95 %)
   * answer rate. With no data that rate is 1, so one dial per ready agent (progressive); it ramps up
   * towards the measured rate as dials resolve, without waiting for the full model.
   */
  private coldStart(): number {
    const f = this.floor;
    const free = f.idle - f.waiting.size;
    if (free <= 0) return 0;
    const n = this.resolvedAnswered + this.resolvedOther;
    const pHat = (this.resolvedAnswered + 1) / (n + 2);
    const pUp = Math.min(1, pHat + 1.645 * Math.sqrt((pHat * (1 - pHat)) / (n + 2)) + 2 / (n + 2));
    return Math.max(0, Math.floor(free / pUp + 1e-9) - f.ringing.size);
  }

  private ringTables() {
    if (this.tables && this.resolved - this.tables.at < 25) return this.tables;
    const observed = Math.max(this.ringAnswered.maxObserved(), this.ringOther.maxObserved());
    const horizon = Math.max(5, Math.min(MAX_RING_SEC, Math.ceil(observed)));
    const span = 2 * horizon + 2;
    const ansCdf = new Float64Array(span + 1);
    const otherCdf = new Float64Array(span + 1);
    for (let s = 0; s <= span; s++) {
      ansCdf[s] = this.ringAnswered.cdfAt(s);
      otherCdf[s] = this.ringOther.cdfAt(s);
    }
    this.tables = { ansCdf, otherCdf, horizon, at: this.resolved };
    return this.tables;
  }

  /** residual[t] = P(an agent talking for `key` bins is free again within t seconds), wrap-up included. */
  private residual(key: number, reach: number, wrapMean: number): Float64Array {
    if (this.talk.count - this.talkResidualAt >= 10) {
      this.talkResidual.clear();
      this.talkResidualAt = this.talk.count;
    }
    let row = this.talkResidual.get(key);
    if (row && row.length > reach) return row;
    row = new Float64Array(reach + 1);
    const done = this.talk.cdfAt(key * this.talk.binSec);
    const left = 1 - done;
    for (let t = 0; t <= reach; t++) {
      row[t] = left > 1e-9 ? Math.max(0, (this.talk.cdfAt(key * this.talk.binSec + t - wrapMean) - done) / left) : 0.5;
    }
    this.talkResidual.set(key, row);
    return row;
  }

  private buildModel(): RiskModel {
    const f = this.floor;
    const now = f.now();
    const { ansCdf, otherCdf, horizon } = this.ringTables();
    const ringingByAge = new Int32Array(horizon + 1);
    for (const placedAt of f.ringing.values()) {
      const a = Math.floor(now - placedAt);
      if (a <= horizon) ringingByAge[a]++;
    }
    const reach = horizon + this.connectWithin;
    const supply: Supply = {
      mean: new Float64Array(reach + 1),
      variance: new Float64Array(reach + 1),
      skew: this.skew ? new Float64Array(reach + 1) : undefined,
    };
    this.addSupply(supply, now, reach);
    return new RiskModel({
      p: this.answerRate.value(),
      ansCdf,
      otherCdf,
      horizon,
      connectWithin: this.connectWithin,
      ringingByAge,
      knownDemand: this.knownDemand(ansCdf, horizon, now),
      futureDialRate: this.futureDials ? this.dialRate : 0,
      freeNow: f.idle - f.waiting.size,
      supplyMean: supply.mean,
      supplyVar: supply.variance,
      supplySkew: supply.skew,
    }, this.displacement);
  }

  /** Mean wrap-up seconds learned so far (0 before the first one). */
  protected wrapMean(): number {
    return this.wrapUp.count > 0 ? this.wrapUp.mean() : 0;
  }

  /**
   * Agents free again by t seconds from now (t = 0..reach), summed into `supply`: wrap-up ends at its mean,
   * talk ends by the learned residual talk time given how long the agent has talked.
   */
  protected addSupply(supply: Supply, now: number, reach: number): void {
    const wrapMean = this.wrapMean();
    const talkBin = this.talk.binSec;
    const groups = new Map<number, number>();
    for (const agent of this.floor.agents.values()) {
      const elapsed = now - agent.since;
      if (agent.activity === 'talking') {
        const key = Math.floor(elapsed / talkBin);
        groups.set(key, (groups.get(key) ?? 0) + 1);
      } else if (agent.activity === 'wrap') {
        const remaining = Math.max(0, wrapMean - elapsed);
        for (let t = Math.ceil(remaining); t <= reach; t++) supply.mean[t] += 1;
      }
    }
    for (const [key, n] of groups) {
      const row = this.residual(key, reach, wrapMean);
      for (let t = 0; t <= reach; t++) {
        const q = row[t];
        supply.mean[t] += n * q;
        supply.variance[t] += n * q * (1 - q);
        if (supply.skew) supply.skew[t] += n * q * (1 - q) * (1 - 2 * q);
      }
    }
  }

  /** Live answers still to come from the ringing dials, if known better than by their ages (simulation oracles only). */
  protected knownDemand(_ansCdf: Float64Array, _horizon: number, _now: number): KnownDemand | undefined {
    return undefined;
  }

  override explain(): Record<string, number | string> {
    return {
      ...super.explain(),
      answerRate: this.answerRate.value(),
      threshold: this.last.threshold,
      lastRisk: this.last.risk,
      lastDials: this.last.dials,
      abandonRate: this.budget.rate(),
      setpoint: this.budget.setpoint,
    };
  }
}
