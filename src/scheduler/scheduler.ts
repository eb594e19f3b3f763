/**
 * Runs durable timers. `tick()` fires every due timer once, in due order; the clock is injected
 * so tests move time by hand. Delivery is at-least-once: the command runs, then TimerFired is
 * appended, so a crash in between re-runs the command after restart. Machines refuse a command
 * whose moment has passed (e.g. RESERVATION_EXPIRED once the agent answered), which makes that safe.
 */
import { WrongExpectedRevisionError } from '../eventstore/errors.ts';
import type { EventStore } from '../eventstore/types.ts';
import {
  foldTimers,
  TIMER_CATEGORY,
  TIMER_EVENT_TYPES,
  timerStreamId,
  type PendingTimer,
  type TimerCancelledData,
  type TimerFiredData,
  type TimerScheduledData,
} from './timers.ts';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Runs a fired timer's command; returns 'applied' or a short refusal note, throws to retry later. */
export type TimerHandler = (timer: PendingTimer) => Promise<string>;

export interface ScheduleRequest {
  timerId: string;
  kind: TimerScheduledData['kind'];
  dueAtMs: number;
  command: TimerScheduledData['command'];
}

export class Scheduler {
  readonly store: EventStore;
  readonly clock: Clock;
  private handler: TimerHandler;
  private pending = new Map<string, PendingTimer>();
  private running?: NodeJS.Timeout;
  private ticking?: Promise<number>;
  /** Called when a handler throws; the timer stays pending and is tried again next tick. */
  onError: (timer: PendingTimer, error: unknown) => void = () => {};

  constructor(store: EventStore, clock: Clock, handler: TimerHandler) {
    this.store = store;
    this.clock = clock;
    this.handler = handler;
  }

  setHandler(handler: TimerHandler): void {
    this.handler = handler;
  }

  /** Another module runs its own kinds of timer; every other timer still goes to the handler set before. */
  handleKinds(kinds: string[], handler: TimerHandler): void {
    const before = this.handler;
    this.handler = (t) => (kinds.includes(t.kind) ? handler(t) : before(t));
  }

  /** Rebuild the pending set from the event store (at start and after a restart). */
  async load(): Promise<number> {
    // Folded page by page: memory holds the pending timers, not every timer the floor ever set.
    const pending = new Map<string, PendingTimer>();
    let after = 0;
    for (;;) {
      const page = await this.store.readAll({ after, maxCount: 5000, filter: { streamPrefix: `${TIMER_CATEGORY}-`, eventTypes: TIMER_EVENT_TYPES } });
      foldTimers(page, pending);
      if (page.length < 5000) break;
      after = page[page.length - 1].position;
    }
    this.pending = pending;
    return this.pending.size;
  }

  async schedule(req: ScheduleRequest): Promise<void> {
    const data: TimerScheduledData = { timerId: req.timerId, kind: req.kind, dueAt: new Date(req.dueAtMs).toISOString(), command: req.command };
    try {
      await this.store.append(timerStreamId(req.timerId), [{ type: 'TimerScheduled', data, metadata: { occurredAt: new Date(this.clock.now()).toISOString() } }], 'no-stream');
    } catch (e) {
      // Already scheduled (a repeat after a retry or restart): the stored one stands.
      if (e instanceof WrongExpectedRevisionError) return;
      throw e;
    }
    this.pending.set(req.timerId, { ...data, dueAtMs: req.dueAtMs });
  }

  /**
   * Cancel a pending timer; false when it had already fired or been cancelled (or never existed).
   * The pending set is authoritative once load() has run at start, so unknown ids cost no write.
   */
  async cancel(timerId: string, reason: string): Promise<boolean> {
    if (!this.pending.has(timerId)) return false;
    const data: TimerCancelledData = { timerId, reason, at: new Date(this.clock.now()).toISOString() };
    try {
      await this.store.append(timerStreamId(timerId), [{ type: 'TimerCancelled', data }], 1);
    } catch (e) {
      if (e instanceof WrongExpectedRevisionError) {
        this.pending.delete(timerId);
        return false;
      }
      throw e;
    }
    this.pending.delete(timerId);
    return true;
  }

  pendingTimers(): PendingTimer[] {
    return [...this.pending.values()].sort((a, b) => a.dueAtMs - b.dueAtMs);
  }

  /** Fire every timer due at the clock's now; returns how many fired. Concurrent calls share one run. */
  tick(): Promise<number> {
    this.ticking ??= this.fireDue().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async fireDue(): Promise<number> {
    const now = this.clock.now();
    let fired = 0;
    for (const timer of this.pendingTimers()) {
      if (timer.dueAtMs > now) break;
      if (!this.pending.has(timer.timerId)) continue; // cancelled by an earlier handler in this tick
      let outcome: string;
      try {
        outcome = await this.handler(timer);
      } catch (e) {
        this.onError(timer, e);
        continue;
      }
      const data: TimerFiredData = { timerId: timer.timerId, firedAt: new Date(now).toISOString(), outcome };
      try {
        await this.store.append(timerStreamId(timer.timerId), [{ type: 'TimerFired', data }], 1);
      } catch (e) {
        if (!(e instanceof WrongExpectedRevisionError)) throw e;
      }
      this.pending.delete(timer.timerId);
      fired++;
    }
    return fired;
  }

  /** Production loop on the real clock. */
  start(intervalMs = 100): void {
    this.running ??= setInterval(() => {
      this.tick().catch(() => {});
    }, intervalMs);
  }

  async stop(): Promise<void> {
    if (this.running) clearInterval(this.running);
    this.running = undefined;
    await this.ticking;
  }
}
