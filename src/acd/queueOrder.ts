import { qualified, candidatesFor } from './candidates.ts';
import type { AgentView, QueueConfig, QueuedCall } from './types.ts';

/** Which waiting call an agent who just freed up takes: highest priority (VIP), then longest waiting. */
export function nextCall(waiting: QueuedCall[], agent: AgentView, queue: QueueConfig): QueuedCall | undefined {
  let best: QueuedCall | undefined;
  for (const call of waiting) {
    const [c] = candidatesFor([{ ...agent, available: true, loggedIn: true }], { ...queue.requiredSkills, ...call.requiredSkills });
    if (!c.eligible) continue;
    if (!best || call.priority > best.priority || (call.priority === best.priority && Date.parse(call.enqueuedAt) < Date.parse(best.enqueuedAt))) best = call;
  }
  return best;
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
  const able = qualified(candidatesFor(agents, { ...queue.requiredSkills, ...call.requiredSkills })).length;
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
