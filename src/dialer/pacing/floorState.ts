import type { Clock, DialOutcome } from './types.ts';

export type AgentActivity = 'idle' | 'talking' | 'wrap';

export interface AgentSlot {
  activity: AgentActivity;
  /** Seconds (clock time) the current activity started. */
  since: number;
}

/**
 * What every pacer needs to know about the floor right now, kept from the pacer events.
 * Times are in seconds of the injected clock.
 */
export class FloorState {
  readonly clock: Clock;
  readonly agents = new Map<string, AgentSlot>();
  /** Ringing dials: dial id -> placed at. */
  readonly ringing = new Map<string, number>();
  /** Answered calls waiting for an agent: dial id -> answered at. */
  readonly waiting = new Map<string, number>();
  idle = 0;
  talking = 0;
  wrap = 0;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  now(): number {
    return this.clock.now() / 1000;
  }

  setAgent(agentId: string, activity: AgentActivity | undefined): AgentSlot | undefined {
    const previous = this.agents.get(agentId);
    if (previous) this.count(previous.activity, -1);
    if (activity === undefined) {
      this.agents.delete(agentId);
    } else {
      this.agents.set(agentId, { activity, since: this.now() });
      this.count(activity, 1);
    }
    return previous;
  }

  private count(activity: AgentActivity, delta: number): void {
    if (activity === 'idle') this.idle += delta;
    else if (activity === 'talking') this.talking += delta;
    else this.wrap += delta;
  }

  /** Returns the dial's age in seconds when it resolved, or undefined for an unknown dial. */
  resolveDial(dialId: string, answered: boolean): number | undefined {
    const placedAt = this.ringing.get(dialId);
    if (placedAt === undefined) return undefined;
    this.ringing.delete(dialId);
    if (answered) this.waiting.set(dialId, this.now());
    return this.now() - placedAt;
  }

  loggedIn(): number {
    return this.agents.size;
  }
}

/** The event plumbing shared by all pacers; subclasses add estimates and the decision. */
export abstract class PacerBase {
  abstract readonly mode: string;
  readonly floor: FloorState;

  constructor(clock: Clock) {
    this.floor = new FloorState(clock);
  }

  onAgentReady(agentId: string): void {
    const previous = this.floor.setAgent(agentId, 'idle');
    if (previous?.activity === 'wrap') this.wrapObserved(this.floor.now() - previous.since);
  }

  onAgentLoggedOut(agentId: string): void {
    this.floor.setAgent(agentId, undefined);
  }

  onDial(dialId: string): void {
    this.floor.ringing.set(dialId, this.floor.now());
  }

  onAnswer(dialId: string): void {
    const age = this.floor.resolveDial(dialId, true);
    if (age !== undefined) this.dialResolved(age, true);
  }

  onNoAnswer(dialId: string, _outcome: DialOutcome): void {
    const age = this.floor.resolveDial(dialId, false);
    if (age !== undefined) this.dialResolved(age, false);
  }

  onConnect(dialId: string, agentId: string): void {
    this.floor.waiting.delete(dialId);
    this.floor.setAgent(agentId, 'talking');
    this.answerOutcome(false);
  }

  onAbandon(dialId: string): void {
    if (this.floor.waiting.delete(dialId)) this.answerOutcome(true);
  }

  onTalkEnd(agentId: string): void {
    const previous = this.floor.setAgent(agentId, 'wrap');
    if (previous?.activity === 'talking') this.talkObserved(this.floor.now() - previous.since);
  }

  onEnded(dialId: string): void {
    this.floor.waiting.delete(dialId);
  }

  protected dialResolved(_ageSec: number, _answered: boolean): void {}
  protected answerOutcome(_abandoned: boolean): void {}
  protected talkObserved(_sec: number): void {}
  protected wrapObserved(_sec: number): void {}

  abstract dialsToPlace(): number;

  explain(): Record<string, number | string> {
    const f = this.floor;
    return { mode: this.mode, idle: f.idle, talking: f.talking, wrap: f.wrap, ringing: f.ringing.size, waiting: f.waiting.size };
  }
}
