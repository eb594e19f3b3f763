/**
 * What a fired durable timer does. Each one re-checks the machine first: a timer whose moment
 * has passed (the agent answered, the call was bridged) is refused and changes nothing.
 */
import { DomainError } from '../../domain/decider.ts';
import type { AgentMachineEvent } from '../../domain/machines/agentMachine.ts';
import type { CallMachineEvent } from '../../domain/machines/callMachine.ts';
import { timerIds, type PendingTimer } from '../../scheduler/timers.ts';
import type { CallEndpoint } from './callEndpoint.ts';
import type { MediaServer } from './mediaServer.ts';

export async function fireTimer(server: MediaServer, t: PendingTimer): Promise<string> {
  const { target, id, event } = t.command;
  if (target === 'agent') {
    const r = await server.agentEvent(id, event as AgentMachineEvent, { commandId: `timer:${t.timerId}` });
    if (r instanceof DomainError) return `refused: ${r.code}`;
    if (event.type === 'RESERVATION_EXPIRED') {
      const ep = server.endpoints.get(event.callId as string);
      if (ep && ep.agentId === id) {
        const leg = ep.agentLeg;
        ep.agentId = undefined;
        ep.agentLeg = undefined;
        if (leg) await server.calls.hangup(leg, 'NO_ANSWER').catch(() => {});
      }
    }
    await server.dispatch();
    return 'applied';
  }
  const ep = server.endpoints.get(id);
  if (!ep) return 'refused: CALL_NOT_LIVE';
  if (event.type === 'ABANDON') return abandon(server, ep);
  if (event.type === 'RING_TIMEOUT') return ringTimeout(server, ep);
  const r = await server.callEvent(ep, event as CallMachineEvent, { commandId: `timer:${t.timerId}` });
  return r ? `refused: ${r.code}` : 'applied';
}

/** Connect rule: no agent in time. Record the abandon, release any reserved agent, hang up the customer. */
export async function abandon(server: MediaServer, ep: CallEndpoint): Promise<string> {
  const waitedMs = ep.queuedAtMs === undefined ? 0 : server.clock.now() - ep.queuedAtMs;
  const r = await server.callEvent(ep, { type: 'ABANDON', reason: 'NO_AGENT_WITHIN_CONNECT_RULE' }, { waitedMs });
  if (r) return `refused: ${r.code}`;
  if (ep.agentId) {
    const agentId = ep.agentId;
    await server.agentEvent(agentId, { type: 'RESERVATION_EXPIRED', callId: ep.callId });
    await server.scheduler.cancel(timerIds.reservationExpiry(agentId, ep.callId), 'call abandoned');
    if (ep.agentLeg) await server.calls.hangup(ep.agentLeg).catch(() => {});
    ep.agentId = undefined;
    ep.agentLeg = undefined;
  }
  ep.hangupBy = 'system';
  await server.calls.hangup(ep.callId).catch(() => {});
  return 'applied';
}

/** Still not answered well past the originate timeout: end it as NO_ANSWER (the hangup fact records it). */
async function ringTimeout(server: MediaServer, ep: CallEndpoint): Promise<string> {
  if (!['dialing', 'ringing', 'early-media'].includes(ep.status)) return `refused: call is ${ep.status}`;
  ep.hangupBy = 'system';
  const gone = await server.calls.hangup(ep.callId, 'NO_ANSWER').then(() => false, () => true);
  if (gone) await server.callEvent(ep, { type: 'HANGUP', cause: 'NO_ANSWER', hangupBy: 'system' });
  return 'applied';
}
