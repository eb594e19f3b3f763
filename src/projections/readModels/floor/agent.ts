import type { AgentEvent, Skill } from '../../../domain/agent/events.ts';

export type AgentPresence = 'logged_out' | 'ready' | 'not_ready' | 'reserved' | 'ringing' | 'talking' | 'held' | 'wrap_up';

export interface AgentDoc {
  agentId: string;
  name?: string;
  teamId?: string;
  departmentId?: string;
  skills: Skill[];
  extension?: string;
  state: AgentPresence;
  /** The not-ready reason code while not ready. */
  reason?: string;
  since?: string;
  callId?: string;
}

/** A stretch of time an agent spent in one state, for the hourly counters. */
export interface StateInterval {
  agentId: string;
  state: AgentPresence;
  reason?: string;
  from: string;
  to: string;
}

export type AgentSignal =
  | AgentEvent
  | { type: 'AgentTalking'; data: { agentId: string; callId: string; at: string } }
  | { type: 'AgentCallEnded'; data: { agentId: string; callId: string; at: string } }
  // Written by the call session's agent machine (src/domain/machines/agentEvents.ts).
  | { type: 'AgentReserved' | 'AgentRinging' | 'AgentReservationExpired' | 'AgentCallConnected'; data: { agentId: string; callId: string } }
  | { type: 'AgentCallHeld' | 'AgentCallResumed'; data: { agentId: string; callId: string } }
  | { type: 'AgentCallEnded'; data: { agentId: string; callId: string; cause?: string } }
  | { type: 'AgentWrapUpEnded'; data: { agentId: string; callId?: string } }
  | { type: 'AgentForcedReady'; data: { agentId: string; by: string; reason: string } }
  | { type: 'AgentForcedNotReady'; data: { agentId: string; by: string; reason: string; reasonCode: string } };

export const newAgent = (agentId: string): AgentDoc => ({ agentId, skills: [], state: 'logged_out' });

/**
 * Folds one agent event, or a call fact seen from the agent's side, into the agent document (in place).
 * Returns the interval the agent just left, if any.
 */
export function evolveAgent(current: AgentDoc | undefined, event: AgentSignal, at: string): { doc: AgentDoc; left?: StateInterval } {
  const doc = current ?? newAgent(event.data.agentId);
  let next: { state: AgentPresence; reason?: string; callId?: string } | undefined;
  switch (event.type) {
    case 'AgentRegistered':
      Object.assign(doc, { name: event.data.name, teamId: event.data.teamId, departmentId: event.data.departmentId, skills: event.data.skills });
      break;
    case 'AgentSkillsSet':
      doc.skills = event.data.skills;
      break;
    case 'AgentTeamChanged':
      Object.assign(doc, { teamId: event.data.teamId, departmentId: event.data.departmentId });
      break;
    case 'AgentLoggedIn':
      doc.extension = event.data.extension;
      next = { state: 'not_ready', reason: 'login' };
      break;
    case 'AgentLoggedOut':
      next = { state: 'logged_out' };
      break;
    case 'AgentReady':
      next = { state: 'ready' };
      break;
    case 'AgentNotReady':
      next = { state: 'not_ready', reason: event.data.reasonCode };
      break;
    // The session reserves an agent for a call, rings them, then bridges: the wallboard shows each step.
    case 'AgentReserved':
      if (doc.state !== 'logged_out') next = { state: 'reserved', callId: event.data.callId };
      break;
    case 'AgentRinging':
      if (doc.state === 'reserved' || (doc.state === 'ready' && !doc.callId)) next = { state: 'ringing', callId: event.data.callId };
      break;
    case 'AgentReservationExpired':
      if ((doc.state === 'reserved' || doc.state === 'ringing') && doc.callId === event.data.callId) next = { state: 'ready' };
      break;
    case 'AgentTalking':
    case 'AgentCallConnected':
      // The call's CallBridged and the agent's AgentCallConnected both say so; the second changes nothing.
      if (!(doc.state === 'talking' && doc.callId === event.data.callId)) next = { state: 'talking', callId: event.data.callId };
      break;
    case 'AgentCallHeld':
      if (doc.state === 'talking') next = { state: 'held', callId: doc.callId };
      break;
    case 'AgentCallResumed':
      if (doc.state === 'held') next = { state: 'talking', callId: doc.callId };
      break;
    case 'AgentCallEnded':
      if (doc.callId !== event.data.callId) break;
      // A call that ends before it was bridged (customer hung up while the agent rang) needs no wrap-up.
      if (doc.state === 'reserved' || doc.state === 'ringing') next = { state: 'ready' };
      else if (doc.state === 'talking' || doc.state === 'held') next = { state: 'wrap_up', callId: event.data.callId };
      break;
    // Without these the wallboard would keep an agent in wrap-up after the session put them back to ready.
    case 'AgentWrapUpEnded':
    case 'AgentForcedReady':
      if (doc.state !== 'logged_out') next = { state: 'ready' };
      break;
    case 'AgentForcedNotReady':
      if (doc.state !== 'logged_out') next = { state: 'not_ready', reason: event.data.reasonCode };
      break;
  }
  if (!next) return { doc };
  const left: StateInterval | undefined = doc.since ? { agentId: doc.agentId, state: doc.state, reason: doc.reason, from: doc.since, to: at } : undefined;
  doc.state = next.state;
  doc.reason = next.reason;
  doc.callId = next.callId;
  doc.since = at;
  return { doc, left };
}

/** Splits [from, to) into UTC hour buckets: [{ hour: 'YYYY-MM-DDTHH', ms }]. */
export function splitByHour(from: string, to: string): { hour: string; ms: number }[] {
  const out: { hour: string; ms: number }[] = [];
  let t = Date.parse(from);
  const end = Date.parse(to);
  while (t < end) {
    const next = Math.min(end, Math.floor(t / 3_600_000) * 3_600_000 + 3_600_000);
    out.push({ hour: new Date(t).toISOString().slice(0, 13), ms: next - t });
    t = next;
  }
  return out;
}
