/**
 * An inbound caller joins a queue: the session hosts it as a CallEndpoint like a dialer call,
 * so answering it on the switch runs the same answered -> queued -> dispatch path and one
 * ready agent serves both inbound and outbound calls (blended).
 */
import { CallEndpoint } from '../telephony/session/callEndpoint.ts';
import type { MediaServer } from '../telephony/session/mediaServer.ts';

export interface QueueEntry {
  queueId: string;
  /** How long the caller may wait for an agent before the call counts as abandoned (default 5 min). */
  maxWaitMs?: number;
}

/** Call inside the media server's queue (e.g. from receiveInbound's onRouted). */
export async function enterQueue(server: MediaServer, callId: string, entry: QueueEntry): Promise<CallEndpoint> {
  const ep = new CallEndpoint(callId, { inbound: true, queueId: entry.queueId, connectRuleMs: entry.maxWaitMs ?? 300_000 });
  server.endpoints.set(callId, ep);
  server.legs.set(callId, { legId: callId, callId, role: 'customer' });
  // The answer fact drives CallAnswered, CallQueued and the offer to an agent.
  await server.esl.execute(callId, 'answer', '', false);
  return ep;
}

/** Inbound callers waiting for an agent right now. */
export function inboundWaiting(server: MediaServer): number {
  return server.inboundWaiting();
}
