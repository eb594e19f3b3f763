/**
 * Call machine <-> domain events of the call stream. Existing Call events are reused;
 * CallEarlyMedia and CallQueued are added here because the call aggregate has no event for them yet.
 */
import { initialTransition, transition } from 'xstate';
import { DomainError, type DomainEvent } from '../decider.ts';
import type { CallAbandoned, CallAnswered, CallBridged, CallEnded, CallHeld, CallResumed, CallRinging, CallTransferred } from '../call/events.ts';
import { callMachine, callStatus, type CallMachineEvent, type CallSnapshot } from './callMachine.ts';

type Base = { callId: string; at: string };
export type CallEarlyMedia = DomainEvent<'CallEarlyMedia', Base>;
/** A human answered and waits for an agent; connectRuleMs is how long before it counts as abandoned. */
export type CallQueued = DomainEvent<'CallQueued', Base & { queueId?: string; connectRuleMs: number; priority?: number }>;

export type CallStateEvent =
  | CallRinging
  | CallEarlyMedia
  | CallAnswered
  | CallQueued
  | CallBridged
  | CallHeld
  | CallResumed
  | CallTransferred
  | CallAbandoned
  | CallEnded;

export function callMachineEventOf(e: { type: string; data: Record<string, any> }): CallMachineEvent | undefined {
  const d = e.data;
  switch (e.type) {
    case 'CallRinging': return { type: 'RINGING' };
    case 'CallEarlyMedia': return { type: 'EARLY_MEDIA' };
    case 'CallAnswered': return { type: 'ANSWERED', answeredBy: d.answeredBy };
    case 'CallQueued': return { type: 'QUEUE', queueId: d.queueId };
    case 'CallBridged': return { type: 'BRIDGED', agentId: d.agentId };
    case 'CallHeld': return { type: 'HOLD' };
    case 'CallResumed': return { type: 'UNHOLD' };
    case 'CallTransferred': return { type: 'TRANSFERRED', to: d.to };
    case 'CallAbandoned': return { type: 'ABANDON', reason: d.reason };
    case 'CallEnded': return { type: 'HANGUP', cause: d.cause, hangupBy: d.hangupBy };
    default: return undefined;
  }
}

export function initialCallSnapshot(callId: string): CallSnapshot {
  return initialTransition(callMachine, { callId })[0];
}

/** Pure fold of the call stream into the machine's snapshot (no actions run). */
export function replayCall(callId: string, events: Array<{ type: string; data: Record<string, any> }>): CallSnapshot {
  let snap = initialCallSnapshot(callId);
  for (const e of events) {
    const me = callMachineEventOf(e);
    if (me) snap = transition(callMachine, snap, me)[0];
  }
  return snap;
}

export interface CallDecideExtras {
  /** For QUEUE: the connect rule in ms (default 2000). */
  connectRuleMs?: number;
  /** For QUEUE: an inbound caller's priority (VIP 10), so a restart keeps their place. */
  priority?: number;
  /** For ABANDON: how long the customer waited. */
  waitedMs?: number;
  /** For ABANDON: the recorded message the customer hears before the line drops (regulators require one). */
  message?: string;
  /** For TRANSFERRED. */
  mode?: 'blind' | 'attended';
  by?: string;
}

export const DEFAULT_CONNECT_RULE_MS = 2_000;

export function decideCall(snap: CallSnapshot, ev: CallMachineEvent, at: string, extras: CallDecideExtras = {}): CallStateEvent[] | DomainError {
  if (!snap.can(ev)) {
    return new DomainError('CALL_TRANSITION_REFUSED', `call is ${callStatus(snap)}; ${ev.type} is not allowed now`, {
      callId: snap.context.callId,
      status: callStatus(snap),
      event: ev.type,
    });
  }
  const base = { callId: snap.context.callId, at };
  switch (ev.type) {
    case 'RINGING': return [{ type: 'CallRinging', data: base }];
    case 'EARLY_MEDIA': return [{ type: 'CallEarlyMedia', data: base }];
    case 'ANSWERED': return [{ type: 'CallAnswered', data: { ...base, answeredBy: ev.answeredBy } }];
    case 'QUEUE':
      return [{ type: 'CallQueued', data: { ...base, queueId: ev.queueId, connectRuleMs: extras.connectRuleMs ?? DEFAULT_CONNECT_RULE_MS, priority: extras.priority } }];
    case 'BRIDGED': return [{ type: 'CallBridged', data: { ...base, agentId: ev.agentId } }];
    case 'HOLD': return [{ type: 'CallHeld', data: { ...base, by: extras.by } }];
    case 'UNHOLD': return [{ type: 'CallResumed', data: { ...base, by: extras.by } }];
    case 'TRANSFERRED':
      return [{ type: 'CallTransferred', data: { ...base, fromAgentId: snap.context.agentId, to: ev.to, mode: extras.mode ?? 'blind' } }];
    case 'ABANDON': return [{ type: 'CallAbandoned', data: { ...base, waitedMs: extras.waitedMs ?? 0, reason: ev.reason, ...(extras.message ? { message: extras.message } : {}) } }];
    case 'HANGUP': return [{ type: 'CallEnded', data: { ...base, cause: ev.cause, hangupBy: ev.hangupBy } }];
  }
}
