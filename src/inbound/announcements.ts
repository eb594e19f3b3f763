/**
 * Queue position announcements: every N seconds a waiting caller hears their place in line
 * (VIP callers ahead count), recorded as QueuePositionAnnounced. Each announcement is a durable
 * timer of its own, so the rhythm survives a restart and stops once the caller is served or leaves.
 */
import { positionOf } from '../acd/queueOrder.ts';
import { callStreamId } from '../domain/call/streams.ts';
import type { PendingTimer } from '../scheduler/timers.ts';
import type { CallEndpoint } from '../telephony/session/callEndpoint.ts';
import type { MediaServer } from '../telephony/session/mediaServer.ts';

export const ANNOUNCE_TIMER = 'queue-announce';

/** FreeSWITCH stock prompts: "you are caller number" <n> (file_string plays them in a row). */
export function positionPrompt(position: number): string {
  const digits = String(position).split('').map((d) => `digits/${d}.wav`);
  return `file_string://${['ivr/ivr-you_are_number.wav', ...digits].join('!')}`;
}

export function isAnnounceTimer(t: PendingTimer): boolean {
  return t.kind === ANNOUNCE_TIMER;
}

/**
 * The next announcement for a waiting caller, if their entry or their queue asks for them (a caller restored
 * after a restart has no entry: the queue's setting applies).
 */
export async function scheduleAnnouncement(server: MediaServer, ep: CallEndpoint, n = 1): Promise<void> {
  const every = ep.options.announceEverySeconds ?? server.queues.queue(ep.options.queueId ?? 'default').announceEverySeconds;
  if (!every || every <= 0) return;
  await server.scheduler.schedule({
    timerId: `announce-${ep.callId}-${n}`,
    kind: ANNOUNCE_TIMER,
    dueAtMs: server.clock.now() + every * 1000,
    command: { target: 'call', id: ep.callId, event: { type: 'QUEUE_ANNOUNCE', n } },
  });
}

/** Tell the caller where they are, then schedule the next one; nothing once they are no longer waiting. */
export async function fireAnnouncement(server: MediaServer, t: PendingTimer): Promise<string> {
  const ep = server.endpoint(t.command.id);
  if (!ep) return 'refused: CALL_NOT_LIVE';
  if (ep.status !== 'queued' || ep.leftQueue) return `refused: caller no longer waiting (${ep.status})`;
  const n = Number(t.command.event.n ?? 0);
  if (ep.offered) {
    // An agent's phone is ringing for them: not now, but the rhythm goes on in case nobody answers.
    await scheduleAnnouncement(server, ep, n + 1);
    return 'deferred: being offered to an agent';
  }
  const queueId = ep.options.queueId ?? 'default';
  const waiting = [...server.endpoints.values()]
    .filter((w) => w.options.inbound && w.status === 'queued' && !w.leftQueue && !w.offered && (w.options.queueId ?? 'default') === queueId)
    .map((w) => ({ callId: w.callId, phone: w.options.phone ?? '', priority: w.options.priority ?? 0, enqueuedAt: new Date(w.queuedAtMs ?? 0).toISOString() }));
  const position = positionOf(waiting, ep.callId) ?? 1;
  const now = server.clock.now();
  await server.calls.broadcast(ep.callId, positionPrompt(position)).catch(() => {});
  await server.recorder.note(callStreamId(ep.callId), 'QueuePositionAnnounced', { callId: ep.callId, queueId, position, waitedMs: now - (ep.queuedAtMs ?? now) });
  await scheduleAnnouncement(server, ep, n + 1);
  return 'applied';
}
