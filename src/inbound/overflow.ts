/**
 * Overflow: a caller who waited the queue's `overflow.afterSeconds` moves to the target queue, to
 * voicemail, to an outside number, or leaves their number for a callback; the queue's maxWaitSeconds ends
 * the wait the same way (to voicemail when no target is set). Both deadlines are durable timers, so a
 * restart keeps them.
 *
 * An outside number is dialled through the trunk the session dials customers with (`customerDial`) on a leg
 * of its own, and bridged to the caller once it answers; busy, no answer or a bad number sends the caller to
 * voicemail instead. While it rings the caller hears ring-back (not silence), broken off for the bridge or voicemail. Each step is on the call stream (CallForwarded, then CallForwardAnswered or
 * CallForwardFailed), which is also how a restart picks the forward up again.
 */
import type { OverflowTarget } from '../domain/call/events.ts';
import { callStreamId } from '../domain/call/streams.ts';
import { deterministicUuid } from '../eventstore/ids.ts';
import type { PendingTimer } from '../scheduler/timers.ts';
import { timerIds } from '../scheduler/timers.ts';
import type { LiveChannel, TelephonyFact } from '../telephony/esl/facts.ts';
import type { CallEndpoint } from '../telephony/session/callEndpoint.ts';
import type { MediaServer } from '../telephony/session/mediaServer.ts';
import { keepForCallback } from './callbackWhenFree.ts';
import { leaveVoicemail } from './voicemail.ts';

export const OVERFLOW_TIMER = 'queue-overflow';
export const MAX_WAIT_TIMER = 'queue-max-wait';

// Per queue: a caller moved on to another queue gets that queue's deadlines.
const overflowTimerId = (callId: string, queueId: string) => `overflow-${callId}-${queueId}`;
const maxWaitTimerId = (callId: string, queueId: string) => `maxwait-${callId}-${queueId}`;

export type OverflowReason = 'OVERFLOW_AFTER_WAIT' | 'MAX_WAIT_REACHED' | 'NO_QUALIFIED_AGENT';

export function isQueueTimer(t: PendingTimer): boolean {
  return t.kind === OVERFLOW_TIMER || t.kind === MAX_WAIT_TIMER;
}

/** The caller starts waiting in their queue: its overflow and maximum-wait deadlines from now. */
export async function scheduleQueueTimers(server: MediaServer, ep: CallEndpoint, maxWaitMs?: number): Promise<void> {
  const queueId = ep.options.queueId;
  if (!queueId) return;
  const q = server.queues.queue(queueId);
  const now = server.clock.now();
  ep.queueSinceMs = now;
  const overflow = q.routing.overflow;
  if (overflow) {
    await server.scheduler.schedule({
      timerId: overflowTimerId(ep.callId, queueId),
      kind: OVERFLOW_TIMER,
      dueAtMs: now + overflow.afterSeconds * 1000,
      command: { target: 'call', id: ep.callId, event: { type: 'QUEUE_OVERFLOW', queueId } },
    });
  }
  await server.scheduler.schedule({
    timerId: maxWaitTimerId(ep.callId, queueId),
    kind: MAX_WAIT_TIMER,
    dueAtMs: now + (maxWaitMs ?? q.maxWaitSeconds * 1000),
    command: { target: 'call', id: ep.callId, event: { type: 'QUEUE_MAX_WAIT', queueId } },
  });
}

export async function cancelQueueTimers(server: MediaServer, ep: CallEndpoint, reason: string): Promise<void> {
  const queueId = ep.options.queueId;
  if (!queueId) return;
  await server.scheduler.cancel(overflowTimerId(ep.callId, queueId), reason);
  await server.scheduler.cancel(maxWaitTimerId(ep.callId, queueId), reason);
}

/** A deadline came: refused when the caller is no longer waiting in that queue. */
export async function fireQueueTimer(server: MediaServer, t: PendingTimer): Promise<string> {
  const ep = server.endpoint(t.command.id);
  if (!ep) return 'refused: CALL_NOT_LIVE';
  const queueId = t.command.event.queueId as string;
  if (ep.status !== 'queued' || ep.leftQueue || ep.options.queueId !== queueId) return `refused: caller no longer waiting in ${queueId}`;
  await server.releaseRinging(ep, 'caller overflowed');
  if (ep.agentId) {
    // The phone of an agent still ringing: the deadline wins, as with the connect rule.
    const agentId = ep.agentId;
    await server.agentEvent(agentId, { type: 'RESERVATION_EXPIRED', callId: ep.callId });
    await server.scheduler.cancel(timerIds.reservationExpiry(agentId, ep.callId), 'caller overflowed');
    if (ep.agentLeg) await server.calls.hangup(ep.agentLeg).catch(() => {});
    ep.agentId = undefined;
    ep.agentLeg = undefined;
  }
  await overflow(server, ep, t.kind === OVERFLOW_TIMER ? 'OVERFLOW_AFTER_WAIT' : 'MAX_WAIT_REACHED');
  await server.dispatch();
  return 'applied';
}

/** Move the caller on, recorded as CallOverflowed { from, to, waitedMs, reason }. */
export async function overflow(server: MediaServer, ep: CallEndpoint, reason: OverflowReason): Promise<void> {
  const from = ep.options.queueId!;
  const q = server.queues.queue(from);
  const to: OverflowTarget = q.routing.overflow?.to ?? { kind: 'voicemail' };
  const waitedMs = server.clock.now() - (ep.queueSinceMs ?? ep.queuedAtMs ?? server.clock.now());
  await cancelQueueTimers(server, ep, reason === 'MAX_WAIT_REACHED' ? 'maximum wait reached' : 'caller overflowed');
  await server.recorder.note(callStreamId(ep.callId), 'CallOverflowed', { callId: ep.callId, from, to, waitedMs, reason });
  if (to.kind === 'number' && to.id) {
    await forwardOut(server, ep, from, to.id, waitedMs);
  } else if (to.kind === 'queue' && to.id) {
    ep.options.queueId = to.id;
    ep.deferredReason = undefined;
    await scheduleQueueTimers(server, ep);
  } else if (to.kind === 'callback') {
    await keepForCallback(server, ep, to.id ?? from);
  } else {
    await leaveVoicemail(server, ep.callId, { queueId: from });
  }
}

/** How long the outside number may ring before the caller leaves a voicemail instead. */
export const FORWARD_RING_SECONDS = 30;

/** Ring-back while the outside number rings: FreeSWITCH's stock ring tone (2 s on, 4 s off), looped until broken off. */
export const RING_BACK = 'tone_stream://%(2000,4000,440,480);loops=-1';

/** Derived from the call, so a restarted session finds the outside leg on the switch from the log alone. */
export const forwardLegId = (callId: string): string => `${callId}_fwd`;

type ChannelFact = Extract<TelephonyFact, { callId: string }>;

/** Dial the outside number on a leg of its own; its facts (forwardLegFact) bridge it or fall back to voicemail. */
async function forwardOut(server: MediaServer, ep: CallEndpoint, from: string, to: string, waitedMs: number): Promise<void> {
  const legId = forwardLegId(ep.callId);
  ep.leftQueue = 'forwarded';
  ep.forward = { legId, to, from, stage: 'dialing' };
  server.legs.set(legId, { legId, callId: ep.callId, role: 'outside' });
  await server.recorder.note(callStreamId(ep.callId), 'CallForwarded', { callId: ep.callId, from, to, waitedMs, legId }, {}, deterministicUuid(ep.callId, 'forwarded', legId));
  // Whatever the queue played stops; the caller hears the number ring (a caller gone meanwhile is seen by their hangup).
  await server.calls.stopMedia(ep.callId).catch(() => {});
  await server.calls.broadcast(ep.callId, RING_BACK).catch(() => {});
  server.calls
    .originate({ callId: legId, dial: server.customerDial(to), timeoutSec: FORWARD_RING_SECONDS })
    .catch(async (e: { hangupCause?: string }) => {
      // A leg the switch never created (bad dial string, trunk down) reports no hangup of its own: say it here.
      // A leg that exists reports its own, and so does one that did (whichever comes first settles the forward);
      // a lost connection (e.g. this process stopping) leaves the leg to the next reconcile.
      if (await server.calls.exists(legId).catch(() => true)) return;
      const gone: ChannelFact = { kind: 'hung-up', callId: legId, cause: e.hangupCause ?? 'NORMAL_TEMPORARY_FAILURE', coreId: 'local', seq: 0, at: server.clock.now(), tags: {} };
      await server.enqueue(async () => {
        // No channel, so no 'destroyed' fact will clear the leg: forget it here.
        server.legs.delete(legId);
        await forwardLegFact(server, ep, gone);
      });
    })
    .catch((err) => server.onError(err));
}

/** A fact of the outside leg: its answer bridges the caller to it; its hangup ends the forward. */
export async function forwardLegFact(server: MediaServer, ep: CallEndpoint, f: ChannelFact): Promise<void> {
  const fwd = ep.forward;
  if (!fwd || f.callId !== fwd.legId) return;
  const stream = callStreamId(ep.callId);
  if (f.kind === 'answered' && fwd.stage === 'dialing') {
    if (ep.status === 'ended') {
      await server.calls.hangup(fwd.legId).catch(() => {});
      return;
    }
    await server.calls.stopMedia(ep.callId).catch(() => {}); // the ring-back
    if (!(await server.calls.bridge(ep.callId, fwd.legId).then(() => true, () => false))) {
      // The caller went the same moment (their hangup ends the forward), or the switch refused: the outside leg's
      // hangup then counts as a failed forward, and a caller still there leaves a voicemail.
      await server.calls.hangup(fwd.legId).catch(() => {});
      return;
    }
    fwd.stage = 'bridged';
    await server.recorder.note(stream, 'CallForwardAnswered', { callId: ep.callId, to: fwd.to, legId: fwd.legId }, {}, deterministicUuid(ep.callId, 'forward-answered', fwd.legId));
    return;
  }
  if (f.kind !== 'hung-up') return;
  ep.forward = undefined;
  if (fwd.stage === 'bridged') {
    // The outside party hung up: the caller, parked after the bridge (public.xml's park_after_bridge), is hung up too.
    ep.hangupBy = 'system';
    await server.calls.hangup(ep.callId).catch(() => {});
    return;
  }
  await server.recorder.note(stream, 'CallForwardFailed', { callId: ep.callId, to: fwd.to, legId: fwd.legId, cause: f.cause }, {}, deterministicUuid(ep.callId, 'forward-failed', fwd.legId));
  if (ep.status === 'ended') return;
  await server.calls.stopMedia(ep.callId).catch(() => {}); // the ring-back, before the voicemail prompt
  await leaveVoicemail(server, ep.callId, { queueId: fwd.from });
}

/** The caller hung up while forwarded: the outside leg goes too (a number still ringing is a failed forward). */
export async function forwardCallerGone(server: MediaServer, ep: CallEndpoint): Promise<void> {
  const fwd = ep.forward;
  if (!fwd) return;
  ep.forward = undefined;
  if (fwd.stage === 'dialing') {
    await server.recorder.note(callStreamId(ep.callId), 'CallForwardFailed', { callId: ep.callId, to: fwd.to, legId: fwd.legId, cause: 'ORIGINATOR_CANCEL', callerHungUp: true }, {}, deterministicUuid(ep.callId, 'forward-failed', fwd.legId));
  }
  await server.calls.hangup(fwd.legId).catch(() => {});
}

/**
 * After a restart or reconnect, with the caller still on the switch: an outside leg that is gone ended while we
 * were away (`cause`); one that answered meanwhile is bridged now.
 */
export async function reconcileForward(server: MediaServer, ep: CallEndpoint, leg: LiveChannel | undefined, cause: string): Promise<void> {
  const fwd = ep.forward;
  if (!fwd) return;
  const at = { coreId: 'reconcile', seq: 0, at: server.clock.now(), tags: {} };
  if (!leg) await forwardLegFact(server, ep, { kind: 'hung-up', callId: fwd.legId, cause, ...at });
  else if (fwd.stage === 'dialing' && leg.callState === 'ACTIVE') await forwardLegFact(server, ep, { kind: 'answered', callId: fwd.legId, ...at });
}
