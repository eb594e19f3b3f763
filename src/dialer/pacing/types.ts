/** Milliseconds since an arbitrary epoch: `Date.now` live, virtual time in the benchmark. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Why a dial ended without needing an agent. 'machine' = the AMD heard an answering machine. */
export type DialOutcome = 'no_answer' | 'busy' | 'machine' | 'failed';

/**
 * The pacer is told every floor fact and answers one question: how many dials to place now.
 * The live dialer and the benchmark call exactly these methods; the pacer never reads the wall clock.
 */
export interface Pacer {
  readonly mode: string;
  /** The agent waits for a call: after login, or when wrap-up ends. */
  onAgentReady(agentId: string): void;
  onAgentLoggedOut(agentId: string): void;
  onDial(dialId: string): void;
  /** A live answer that needs an agent now (after answering-machine detection, if any). */
  onAnswer(dialId: string): void;
  /** The dial ended without needing an agent. */
  onNoAnswer(dialId: string, outcome: DialOutcome): void;
  /** The answered call reached an agent; the agent is talking. */
  onConnect(dialId: string, agentId: string): void;
  /** The answered call found no agent in time: the recorded message played, it counts against the target. */
  onAbandon(dialId: string): void;
  /** The conversation ended; the agent is in wrap-up. */
  onTalkEnd(agentId: string): void;
  /** The dial's call ended: one answered but never bridged nor abandoned (the customer hung up waiting) waits no more. */
  onEnded(dialId: string): void;
  dialsToPlace(): number;
  /** Numbers behind the last decision, for dashboards and logs. */
  explain(): Record<string, number | string>;
}
