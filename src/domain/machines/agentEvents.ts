/**
 * Agent machine <-> domain events. Every transition that matters is one domain event on the
 * agent's stream; replaying those events through `transition()` rebuilds the machine.
 * The events the agent aggregate already defines are reused; the call-handling ones are added here.
 */
import { initialTransition, transition } from 'xstate';
import type { DomainEvent } from '../decider.ts';
import { DomainError } from '../decider.ts';
import type { AgentLoggedIn, AgentLoggedOut, AgentNotReady, AgentReady } from '../agent/events.ts';
import { agentHasLiveCall, agentMachine, agentStatus, type AgentMachineEvent, type AgentSnapshot } from './agentMachine.ts';

type Base = { agentId: string; at: string };
type CallBase = Base & { callId: string };

export type AgentReserved = DomainEvent<'AgentReserved', CallBase>;
export type AgentReservationExpired = DomainEvent<'AgentReservationExpired', CallBase>;
export type AgentRinging = DomainEvent<'AgentRinging', CallBase>;
export type AgentCallConnected = DomainEvent<'AgentCallConnected', CallBase>;
export type AgentCallHeld = DomainEvent<'AgentCallHeld', CallBase>;
export type AgentCallResumed = DomainEvent<'AgentCallResumed', CallBase>;
/** The call ended for this agent (hangup, vanished after a restart, or the agent logged out mid-call). */
export type AgentCallEnded = DomainEvent<'AgentCallEnded', CallBase & { cause: string }>;
export type AgentWrapUpEnded = DomainEvent<'AgentWrapUpEnded', Base & { callId?: string }>;
export type AgentForcedReady = DomainEvent<'AgentForcedReady', Base & { by: string; reason: string }>;
export type AgentForcedNotReady = DomainEvent<'AgentForcedNotReady', Base & { by: string; reason: string; reasonCode: string }>;

export type AgentStateEvent =
  | AgentLoggedIn
  | AgentLoggedOut
  | AgentReady
  | AgentNotReady
  | AgentReserved
  | AgentReservationExpired
  | AgentRinging
  | AgentCallConnected
  | AgentCallHeld
  | AgentCallResumed
  | AgentCallEnded
  | AgentWrapUpEnded
  | AgentForcedReady
  | AgentForcedNotReady;

export const AGENT_STATE_EVENT_TYPES: readonly string[] = [
  'AgentLoggedIn', 'AgentLoggedOut', 'AgentReady', 'AgentNotReady', 'AgentReserved', 'AgentReservationExpired',
  'AgentRinging', 'AgentCallConnected', 'AgentCallHeld', 'AgentCallResumed', 'AgentCallEnded', 'AgentWrapUpEnded',
  'AgentForcedReady', 'AgentForcedNotReady',
];

/** The machine event a stored domain event stands for; undefined for events that do not move the machine. */
export function agentMachineEventOf(e: { type: string; data: Record<string, any> }): AgentMachineEvent | undefined {
  const d = e.data;
  switch (e.type) {
    case 'AgentLoggedIn': return { type: 'LOGIN', extension: d.extension };
    case 'AgentLoggedOut': return d.by ? { type: 'FORCE_LOGOUT', by: d.by, reason: d.reason } : { type: 'LOGOUT', reason: d.reason };
    case 'AgentReady': return { type: 'READY' };
    case 'AgentNotReady': return { type: 'NOT_READY', reasonCode: d.reasonCode };
    case 'AgentReserved': return { type: 'OFFER', callId: d.callId };
    case 'AgentReservationExpired': return { type: 'RESERVATION_EXPIRED', callId: d.callId };
    case 'AgentRinging': return { type: 'AGENT_RINGING', callId: d.callId };
    case 'AgentCallConnected': return { type: 'CONNECTED', callId: d.callId };
    case 'AgentCallHeld': return { type: 'HOLD' };
    case 'AgentCallResumed': return { type: 'UNHOLD' };
    case 'AgentCallEnded': return { type: 'CALL_ENDED', callId: d.callId, cause: d.cause };
    case 'AgentWrapUpEnded': return { type: 'WRAP_UP_DONE', callId: d.callId };
    case 'AgentForcedReady': return { type: 'FORCE_READY', by: d.by, reason: d.reason };
    case 'AgentForcedNotReady': return { type: 'FORCE_NOT_READY', by: d.by, reason: d.reason, reasonCode: d.reasonCode };
    default: return undefined;
  }
}

export function initialAgentSnapshot(agentId: string): AgentSnapshot {
  return initialTransition(agentMachine, { agentId })[0];
}

/** Pure fold: the agent machine's snapshot after these stored events (no actions run). */
export function replayAgent(agentId: string, events: Array<{ type: string; data: Record<string, any> }>): AgentSnapshot {
  let snap = initialAgentSnapshot(agentId);
  for (const e of events) {
    const me = agentMachineEventOf(e);
    if (me) snap = transition(agentMachine, snap, me)[0];
  }
  return snap;
}

/**
 * Decide the domain events for a machine event, or refuse it when the machine cannot take it now.
 * Logout while a call is attached first records the call as ended for the agent, so nothing dangles.
 */
export function decideAgent(snap: AgentSnapshot, ev: AgentMachineEvent, at: string): AgentStateEvent[] | DomainError {
  if (!snap.can(ev)) {
    return new DomainError('AGENT_TRANSITION_REFUSED', `agent is ${agentStatus(snap)}; ${ev.type} is not allowed now`, {
      agentId: snap.context.agentId,
      status: agentStatus(snap),
      event: ev.type,
    });
  }
  const agentId = snap.context.agentId;
  const callId = snap.context.callId;
  const base = { agentId, at };
  switch (ev.type) {
    case 'LOGIN': return [{ type: 'AgentLoggedIn', data: { ...base, extension: ev.extension } }];
    case 'LOGOUT':
    case 'FORCE_LOGOUT': {
      const out: AgentStateEvent[] = [];
      if (callId && agentHasLiveCall(snap)) {
        out.push({ type: 'AgentCallEnded', data: { ...base, callId, cause: ev.type === 'LOGOUT' ? 'AGENT_LOGGED_OUT' : 'AGENT_FORCED_LOGOUT' } });
      }
      out.push({ type: 'AgentLoggedOut', data: ev.type === 'FORCE_LOGOUT' ? { ...base, reason: ev.reason, by: ev.by } : { ...base, reason: ev.reason } });
      return out;
    }
    case 'READY': return [{ type: 'AgentReady', data: base }];
    case 'NOT_READY': return [{ type: 'AgentNotReady', data: { ...base, reasonCode: ev.reasonCode } }];
    case 'OFFER': return [{ type: 'AgentReserved', data: { ...base, callId: ev.callId } }];
    case 'RESERVATION_EXPIRED': return [{ type: 'AgentReservationExpired', data: { ...base, callId: ev.callId } }];
    case 'AGENT_RINGING': return [{ type: 'AgentRinging', data: { ...base, callId: ev.callId } }];
    case 'CONNECTED': return [{ type: 'AgentCallConnected', data: { ...base, callId: ev.callId } }];
    case 'HOLD': return [{ type: 'AgentCallHeld', data: { ...base, callId: callId! } }];
    case 'UNHOLD': return [{ type: 'AgentCallResumed', data: { ...base, callId: callId! } }];
    case 'CALL_ENDED': return [{ type: 'AgentCallEnded', data: { ...base, callId: ev.callId, cause: ev.cause } }];
    case 'WRAP_UP_DONE': return [{ type: 'AgentWrapUpEnded', data: { ...base, callId } }];
    case 'FORCE_READY': return [{ type: 'AgentForcedReady', data: { ...base, by: ev.by, reason: ev.reason } }];
    case 'FORCE_NOT_READY':
      return [{ type: 'AgentForcedNotReady', data: { ...base, by: ev.by, reason: ev.reason, reasonCode: ev.reasonCode } }];
  }
}
