import { qualified, candidatesFor } from './candidates.ts';
import type { AgentView, QueueConfig, QueuedCall } from './types.ts';

/** Which waiting call an agent who just freed up takes: highest priority (VIP), then longest waiting. */
export function nextCall(waiting: QueuedCall[], agent: AgentView, queue: QueueConfig): QueuedCall | undefined {
  let best: QueuedCall | undefined;
  for (const call of waiting) {
    const [c] = candidatesFor([{ ...agent, available: true, loggedIn: true }], { ...queue.requiredSkills, ...call.requiredSkills }, queue.departments);
    if (!c.eligible) continue;
    if (!best || call.priority > best.priority || (call.priority === best.priority && Date.parse(call.enqueuedAt) < Date.parse(best.enqueuedAt))) best = call;
  }
  return best;
}

/** Something waiting for a ready agent, as dispatch ranks it against everything else waiting. */
export interface Waiting<T> {
  /** A caller on the line in a queue, an answered dialer customer, or a kept callback to dial. */
  kind: 'inbound' | 'dialer' | 'callback';
  /** 1..10: the queue's priority (inbound, callback) or the campaign's (dialer). */
  priority: number;
  /** Within the queue: VIP callers 10, others 0 (dialer calls and callbacks: 0). */
  callerPriority: number;
  /** Since when it waits (epoch ms): longest first. */
  sinceMs: number;
  item: T;
}

/** At equal priority a person who chose to call us goes first, then a customer we dialed, then a callback we owe. */
const KIND_ORDER = { inbound: 0, dialer: 1, callback: 2 } as const;

/**
 * The order dispatch serves waiting work in (VICIdial's queue and campaign priority): priority first, then the kind
 * (inbound, dialer, callback), then the caller's own priority (VIP), then who waited longest. So a higher queue's
 * caller goes before a lower queue's who waited longer, a campaign of 8 before a queue of 5, and a kept callback
 * goes last unless its queue ranks above the rest.
 */
export function dispatchOrder<T>(waiting: readonly Waiting<T>[]): Waiting<T>[] {
  return [...waiting].sort(
    (a, b) => b.priority - a.priority || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || b.callerPriority - a.callerPriority || a.sinceMs - b.sinceMs,
  );
}

/** 1-based position of a call in its queue, for position announcements. */
export function positionOf(waiting: QueuedCall[], callId: string): number | undefined {
  const sorted = [...waiting].sort((a, b) => b.priority - a.priority || Date.parse(a.enqueuedAt) - Date.parse(b.enqueuedAt));
  const i = sorted.findIndex((c) => c.callId === callId);
  return i < 0 ? undefined : i + 1;
}

export type OverflowDecision = { overflow: false } | { overflow: true; to: NonNullable<QueueConfig['overflow']>['to']; reason: string };

/** Overflow after the configured wait, or at once when nobody qualified is logged in. */
export function checkOverflow(call: QueuedCall, queue: QueueConfig, agents: AgentView[], now: string): OverflowDecision {
  const o = queue.overflow;
  if (!o) return { overflow: false };
  const able = qualified(candidatesFor(agents, { ...queue.requiredSkills, ...call.requiredSkills }, queue.departments)).length;
  if (able === 0) return { overflow: true, to: o.to, reason: 'no qualified agent logged in' };
  const waited = (Date.parse(now) - Date.parse(call.enqueuedAt)) / 1000;
  if (waited >= o.afterSeconds) return { overflow: true, to: o.to, reason: `waited ${Math.floor(waited)} s, limit ${o.afterSeconds} s` };
  return { overflow: false };
}

export interface QueueOutcome {
  waitedSeconds: number;
  answered: boolean;
}

/** Share of offered calls answered within the threshold (calls abandoned sooner than that are left out). */
export function serviceLevel(outcomes: QueueOutcome[], answerWithinSeconds: number): { level: number; offered: number; inTime: number } {
  const counted = outcomes.filter((o) => o.answered || o.waitedSeconds >= answerWithinSeconds);
  const inTime = counted.filter((o) => o.answered && o.waitedSeconds <= answerWithinSeconds).length;
  return { level: counted.length ? inTime / counted.length : 1, offered: counted.length, inTime };
}
