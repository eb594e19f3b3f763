/**
 * Callback when free: instead of waiting on, the caller's number is kept (CallbackQueued), they hear a
 * goodbye and the call ends. When an agent able to take that queue's calls is free, the session rings
 * the agent first and then dials the customer; CallbackStarted on the original call names the agent
 * and the new call. Pending callbacks are folded from the log (QueueConfigs), so a restart keeps them.
 */
import { randomUUID } from 'node:crypto';
import { taken } from '../acd/liveRouting.ts';
import { routeCall } from '../acd/route.ts';
import type { AgentView } from '../acd/types.ts';
import { callStreamId } from '../domain/call/streams.ts';
import { CallEndpoint } from '../telephony/session/callEndpoint.ts';
import type { MediaServer } from '../telephony/session/mediaServer.ts';
import type { PendingCallback } from './queueConfigs.ts';
import { leaveVoicemail } from './voicemail.ts';

/** FreeSWITCH's stock "thank you for calling". */
export const CALLBACK_GOODBYE = 'ivr/ivr-thank_you_for_calling.wav';

/** Keep the caller's number for `queueId` and say goodbye; without a number, take a voicemail instead. */
export async function keepForCallback(server: MediaServer, ep: CallEndpoint, queueId: string): Promise<void> {
  const phone = ep.options.phone;
  if (!phone) {
    await leaveVoicemail(server, ep.callId, { queueId: ep.options.queueId });
    return;
  }
  ep.leftQueue = 'callback';
  await server.recorder.note(callStreamId(ep.callId), 'CallbackQueued', { callId: ep.callId, phone, queueId });
  server.queues.keepCallback({ callId: ep.callId, phone, queueId, sinceMs: server.clock.now() });
  ep.goodbye = CALLBACK_GOODBYE;
  await server.calls.broadcast(ep.callId, CALLBACK_GOODBYE);
}

/** The goodbye played: end the call politely from our side. */
export async function onGoodbyePlayed(server: MediaServer, ep: CallEndpoint): Promise<void> {
  ep.goodbye = undefined;
  ep.hangupBy = 'system';
  await server.calls.hangup(ep.callId).catch(() => {});
}

/**
 * Offer each kept callback, oldest first, to a free agent chosen by its queue's strategy and skills.
 * Runs inside dispatch: after callers waiting on the line, before dialer calls.
 */
export async function offerCallbacks(server: MediaServer, views: () => AgentView[] = () => server.routing.agentViews()): Promise<void> {
  const pending = server.queues.pendingCallbacks();
  if (pending.length === 0) return;
  for (const cb of pending) {
    if (!views().some((v) => v.available)) return;
    await startCallback(server, cb, views());
  }
}

async function startCallback(server: MediaServer, cb: PendingCallback, views: AgentView[]): Promise<void> {
  const queue = server.queues.queue(cb.queueId).routing;
  const call = { callId: cb.callId, phone: cb.phone, enqueuedAt: new Date(cb.sinceMs).toISOString(), priority: 0 };
  const d = routeCall(call, { ...queue, strategy: queue.strategy === 'ring_all' ? 'longest_idle' : queue.strategy }, views, { lastAgentByPhone: {} });
  if (!d.winner) return;
  const callbackCallId = randomUUID();
  const ep = new CallEndpoint(callbackCallId, { queueId: cb.queueId, phone: cb.phone, preview: { agentId: d.winner, dial: server.customerDial(cb.phone), timeoutSec: 30 } });
  if (await server.offer(ep, d.winner)) return;
  taken(views, [d.winner]);
  server.legs.set(callbackCallId, { legId: callbackCallId, callId: callbackCallId, role: 'customer' });
  server.queues.callbackStarted(cb.callId);
  await server.recorder.note(callStreamId(cb.callId), 'CallbackStarted', {
    callId: cb.callId, phone: cb.phone, queueId: cb.queueId, agentId: d.winner, callbackCallId, reason: d.reason,
  });
}
