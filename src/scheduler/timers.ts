/**
 * Durable timers as events: one `timer-<timerId>` stream per timer holding
 * TimerScheduled, then TimerFired or TimerCancelled. The fold of those streams is
 * the pending set, so timers survive a restart (XState `after` delays would not).
 */

export type TimerKind = 'ring-timeout' | 'wrap-up-end' | 'reservation-expiry' | 'connect-rule' | (string & {});

/** The command a timer sends when it fires: a machine event for one agent or one call. */
export interface ScheduledCommand {
  target: 'agent' | 'call';
  id: string;
  event: { type: string; [key: string]: unknown };
}

export interface TimerScheduledData {
  timerId: string;
  kind: TimerKind;
  /** ISO-8601 instant the command is due. */
  dueAt: string;
  command: ScheduledCommand;
  [key: string]: unknown;
}

export interface TimerFiredData {
  timerId: string;
  firedAt: string;
  /** What the command produced: 'applied', or 'refused: <code>' when the target had moved on. */
  outcome: string;
  [key: string]: unknown;
}

export interface TimerCancelledData {
  timerId: string;
  reason: string;
  at: string;
  [key: string]: unknown;
}

export const TIMER_CATEGORY = 'timer';
export const TIMER_EVENT_TYPES = ['TimerScheduled', 'TimerFired', 'TimerCancelled'];
export const timerStreamId = (timerId: string): string => `${TIMER_CATEGORY}-${timerId}`;

/** Plain timer ids, one per (kind, subject): a repeat schedule of the same id is a no-op. */
export const timerIds = {
  ringTimeout: (callId: string) => `ring-${callId}`,
  reservationExpiry: (agentId: string, callId: string) => `reservation-${agentId}-${callId}`,
  wrapUpEnd: (agentId: string, callId: string) => `wrapup-${agentId}-${callId}`,
  connectRule: (callId: string) => `connect-${callId}`,
};

export interface PendingTimer extends TimerScheduledData {
  dueAtMs: number;
}

/** Fold timer events into the pending set. */
export function foldTimers(events: Array<{ type: string; data: Record<string, unknown> }>, pending = new Map<string, PendingTimer>()): Map<string, PendingTimer> {
  for (const e of events) {
    const id = e.data.timerId as string;
    if (e.type === 'TimerScheduled') {
      const d = e.data as TimerScheduledData;
      pending.set(id, { ...d, dueAtMs: Date.parse(d.dueAt) });
    } else if (e.type === 'TimerFired' || e.type === 'TimerCancelled') {
      pending.delete(id);
    }
  }
  return pending;
}
