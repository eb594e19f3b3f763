export type QueueStrategy = 'ring_all' | 'round_robin' | 'longest_idle' | 'fewest_calls' | 'least_talk_time' | 'random' | 'sticky';

/** An agent as routing sees it (from the agent projection). Times are ISO instants. */
export interface AgentView {
  agentId: string;
  /** Logged in, ready, not on a call. */
  available: boolean;
  loggedIn: boolean;
  /** skill -> level 1..10. */
  skills: Record<string, number>;
  idleSince?: string;
  callsToday: number;
  talkSecondsToday: number;
  /** The floor's preference group, lower first (people before bots on the demo floor); unset: one group. */
  group?: number;
  /** The agent's department (undefined: not in the log; such an agent is the whole floor's). */
  departmentId?: string;
}

export interface QueuedCall {
  callId: string;
  phone: string;
  enqueuedAt: string;
  /** Higher first: VIP callers jump the line. */
  priority: number;
  /** skill -> minimum level. */
  requiredSkills?: Record<string, number>;
}

export interface QueueConfig {
  queueId: string;
  strategy: QueueStrategy;
  /** For 'sticky': how to pick when the remembered agent is not free (default longest_idle). */
  fallback?: Exclude<QueueStrategy, 'sticky' | 'ring_all'>;
  /** Prefer agents with higher levels in the required skills before the strategy's own order. */
  preferSkillLevel?: boolean;
  requiredSkills?: Record<string, number>;
  /**
   * The queue's department and every department under it: only their agents take its calls (a BPO floor's other
   * clients' agents must not get this client's callers). Undefined: a queue of the whole floor (old logs).
   */
  departments?: string[];
  /** Send the call elsewhere after waiting this long, or at once when nobody able to take it is logged in. */
  overflow?: { afterSeconds: number; to: { kind: 'queue' | 'voicemail' | 'callback' | 'number'; id?: string } };
  serviceLevel?: { answerWithinSeconds: number; target: number };
  /** Seed for 'random', so a decision can be replayed. */
  seed?: number;
}

/** What the queue remembers between decisions. */
export interface QueueMemory {
  /** The agent the last round-robin call went to. */
  lastRoundRobin?: string;
  /** Caller number -> the agent who last spoke with them. */
  lastAgentByPhone: Record<string, string>;
}

export interface Candidate {
  agentId: string;
  eligible: boolean;
  /** Why not, when not eligible: OTHER_DEPARTMENT:<id>, NOT_AVAILABLE, MISSING_SKILL:<skill>, LOW_SKILL:<skill>. */
  why?: string;
  /** The reason in words, where the code alone does not say it (e.g. `other department d-2`). */
  note?: string;
  /** Sum of levels in the required skills. */
  skillScore: number;
}

/** Explainable routing: everything needed to say why this agent got this call. */
export interface RoutingDecision {
  callId: string;
  queueId: string;
  strategy: QueueStrategy;
  candidates: Candidate[];
  /** Agents to ring: one, or all eligible for ring_all. */
  ring: string[];
  /** The chosen agent; undefined for ring_all (the first to answer wins) or when nobody is free. */
  winner?: string;
  reason: string;
}
