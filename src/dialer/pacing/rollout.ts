/**
 * Monte-Carlo rollout of the next few tens of seconds of a floor, for one pacing question: place one more
 * dial now, in a second, or not at all? Each scenario is one sampled future (when every busy agent is free,
 * which ringing dials are answered and when); the branches of the question share the scenarios (common
 * random numbers), so their difference is not noise. A branch costs its agent idle seconds plus
 * lambda x its abandons.
 */

/** Small seeded generator (mulberry32): the pacer's rollouts are reproducible. */
export class RolloutRandom {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** One sampled future. Times in seconds from now. */
export interface Scenario {
  /** When each logged-in agent is free for a call, ascending; 0 = free now; Infinity = not within the horizon. */
  agentFree: Float64Array;
  /** When each live answer that needs an agent comes, ascending (calls already waiting have negative times). */
  answers: number[];
  /** For candidate dial i placed now: when it is answered (Infinity = not answered); sampled as needed. */
  candidate: number[];
}

/** What the pacer knows of the floor now, and its learned distributions. */
export interface FloorSnapshot {
  /** Live-answer probability per dial. */
  p: number;
  /** ansCdf[s], otherCdf[s]: P(answered / ended unanswered within s seconds of dialing), per whole second. */
  ansCdf: Float64Array;
  otherCdf: Float64Array;
  /** Age in seconds of every ringing dial. */
  ringAges: number[];
  /** Seconds each answered call has already waited for an agent. */
  waited: number[];
  idle: number;
  /** Seconds left of wrap-up, per agent in wrap-up. */
  wrapLeft: number[];
  /** Per talking agent: row[t] = P(free again within t seconds), t = 0..horizon. */
  talkRows: Float64Array[];
}

function at(cdf: Float64Array, x: number): number {
  const last = cdf.length - 1;
  if (x >= last) return cdf[last];
  const i = Math.floor(x);
  return cdf[i] + (cdf[i + 1] - cdf[i]) * (x - i);
}

/** Smallest x >= from with cdf(x) >= target, linear inside a second; Infinity if never within the table. */
function inverse(cdf: Float64Array, target: number, from: number): number {
  const last = cdf.length - 1;
  for (let i = Math.max(0, Math.floor(from)); i < last; i++) {
    if (cdf[i + 1] >= target) {
      const d = cdf[i + 1] - cdf[i];
      const x = d > 1e-12 ? i + (target - cdf[i]) / d : i + 1;
      return Math.max(from, x);
    }
  }
  return Infinity;
}

/** When a dial placed now is answered (Infinity = not answered), from two uniforms. */
export function newDialAnswer(snap: FloorSnapshot, u1: number, u2: number): number {
  return u1 < snap.p ? inverse(snap.ansCdf, u2 * snap.ansCdf[snap.ansCdf.length - 1], 0) : Infinity;
}

/** Samples `n` futures of the floor in `snap`, up to `horizon` seconds. */
export function sampleScenarios(snap: FloorSnapshot, n: number, horizon: number, rng: RolloutRandom): Scenario[] {
  const out: Scenario[] = [];
  const { p, ansCdf, otherCdf } = snap;
  const agents = snap.idle + snap.wrapLeft.length + snap.talkRows.length;
  for (let k = 0; k < n; k++) {
    const agentFree = new Float64Array(agents);
    let m = snap.idle;
    for (const w of snap.wrapLeft) agentFree[m++] = w;
    for (const row of snap.talkRows) {
      const u = rng.next();
      agentFree[m++] = u < row[Math.min(horizon, row.length - 1)] ? inverse(row, u, 0) : Infinity;
    }
    agentFree.sort();
    const answers: number[] = [];
    for (const w of snap.waited) answers.push(-w);
    for (const a of snap.ringAges) {
      const fa = at(ansCdf, a);
      const alive = p * (1 - fa) + (1 - p) * (1 - at(otherCdf, a));
      if (alive <= 1e-12 || rng.next() * alive >= p * (1 - fa)) {
        rng.next();
        continue;
      }
      const t = inverse(ansCdf, fa + rng.next() * (1 - fa), a) - a;
      if (t < horizon) answers.push(t);
    }
    answers.sort((x, y) => x - y);
    out.push({ agentFree, answers, candidate: [] });
  }
  return out;
}

export interface Outcome {
  idle: number;
  abandons: number;
}

/**
 * Agents take answers first come, first served, each answer the agent free longest; an answer with no agent
 * within `connectWithin` seconds is abandoned. `extra` is one more answer time merged in (Infinity = none).
 * Idle is counted from max(free time, 0) to the connect or to the horizon.
 */
export function playOut(agentFree: Float64Array, answers: number[], extra: number, connectWithin: number, horizon: number): Outcome {
  let idle = 0;
  let abandons = 0;
  let j = 0;
  let i = 0;
  let extraUsed = !(extra < horizon);
  for (;;) {
    let t: number;
    if (i < answers.length && (extraUsed || answers[i] <= extra)) t = answers[i++];
    else if (!extraUsed) {
      t = extra;
      extraUsed = true;
    } else break;
    // Ascending: every later answer is past the horizon too.
    if (t >= horizon) break;
    const f = j < agentFree.length ? agentFree[j] : Infinity;
    if (f > t + connectWithin) {
      abandons++;
      continue;
    }
    j++;
    if (f < t) idle += Math.min(t, horizon) - Math.max(f, 0);
  }
  for (; j < agentFree.length; j++) if (agentFree[j] < horizon) idle += horizon - Math.max(agentFree[j], 0);
  return { idle, abandons };
}

/** Inserts x into the ascending array a. */
export function insertSorted(a: number[], x: number): void {
  let k = a.length;
  a.push(x);
  while (k > 0 && a[k - 1] > x) {
    a[k] = a[k - 1];
    k--;
  }
  a[k] = x;
}

export type RolloutRule = 'nowOrWait' | 'nowOrNever' | 'nowOrEither';

/**
 * How many dials to place now: the (k+1)-th goes out while placing it now costs less than placing it in
 * `waitSec` (rule 'nowOrWait'), than not placing it (rule 'nowOrNever'), or than both ('nowOrEither'),
 * counting the k placed before it. Scenarios gain the accepted dials' answers as it goes.
 */
export function decideDials(
  scenarios: Scenario[],
  candidate: (s: Scenario, k: number) => number,
  lambda: number,
  connectWithin: number,
  horizon: number,
  cap: number,
  rule: RolloutRule,
  waitSec = 1,
): number {
  let k = 0;
  while (k < cap) {
    let now = 0;
    let wait = 0;
    let never = 0;
    for (const s of scenarios) {
      const when = candidate(s, k);
      const a = playOut(s.agentFree, s.answers, when, connectWithin, horizon);
      now += a.idle + lambda * a.abandons;
      if (rule !== 'nowOrNever') {
        const b = playOut(s.agentFree, s.answers, when + waitSec, connectWithin, horizon);
        wait += b.idle + lambda * b.abandons;
      }
      if (rule !== 'nowOrWait') {
        const c = playOut(s.agentFree, s.answers, Infinity, connectWithin, horizon);
        never += c.idle + lambda * c.abandons;
      }
    }
    const better = rule === 'nowOrWait' ? now < wait : rule === 'nowOrNever' ? now < never : now < wait && now < never;
    if (!better) break;
    for (const s of scenarios) if (candidate(s, k) < horizon) insertSorted(s.answers, candidate(s, k));
    k++;
  }
  return k;
}
