/**
 * What each switch fact means for the call and the agent, by the role of the leg it is about.
 * Duplicate or late facts are harmless: the machines refuse transitions that already happened.
 */
import { DomainError } from '../../domain/decider.ts';
import { timerIds } from '../../scheduler/timers.ts';
import { isChannelFact, type TelephonyFact } from '../esl/facts.ts';
import type { CallEndpoint, Leg } from './callEndpoint.ts';
import type { MediaServer } from './mediaServer.ts';
import { scheduleAnnouncement } from '../../inbound/announcements.ts';
import { onGoodbyePlayed } from '../../inbound/callbackWhenFree.ts';
import { cancelQueueTimers, forwardCallerGone, forwardLegFact, scheduleQueueTimers } from '../../inbound/overflow.ts';
import { onVoicemailPromptDone, onVoicemailStopped, samePrompt } from '../../inbound/voicemail.ts';
import { onRecordingStopped, startRecordingIfPolicy } from './recording.ts';

export async function handleLegFact(server: MediaServer, f: TelephonyFact): Promise<void> {
  if (!isChannelFact(f)) return;
  const leg = server.legs.get(f.callId);
  if (!leg) return;
  const ep = server.endpoints.get(leg.callId);
  if (!ep) return;
  if (leg.role === 'customer') await customerFact(server, ep, f);
  else if (leg.role === 'agent') await agentFact(server, ep, leg, f);
  else if (leg.role === 'outside') await forwardLegFact(server, ep, f);
  if (f.kind === 'destroyed') {
    server.legs.delete(f.callId);
    if (leg.role === 'customer') {
      server.endpoints.delete(ep.callId);
      server.recorder.forget(`call-${ep.callId}`);
    }
  }
}

type ChannelFact = Extract<TelephonyFact, { callId: string }>;

async function customerFact(server: MediaServer, ep: CallEndpoint, f: ChannelFact): Promise<void> {
  switch (f.kind) {
    case 'ringing':
      await server.callEvent(ep, { type: 'RINGING' });
      return;
    case 'early-media':
      await server.callEvent(ep, { type: 'EARLY_MEDIA' });
      return;
    case 'answered':
      ep.answeredAtMs = server.clock.now();
      await server.scheduler.cancel(timerIds.ringTimeout(ep.callId), 'answered');
      if (ep.options.amd && !ep.options.preview) {
        ep.awaitingAmd = true;
        // mod_amd is a dialplan application: run it with sendmsg, its verdict arrives as an amd-result fact.
        await server.esl.execute(ep.callId, 'amd', '', false);
        return;
      }
      await answered(server, ep, 'human');
      return;
    case 'amd-result':
      if (!ep.awaitingAmd) return;
      ep.awaitingAmd = false;
      // 'unsure' goes to an agent: dropping a live person is worse than an agent hearing a machine.
      await answered(server, ep, f.result === 'machine' ? 'machine' : 'human');
      return;
    case 'bridged':
      if (ep.agentLeg && f.otherCallId === ep.agentLeg) await bridged(server, ep);
      return;
    case 'held':
      if ((await server.callEvent(ep, { type: 'HOLD' })) === undefined && ep.agentId) await server.agentEvent(ep.agentId, { type: 'HOLD' });
      return;
    case 'resumed':
      if ((await server.callEvent(ep, { type: 'UNHOLD' })) === undefined && ep.agentId) await server.agentEvent(ep.agentId, { type: 'UNHOLD' });
      return;
    case 'recording-stopped':
      if (ep.voicemail?.file === f.path) await onVoicemailStopped(server, ep, f.ms);
      else await onRecordingStopped(server, ep, f.path, f.ms);
      return;
    case 'playback-stopped':
      if (samePrompt(f.path, ep.voicemail?.prompt)) await onVoicemailPromptDone(server, ep);
      else if (samePrompt(f.path, ep.goodbye)) await onGoodbyePlayed(server, ep);
      return;
    case 'hung-up':
      await customerGone(server, ep, f.cause);
      return;
    default:
      return;
  }
}

async function answered(server: MediaServer, ep: CallEndpoint, by: 'human' | 'machine'): Promise<void> {
  if (await server.callEvent(ep, { type: 'ANSWERED', answeredBy: by })) return;
  if (ep.leftQueue) return; // answered for voicemail or a goodbye, not for an agent
  if (ep.options.preview) {
    if (ep.agentLeg) await server.calls.bridge(ep.callId, ep.agentLeg);
    return;
  }
  if (by === 'machine') {
    // The dialer's machine policy (drop, or leave a message) runs from here; the call never reaches an agent.
    ep.hangupBy = 'system';
    await server.calls.hangup(ep.callId).catch(() => {});
    return;
  }
  await queueAnswered(server, ep);
}

/** An answered human call waits for an agent: CallQueued, the connect-rule timer, then dispatch. */
export async function queueAnswered(server: MediaServer, ep: CallEndpoint): Promise<void> {
  if (await server.callEvent(ep, { type: 'QUEUE', queueId: ep.options.queueId })) return;
  ep.queuedAtMs = server.clock.now();
  if (ep.options.inbound && ep.options.queueId) {
    // The queue's own deadlines (overflow, maximum wait) end an inbound caller's wait, not the dialer's connect rule.
    await scheduleQueueTimers(server, ep, ep.options.connectRuleMs);
    await server.dispatch();
    // Also when an agent was just offered: the first beat waits while their phone rings, and plays if nobody answers.
    await scheduleAnnouncement(server, ep);
    return;
  }
  await server.scheduler.schedule({
    timerId: timerIds.connectRule(ep.callId),
    kind: 'connect-rule',
    dueAtMs: server.clock.now() + (ep.options.connectRuleMs ?? 2_000),
    command: { target: 'call', id: ep.callId, event: { type: 'ABANDON', reason: 'NO_AGENT_WITHIN_CONNECT_RULE' } },
  });
  await server.dispatch();
}

async function bridged(server: MediaServer, ep: CallEndpoint): Promise<void> {
  const agentId = ep.agentId!;
  if (await server.callEvent(ep, { type: 'BRIDGED', agentId })) return;
  await server.scheduler.cancel(timerIds.connectRule(ep.callId), 'bridged to an agent');
  if (ep.options.inbound) await cancelQueueTimers(server, ep, 'bridged to an agent');
  await server.scheduler.cancel(timerIds.reservationExpiry(agentId, ep.callId), 'agent answered');
  await server.agentEvent(agentId, { type: 'CONNECTED', callId: ep.callId });
  await startRecordingIfPolicy(server, ep);
  if (ep.options.inbound) server.routing.rememberAnswered(ep, agentId);
}

async function customerGone(server: MediaServer, ep: CallEndpoint, cause: string): Promise<void> {
  if (ep.status === 'ended') return;
  ep.awaitingAmd = false;
  const hangupBy = ep.hangupBy ?? 'callee';
  if (ep.options.inbound && ep.waitingForAgent) {
    await server.callEvent(ep, { type: 'ABANDON', reason: 'CALLER_HUNG_UP' }, { waitedMs: server.clock.now() - (ep.queuedAtMs ?? server.clock.now()) });
  }
  await server.callEvent(ep, { type: 'HANGUP', cause, hangupBy });
  await server.scheduler.cancel(timerIds.connectRule(ep.callId), 'call ended');
  await server.scheduler.cancel(timerIds.ringTimeout(ep.callId), 'call ended');
  if (ep.options.inbound) await cancelQueueTimers(server, ep, 'call ended');
  for (const [agentId, legId] of [...ep.ringing]) {
    ep.ringing.delete(agentId);
    await endForAgent(server, agentId, ep.callId, cause);
    await server.calls.hangup(legId).catch(() => {});
  }
  if (ep.agentId) {
    await endForAgent(server, ep.agentId, ep.callId, cause);
    if (ep.agentLeg) await server.calls.hangup(ep.agentLeg).catch(() => {});
  }
  for (const supLeg of ep.monitors.keys()) await server.calls.hangup(supLeg).catch(() => {});
  if (ep.forward) await forwardCallerGone(server, ep);
}

/** The call ended for the agent: wrap-up after talking, straight back to ready if it never connected. */
export async function endForAgent(server: MediaServer, agentId: string, callId: string, cause: string): Promise<void> {
  const wasTalking = ['on-call', 'held'].includes(server.agents.status(agentId));
  const r = await server.agentEvent(agentId, { type: 'CALL_ENDED', callId, cause });
  if (r instanceof DomainError) return;
  await server.scheduler.cancel(timerIds.reservationExpiry(agentId, callId), 'call ended');
  if (wasTalking) {
    await server.scheduler.schedule({
      timerId: timerIds.wrapUpEnd(agentId, callId),
      kind: 'wrap-up-end',
      dueAtMs: server.clock.now() + server.wrapUpMs,
      command: { target: 'agent', id: agentId, event: { type: 'WRAP_UP_DONE', callId } },
    });
  } else {
    await server.dispatch();
  }
}

async function agentFact(server: MediaServer, ep: CallEndpoint, leg: Leg, f: ChannelFact): Promise<void> {
  const agentId = leg.agentId!;
  if (ep.ringing.get(agentId) === leg.legId) {
    await ringAllFact(server, ep, agentId, leg.legId, f);
    if (ep.agentLeg !== leg.legId) return;
  }
  const current = ep.agentLeg === leg.legId;
  switch (f.kind) {
    case 'ringing':
      if (current) await server.agentEvent(agentId, { type: 'AGENT_RINGING', callId: ep.callId });
      return;
    case 'answered':
      if (!current) return;
      if (ep.options.preview) {
        // Agent first, then the customer: the agent hears the ringback on their own leg.
        await server.agentEvent(agentId, { type: 'CONNECTED', callId: ep.callId });
        await server.scheduler.cancel(timerIds.reservationExpiry(agentId, ep.callId), 'agent answered');
        server.originate(ep, ep.callId, ep.options.preview.dial, ep.options.preview.timeoutSec, 'customer');
      } else if (ep.status === 'queued' || ep.status === 'transferred') {
        await server.calls.bridge(ep.callId, leg.legId);
      } else {
        await server.calls.hangup(leg.legId).catch(() => {});
      }
      return;
    case 'bridged':
      if (current && f.otherCallId === ep.callId) await bridged(server, ep);
      return;
    case 'hung-up': {
      if (!current) return;
      const status = server.agents.status(agentId);
      if (status === 'reserved' || status === 'ringing') {
        // The agent did not pick up (or rejected): release them and offer the call to someone else.
        ep.agentId = undefined;
        ep.agentLeg = undefined;
        if (ep.options.preview) {
          await endForAgent(server, agentId, ep.callId, f.cause);
          ep.hangupBy = 'agent';
          await server.calls.hangup(ep.callId).catch(() => {});
          await customerGone(server, ep, f.cause);
        } else {
          await server.agentEvent(agentId, { type: 'RESERVATION_EXPIRED', callId: ep.callId });
          await server.scheduler.cancel(timerIds.reservationExpiry(agentId, ep.callId), 'agent leg ended');
          await server.dispatch();
        }
      } else if (ep.status !== 'ended') {
        // The agent hung up on the customer.
        ep.hangupBy = 'agent';
        await server.calls.hangup(ep.callId).catch(() => {});
        if (!server.legs.has(ep.callId)) await customerGone(server, ep, f.cause);
      }
      return;
    }
    default:
      return;
  }
}

/**
 * One of several phones ringing for a ring-all offer. The first to answer becomes the call's agent
 * (the usual agent path then bridges); the others stop ringing. A phone that gives up leaves the rest
 * ringing; when none is left, the call is routed again.
 */
async function ringAllFact(server: MediaServer, ep: CallEndpoint, agentId: string, legId: string, f: ChannelFact): Promise<void> {
  if (f.kind === 'ringing') {
    await server.agentEvent(agentId, { type: 'AGENT_RINGING', callId: ep.callId });
  } else if (f.kind === 'answered') {
    if (ep.agentId || ep.status !== 'queued') return;
    ep.agentId = agentId;
    ep.agentLeg = legId;
    await server.releaseRinging(ep, 'another agent answered first', agentId);
  } else if (f.kind === 'hung-up') {
    ep.ringing.delete(agentId);
    await server.agentEvent(agentId, { type: 'RESERVATION_EXPIRED', callId: ep.callId });
    await server.scheduler.cancel(timerIds.reservationExpiry(agentId, ep.callId), 'agent leg ended');
    if (!ep.offered) await server.dispatch();
  }
}
