import { PredictivePacer, type PredictiveOptions, type Supply } from '../pacing/predictivePacer.ts';
import type { KnownDemand } from '../pacing/riskModel.ts';
import type { Clock } from '../pacing/types.ts';

/**
 * NOT REALISABLE: oracle variants of the callstream pacer, for the benchmark only, to measure where the
 * occupancy gap is. The simulator tells the pacer what no live dialer can know:
 *  - 'agentFree': when each talking agent will be free again (talk end known at connect, plus wrap-up);
 *  - 'answers': which ringing dials will be answered (not when: their answer time is still drawn from
 *    the learned ring-time distribution given the dial's age);
 *  - 'both'.
 * Everything else (the decision rule, the abandon-budget controller, the learned distributions) is the
 * live pacer's own, so the gain measures the value of the information alone.
 */
export type Oracle = 'agentFree' | 'answers' | 'both';

export const ORACLES: readonly Oracle[] = ['agentFree', 'answers', 'both'];

export class OraclePacer extends PredictivePacer {
  readonly oracle: Oracle;
  /** agent id -> clock second the agent is ready again (talk end + wrap-up). */
  private readonly freeAt = new Map<string, number>();
  /** Ringing dials that will be answered and need an agent. */
  private readonly answering = new Set<string>();

  constructor(clock: Clock, oracle: Oracle, options: PredictiveOptions = {}) {
    super(clock, options);
    this.oracle = oracle;
  }

  /** The simulator's secret: this agent, now connected, is ready again at `at` seconds. */
  tellFreeAt(agentId: string, at: number): void {
    this.freeAt.set(agentId, at);
  }

  /** The simulator's secret: this dial, just placed, will be answered and need an agent. */
  tellWillAnswer(dialId: string): void {
    this.answering.add(dialId);
  }

  override onAnswer(dialId: string): void {
    this.answering.delete(dialId);
    super.onAnswer(dialId);
  }

  override onNoAnswer(dialId: string, outcome: Parameters<PredictivePacer['onNoAnswer']>[1]): void {
    this.answering.delete(dialId);
    super.onNoAnswer(dialId, outcome);
  }

  protected override addSupply(supply: Supply, now: number, reach: number): void {
    if (this.oracle === 'answers') return super.addSupply(supply, now, reach);
    for (const [id, agent] of this.floor.agents) {
      if (agent.activity === 'idle') continue;
      const at = this.freeAt.get(id);
      if (at === undefined) continue;
      for (let t = Math.max(0, Math.ceil(at - now)); t <= reach; t++) supply.mean[t] += 1;
    }
  }

  protected override knownDemand(ansCdf: Float64Array, horizon: number, now: number): KnownDemand | undefined {
    if (this.oracle === 'agentFree') return undefined;
    const mean = new Float64Array(horizon + 1);
    const variance = new Float64Array(horizon + 1);
    const last = ansCdf.length - 1;
    for (const id of this.answering) {
      const placedAt = this.floor.ringing.get(id);
      if (placedAt === undefined) continue;
      const a = Math.floor(now - placedAt);
      const fa = ansCdf[Math.min(a, last)];
      // Sure to answer: the chance it answers within t is its ring-time tail given its age.
      for (let t = 1; t <= horizon; t++) {
        const q = fa >= 1 - 1e-9 ? 1 : (ansCdf[Math.min(a + t, last)] - fa) / (1 - fa);
        mean[t] += q;
        variance[t] += q * (1 - q);
      }
    }
    return { mean, variance };
  }
}
