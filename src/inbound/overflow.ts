/**
 * Overflow: a caller who waited the queue's `overflow.afterSeconds` moves to the target queue, to
 * voicemail, or leaves their number for a callback; the queue's maxWaitSeconds ends the wait the same
 * way (to voicemail when no target is set). Both deadlines are durable timers, so a restart keeps them.
 */
import type { OverflowTarget } from '../domain/call/events.ts';
import { callStreamId } from '../domain/call/streams.ts';
import type { PendingTimer } from '../scheduler/timers.ts';
import { timerIds } from '../scheduler/timers.ts';
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
  // Forwarding to an outside number needs a route out of the switch the session does not have yet: voicemail, said so.
  const note = to.kind === 'number' ? { unsupported: `forwarding to ${to.id} is not supported yet; the caller leaves a voicemail` } : {};
  await server.recorder.note(callStreamId(ep.callId), 'CallOverflowed', { callId: ep.callId, from, to, waitedMs, reason, ...note });
  if (to.kind === 'queue' && to.id) {
    ep.options.queueId = to.id;
    ep.deferredReason = undefined;
    await scheduleQueueTimers(server, ep);
  } else if (to.kind === 'callback') {
    await keepForCallback(server, ep, to.id ?? from);
  } else {
    await leaveVoicemail(server, ep.callId, { queueId: from });
  }
}
