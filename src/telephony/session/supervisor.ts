/**
 * Supervisor actions on a live call. Each is recorded on the call's stream with the supervisor
 * as actor and the reason they gave; the switch does the media work (eavesdrop / three_way).
 */
import { DomainError } from '../../domain/decider.ts';
import { callStreamId } from '../../domain/call/streams.ts';
import { isSupervisor } from '../../domain/rules.ts';
import type { MonitorMode } from '../../domain/call/events.ts';
import { timerIds } from '../../scheduler/timers.ts';
import { supervisorLegId, type CallEndpoint } from './callEndpoint.ts';
import { endForAgent } from './facts.ts';
import type { MediaServer } from './mediaServer.ts';

export interface SupervisorActor {
  actorId: string;
  actorRole: string;
  reason: string;
}

function check(server: MediaServer, callId: string, sup: SupervisorActor): CallEndpoint {
  if (!isSupervisor(sup.actorRole)) throw new DomainError('NOT_A_SUPERVISOR', 'only a supervisor, manager or admin may do this', { role: sup.actorRole });
  if (!sup.reason?.trim()) throw new DomainError('REASON_REQUIRED', 'give a reason; it is kept with the call');
  const ep = server.endpoint(callId);
  if (!ep || ep.status === 'ended') throw new DomainError('CALL_NOT_LIVE', `call ${callId} is not live on this server`);
  return ep;
}

/** Listen, whisper (to the agent only) or barge (three-way) from the supervisor's phone. */
export function monitor(server: MediaServer, callId: string, mode: MonitorMode, supervisorDial: string, sup: SupervisorActor): Promise<string> {
  return server.enqueue(async () => {
    const ep = check(server, callId, sup);
    if (!ep.agentLeg || !['bridged', 'held'].includes(ep.status)) throw new DomainError('NO_AGENT_ON_CALL', 'there is no agent on this call to monitor');
    const legId = supervisorLegId(callId, sup.actorId);
    server.legs.set(legId, { legId, callId, role: 'supervisor', supervisorId: sup.actorId });
    ep.monitors.set(legId, { supervisorId: sup.actorId, mode });
    await server.recorder.note(callStreamId(callId), 'CallMonitored', { callId, mode, supervisorId: sup.actorId }, sup);
    // Not awaited: the originate resolves only when the supervisor picks up.
    server.calls
      .eavesdrop({ supervisorCallId: legId, supervisorDial, targetCallId: ep.agentLeg, mode, tags: { campaignId: ep.options.campaignId } })
      .catch((e) => server.onError(e));
    return legId;
  });
}

export function endMonitor(server: MediaServer, callId: string, sup: SupervisorActor): Promise<void> {
  return server.enqueue(async () => {
    const ep = server.endpoint(callId);
    const legId = supervisorLegId(callId, sup.actorId);
    if (!ep?.monitors.has(legId)) return;
    ep.monitors.delete(legId);
    await server.calls.hangup(legId).catch(() => {});
    await server.recorder.note(callStreamId(callId), 'CallMonitorEnded', { callId, supervisorId: sup.actorId }, sup);
  });
}

export function forceHangUp(server: MediaServer, callId: string, sup: SupervisorActor): Promise<void> {
  return server.enqueue(async () => {
    const ep = check(server, callId, sup);
    await server.recorder.note(callStreamId(callId), 'CallForceHungUp', { callId, by: sup.actorId, reason: sup.reason }, sup);
    ep.hangupBy = 'system';
    await server.calls.hangup(callId);
  });
}

/** Move the customer to another agent: the current agent is released to wrap-up, the new one is rung. */
export function forceTransfer(server: MediaServer, callId: string, toAgentId: string, sup: SupervisorActor): Promise<void> {
  return server.enqueue(async () => {
    const ep = check(server, callId, sup);
    if (server.agents.status(toAgentId) !== 'ready') throw new DomainError('AGENT_NOT_READY', `agent ${toAgentId} is not ready to take a call`);
    const err = await server.callEvent(ep, { type: 'TRANSFERRED', to: { kind: 'agent', id: toAgentId } }, { actor: sup });
    if (err) throw err;
    await server.recorder.note(callStreamId(callId), 'CallForceTransferred', { callId, fromAgentId: ep.agentId, toAgentId, by: sup.actorId, reason: sup.reason }, sup);
    const from = ep.agentId;
    const fromLeg = ep.agentLeg;
    ep.agentId = undefined;
    ep.agentLeg = undefined;
    if (from) await endForAgent(server, from, callId, 'TRANSFERRED');
    if (fromLeg) await server.calls.hangup(fromLeg).catch(() => {});
    // The customer waits parked: the switch parks a leg whose bridge partner left.
    await server.scheduler.cancel(timerIds.connectRule(callId), 'transferred');
    const offered = await server.offer(ep, toAgentId);
    if (offered) throw offered;
  });
}
