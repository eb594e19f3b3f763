/**
 * What a fired durable timer does. Each one re-checks the machine first: a timer whose moment
 * has passed (the agent answered, the call was bridged) is refused and changes nothing.
 */
import { DomainError } from '../../domain/decider.ts';
import type { AgentMachineEvent } from '../../domain/machines/agentMachine.ts';
import { DEFAULT_CONNECT_RULE_MS } from '../../domain/machines/callEvents.ts';
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

/**
 * The message a customer hears when no agent came in time (UK Ofcom and US TSR both require one: who called
 * and that they will not be charged or sold to on this call). A sound file the switch can play.
 */
export const ABANDON_MESSAGE = 'callstream/abandoned-call-message.wav';
/** The line drops after the message even if the switch never reports its end. */
const ABANDON_MESSAGE_MAX_MS = 15_000;

/** Connect rule: no agent in time. Record the abandon, release any reserved agent, play the message, hang up. */
export async function abandon(server: MediaServer, ep: CallEndpoint): Promise<string> {
  const waitedMs = ep.queuedAtMs === undefined ? 0 : server.clock.now() - ep.queuedAtMs;
  const r = await server.recorder.call(ep.callId, { type: 'ABANDON', reason: 'NO_AGENT_WITHIN_CONNECT_RULE' }, {
    extras: { connectRuleMs: ep.options.connectRuleMs ?? DEFAULT_CONNECT_RULE_MS, waitedMs, message: ABANDON_MESSAGE },
  });
  if (r instanceof DomainError) return `refused: ${r.code}`;
  ep.applyStored(r.events);
  if (ep.agentId) {
    const agentId = ep.agentId;
    await server.agentEvent(agentId, { type: 'RESERVATION_EXPIRED', callId: ep.callId });
    await server.scheduler.cancel(timerIds.reservationExpiry(agentId, ep.callId), 'call abandoned');
    if (ep.agentLeg) await server.calls.hangup(ep.agentLeg).catch(() => {});
    ep.agentId = undefined;
    ep.agentLeg = undefined;
  }
  // Played outside the session's queue: the other calls' facts must not wait for this message to end.
  const callId = ep.callId;
  void (async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((resolve) => (timer = setTimeout(resolve, ABANDON_MESSAGE_MAX_MS)));
    await Promise.race([server.esl.execute(callId, 'playback', ABANDON_MESSAGE, true).catch(() => {}), timeout]);
    clearTimeout(timer);
    // Only now is it our hangup: a customer who put the phone down during the message hung up themselves.
    if (ep.status !== 'ended') ep.hangupBy = 'system';
    await server.calls.hangup(callId).catch(() => {});
  })();
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
