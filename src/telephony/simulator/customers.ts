/**
 * The simulated customer population behind every sofia/gateway/<gw>/<number> dial.
 * Outcomes come from a seeded generator so a run can be replayed; tests script
 * single numbers to get exact behaviour.
 */

export type DialOutcome =
  | { kind: 'answer'; ringMs: number; talkMs: number; machine: boolean; earlyMedia: boolean }
  /** Rings until the originate timeout fires (NO_ANSWER). */
  | { kind: 'no-answer'; earlyMedia: boolean }
  /** Rejected by the far end after `afterMs`, with the SIP status that maps to `cause`. */
  | { kind: 'fail'; afterMs: number; cause: string; sipStatus: number };

export interface CustomerModelOptions {
  seed: number;
  answerProbability: number;
  /** Share of answered calls that are answering machines. */
  machineShare: number;
  /** Share of unanswered calls that are busy (the rest ring out, or fail). */
  busyShare: number;
  /** Share of calls that send 183 early media before answering or failing. */
  earlyMediaShare: number;
  ringMs: [number, number];
  talkMs: [number, number];
}

export const DEFAULT_CUSTOMERS: CustomerModelOptions = {
  seed: 1,
  answerProbability: 0.35,
  machineShare: 0.2,
  busyShare: 0.3,
  earlyMediaShare: 0.3,
  ringMs: [3_000, 20_000],
  talkMs: [20_000, 180_000],
};

/** Failures other than busy, with their SIP status (sofia_glue_sip_cause_to_freeswitch). */
const FAILURES: Array<[string, number]> = [
  ['NO_USER_RESPONSE', 480],
  ['UNALLOCATED_NUMBER', 404],
  ['CALL_REJECTED', 603],
  ['NORMAL_TEMPORARY_FAILURE', 503],
];

/** mulberry32: small, fast, good enough for a traffic model. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class CustomerModel {
  readonly options: CustomerModelOptions;
  private readonly rand: () => number;
  private readonly scripted = new Map<string, DialOutcome[]>();
  private readonly patterns: Array<{ pattern: RegExp; outcome: DialOutcome }> = [];

  constructor(options: Partial<CustomerModelOptions> = {}) {
    this.options = { ...DEFAULT_CUSTOMERS, ...options };
    this.rand = seededRandom(this.options.seed);
  }

  /** Fix the outcome of the next dial(s) to `number`; the last one scripted repeats. */
  script(number: string, ...outcomes: DialOutcome[]): void {
    this.scripted.set(number, outcomes);
  }

  /**
   * Every number matching `pattern` (dialled digits, no +) behaves as `outcome`, e.g. a company's outside lines
   * that answer and one that is always busy; a number scripted on its own goes first, then the latest pattern.
   */
  scriptPattern(pattern: RegExp, outcome: DialOutcome): void {
    this.patterns.unshift({ pattern, outcome });
  }

  outcome(number: string): DialOutcome {
    const queue = this.scripted.get(number);
    if (queue && queue.length > 0) return queue.length > 1 ? queue.shift()! : queue[0];
    const byPattern = this.patterns.find((p) => p.pattern.test(number));
    if (byPattern) return byPattern.outcome;
    const o = this.options;
    const earlyMedia = this.rand() < o.earlyMediaShare;
    if (this.rand() < o.answerProbability) {
      return { kind: 'answer', ringMs: this.between(o.ringMs), talkMs: this.between(o.talkMs), machine: this.rand() < o.machineShare, earlyMedia };
    }
    const r = this.rand();
    if (r < o.busyShare) return { kind: 'fail', afterMs: this.between([500, 3_000]), cause: 'USER_BUSY', sipStatus: 486 };
    if (r < o.busyShare + 0.15) {
      const [cause, sipStatus] = FAILURES[Math.floor(this.rand() * FAILURES.length)];
      return { kind: 'fail', afterMs: this.between([200, 2_000]), cause, sipStatus };
    }
    return { kind: 'no-answer', earlyMedia };
  }

  private between([min, max]: [number, number]): number {
    return Math.round(min + this.rand() * (max - min));
  }
}
