/**
 * Chance that one more dial placed now is answered when no agent can take it.
 *
 * Each ringing dial of age a still becomes a live answer with probability
 *   h(a) = p S_ans(a) / (p S_ans(a) + (1 - p) S_other(a)),
 * so old dials count for little and young ones for a lot. Agents free up by time t with the
 * residual talk-time distribution given how long they have been talking, plus wrap-up. A new dial
 * answered at time t is abandoned when the agents free by t + connectWithin are fewer than the
 * answers before it; both counts are sums of independent Bernoullis, taken as normal.
 */
export interface RiskInputs {
  /** Live-answer probability per dial. */
  p: number;
  /** ansCdf[s] = P(a live answer comes within s seconds of dialing), s = 0..horizon*2. */
  ansCdf: Float64Array;
  /** otherCdf[s] = P(a dial that is not answered ends within s seconds). */
  otherCdf: Float64Array;
  horizon: number;
  connectWithin: number;
  /** Ringing dials counted by whole seconds of age. */
  ringingByAge: Int32Array;
  /** Answers to come from the ringing dials, when known better than from ringingByAge (simulation oracles). */
  knownDemand?: KnownDemand;
  /** Dials per second the pacer keeps placing: some of them are answered before this one. */
  futureDialRate: number;
  /** Agents free now minus answered calls already waiting for one. */
  freeNow: number;
  /** freeBy[t] = probabilities, one per busy agent, summed: mean agents free by t; and their variance. */
  supplyMean: Float64Array;
  supplyVar: Float64Array;
  /** Third cumulant of the agents free by t (sum of q(1-q)(1-2q)); absent = treat as normal. */
  supplySkew?: Float64Array;
}

/** mean[t], variance[t]: live answers from the ringing dials within t seconds, t = 0..horizon. */
export interface KnownDemand {
  mean: Float64Array;
  variance: Float64Array;
}

export function normalCdf(x: number): number {
  // Abramowitz-Stegun 7.1.26 via erf; plenty for a dialing threshold.
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

export class RiskModel {
  private readonly demandMean: Float64Array;
  private readonly demandVar: Float64Array;
  private readonly demandSkew: Float64Array;
  private readonly inputs: RiskInputs;
  private readonly displacement: boolean;

  constructor(inputs: RiskInputs, displacement = true) {
    this.inputs = inputs;
    this.displacement = displacement;
    const { p, ansCdf, otherCdf, horizon, ringingByAge } = inputs;
    const mean = new Float64Array(horizon + 1);
    const variance = new Float64Array(horizon + 1);
    const skew = new Float64Array(horizon + 1);
    const last = ansCdf.length - 1;
    if (inputs.knownDemand) {
      mean.set(inputs.knownDemand.mean.subarray(0, horizon + 1));
      variance.set(inputs.knownDemand.variance.subarray(0, horizon + 1));
    }
    for (let a = 0; a < (inputs.knownDemand ? 0 : ringingByAge.length); a++) {
      const n = ringingByAge[a];
      if (n === 0) continue;
      const fa = ansCdf[Math.min(a, last)];
      const alive = p * (1 - fa) + (1 - p) * (1 - otherCdf[Math.min(a, last)]);
      if (alive <= 1e-9) continue;
      for (let t = 1; t <= horizon; t++) {
        const q = (p * (ansCdf[Math.min(a + t, last)] - fa)) / alive;
        mean[t] += n * q;
        variance[t] += n * q * (1 - q);
        skew[t] += n * q * (1 - q) * (1 - 2 * q);
      }
    }
    // Dials placed after this one but answered before it (a Poisson flow, so variance = mean).
    const rate = inputs.futureDialRate;
    if (rate > 0) {
      let acc = 0;
      for (let t = 1; t <= horizon; t++) {
        acc += p * ansCdf[t - 1];
        mean[t] += rate * acc;
        variance[t] += rate * acc;
        skew[t] += rate * acc;
      }
    }
    this.demandMean = mean;
    this.demandVar = variance;
    this.demandSkew = skew;
  }

  /**
   * Expected abandons one more dial adds, per live answer it brings: its own chance of finding no agent,
   * plus the chance it takes the agent a ringing dial answered after it would have needed.
   */
  abandonRisk(k: number): number {
    const { p, ansCdf, horizon, connectWithin, freeNow, supplyMean, supplyVar, supplySkew } = this.inputs;
    if (p <= 0) return 0;
    let own = 0;
    let displaced = 0;
    let mass = 0;
    for (let t = 1; t <= horizon; t++) {
      const s = Math.min(t + connectWithin, supplyMean.length - 1);
      const qNew = p * ansCdf[t];
      const others = (k - 1) * qNew;
      const mu = freeNow + supplyMean[s] - this.demandMean[t] - others;
      const v = supplyVar[s] + this.demandVar[t] + others * (1 - qNew);
      const k3 = (supplySkew ? supplySkew[s] : 0) - this.demandSkew[t] - others * (1 - qNew) * (1 - 2 * qNew);
      const short = shortfall(mu, v, supplySkew ? k3 : 0);
      const pd = p * (ansCdf[t] - ansCdf[t - 1]);
      own += pd * short;
      mass += pd;
      if (this.displacement) {
        const existing = this.demandMean[t] - this.demandMean[t - 1] + (k - 1) * pd;
        if (existing > 0) displaced += existing * (shortfall(mu - qNew, v + qNew * (1 - qNew)) - short);
      }
    }
    return mass > 0 ? (own + displaced) / mass : 0;
  }
}

/**
 * P(agents free minus answers waiting <= 0): normal with continuity correction, plus a one-term
 * Edgeworth correction for skew. The counts are small (a few agents, a few answers), so the tail the
 * threshold lives in is far from normal.
 */
function shortfall(mu: number, variance: number, k3 = 0): number {
  if (variance <= 1e-9) return mu < 0.5 ? 1 : 0;
  const sd = Math.sqrt(variance);
  const z = (0.5 - mu) / sd;
  const base = normalCdf(z);
  if (k3 === 0) return base;
  const gamma = k3 / (variance * sd);
  const corrected = base - (Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)) * (gamma / 6) * (z * z - 1);
  return Math.min(1, Math.max(0, corrected));
}
