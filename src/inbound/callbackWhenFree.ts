/**
 * Callback when free: instead of waiting on, the caller's number is kept (CallbackQueued), they hear a
 * goodbye and the call ends. When an agent able to take that queue's calls is free, the session rings
 * the agent first and then dials the customer; CallbackStarted on the original call names the agent
 * and the new call. Pending callbacks are folded from the log (QueueConfigs), so a restart keeps them.
 * A callback is kept until the customer answers one of its tries: each try passes the dial-time compliance
 * gate (receipt CallDialAttempted / CallDialBlocked on the try's call) and ends with CallbackAttemptEnded on
 * the original call (outcome, customer tries so far, when it is tried again or null when done). Tries are made
 * within the queue's callback hours (QueueConfig.callbackHours, default 09:00-21:00 in the callee's zone); a try
 * refused outside them is tried again when they next open.
 */
import { randomUUID } from 'node:crypto';
import { handleCommand } from '../commands/handleCommand.ts';
import { callDecider } from '../domain/call/decider.ts';
import type { CallingHours } from '../domain/campaign/events.ts';
import { localTime } from '../dialer/compliance/localTime.ts';
import { checkDial, type DialLists } from '../dialer/compliance/checkDial.ts';
import { DialHistory } from '../dialer/compliance/dialHistory.ts';
import { taken } from '../acd/liveRouting.ts';
import { routeCall } from '../acd/route.ts';
import type { PendingTimer } from '../scheduler/timers.ts';
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
  server.queues.keepCallback({ callId: ep.callId, phone, queueId, sinceMs: server.clock.now(), tries: 0, notBeforeMs: server.clock.now() });
  ep.goodbye = CALLBACK_GOODBYE;
  await server.calls.broadcast(ep.callId, CALLBACK_GOODBYE);
}

/** The goodbye played: end the call politely from our side. */
export async function onGoodbyePlayed(server: MediaServer, ep: CallEndpoint): Promise<void> {
  ep.goodbye = undefined;
  ep.hangupBy = 'system';
  await server.calls.hangup(ep.callId).catch(() => {});
}

/** Tries that ring the customer before the callback is given up. */
export const CALLBACK_MAX_TRIES = 3;
/** Customer did not answer (busy, no answer, failed): tried again after this. */
export const CALLBACK_RETRY_MS = 10 * 60_000;
/** The agent missed the offer: another agent may take it soon. */
export const CALLBACK_AGENT_MISSED_RETRY_MS = 30_000;
/** Outside calling hours and no opening found within a week (a zone the hours cannot place): looked at again after this. */
export const CALLBACK_CLOSED_RETRY_MS = 30 * 60_000;
/** A try with no outcome after this (its call lost in a restart) is settled from its call's stream. */
const IN_FLIGHT_STALE_MS = 5 * 60_000;
const RULES_VERSION = 'callback-1';

// Compliance inputs from the log (lists and their versions, numbers on a live call), one reader per server.
const histories = new WeakMap<MediaServer, DialHistory>();
function historyOf(server: MediaServer): DialHistory {
  let h = histories.get(server);
  if (!h) histories.set(server, (h = new DialHistory(server.recorder.store)));
  return h;
}

/**
 * One kept callback, in dispatch's order (by its queue's priority against everything else waiting): a try under
 * way is settled once its call has ended; one due for a try goes to a free agent chosen by its queue's strategy
 * and skills (`views`: the agents as this dispatch sees them; the one offered is marked taken there).
 */
export async function offerCallback(server: MediaServer, cb: PendingCallback, views: AgentView[]): Promise<void> {
  const now = server.clock.now();
  if (cb.inFlight) return settleTry(server, cb, now);
  if (cb.notBeforeMs > now || !views.some((v) => v.available)) return;
  await startCallback(server, cb, views);
}

/** A try whose call has ended (or was lost) gets its outcome recorded; one still live is left alone. */
async function settleTry(server: MediaServer, cb: PendingCallback, now: number): Promise<void> {
  const { callbackCallId, startedMs } = cb.inFlight!;
  const ep = server.endpoint(callbackCallId);
  if (ep && ep.status !== 'ended') return;
  const events = await server.recorder.store.readStream(callStreamId(callbackCallId));
  const ended = events.find((e) => e.type === 'CallEnded')?.data as { cause?: string; hangupBy?: string } | undefined;
  if (!ended && now - startedMs < IN_FLIGHT_STALE_MS) return;
  if (events.some((e) => e.type === 'CallAnswered')) {
    await attemptEnded(server, cb, { callbackCallId, outcome: 'answered', tries: cb.tries + 1, retryAt: null });
    return;
  }
  // Nothing reached the customer when the agent's phone gave up first: that try is not the customer's.
  const customerRang = events.some((e) => e.type === 'CallRinging' || e.type === 'CallEarlyMedia') || (ended && ended.hangupBy !== 'agent');
  const tries = customerRang ? cb.tries + 1 : cb.tries;
  const outcome = customerRang ? 'not_answered' : 'agent_missed';
  const retryAt = tries >= CALLBACK_MAX_TRIES ? null : now + (customerRang ? CALLBACK_RETRY_MS : CALLBACK_AGENT_MISSED_RETRY_MS);
  await attemptEnded(server, cb, { callbackCallId, outcome, cause: ended?.cause ?? 'LOST', tries, retryAt });
}

async function attemptEnded(
  server: MediaServer,
  cb: PendingCallback,
  r: { callbackCallId: string; outcome: string; cause?: string; reasons?: string[]; tries: number; retryAt: number | null },
): Promise<void> {
  const retryAt = r.retryAt === null ? null : new Date(r.retryAt).toISOString();
  await server.recorder.note(callStreamId(cb.callId), 'CallbackAttemptEnded', {
    callId: cb.callId, phone: cb.phone, queueId: cb.queueId, callbackCallId: r.callbackCallId, outcome: r.outcome,
    ...(r.cause ? { cause: r.cause } : {}), ...(r.reasons ? { reasons: r.reasons } : {}), tries: r.tries, maxTries: CALLBACK_MAX_TRIES, retryAt,
  });
  server.queues.callbackAttemptEnded(cb.callId, r.tries, r.retryAt);
  // A quiet floor may not dispatch on its own when the retry comes due: a durable timer does.
  if (r.retryAt !== null) {
    await server.scheduler.schedule({ timerId: `callback-retry-${r.callbackCallId}`, kind: CALLBACK_TIMER, dueAtMs: r.retryAt, command: { target: 'call', id: cb.callId, event: { type: 'CALLBACK_DUE' } } });
  }
}

export const CALLBACK_TIMER = 'callback-retry';

export function isCallbackTimer(t: PendingTimer): boolean {
  return t.kind === CALLBACK_TIMER;
}

/** A kept callback's retry came due: look for a free agent now. */
export async function fireCallbackTimer(server: MediaServer): Promise<string> {
  await server.dispatch();
  return 'applied';
}

/** The customer asked for this call: a do-not-call entry is waived, and the receipt says so. */
function waiveDoNotCall(lists: DialLists, phone: string, callId: string): DialLists {
  if (!lists.doNotCall.has(phone)) return lists;
  const version = `${lists.doNotCall.version} waived: on the list, but the caller asked for this callback on call ${callId}`;
  return { ...lists, doNotCall: { version, has: () => false } };
}

async function startCallback(server: MediaServer, cb: PendingCallback, views: AgentView[]): Promise<void> {
  const settings = server.queues.queue(cb.queueId);
  const queue = settings.routing;
  const call = { callId: cb.callId, phone: cb.phone, enqueuedAt: new Date(cb.sinceMs).toISOString(), priority: 0 };
  const d = routeCall(call, { ...queue, strategy: queue.strategy === 'ring_all' ? 'longest_idle' : queue.strategy }, views, { lastAgentByPhone: {} });
  if (!d.winner) return;
  const history = historyOf(server);
  await history.catchUp();
  const nowMs = server.clock.now();
  // The customer is on another call right now (maybe calling us again): try at a later dispatch.
  if (history.livePhones(nowMs).has(cb.phone)) return;
  const now = new Date(nowMs).toISOString();
  const callbackCallId = randomUUID();
  const compliance = checkDial(
    { phone: cb.phone, now, attempts: cb.tries, recentDials: history.recentDials(cb.phone), predictive: false, campaignAbandons: { answers: 0, abandons: 0, window: 'n/a (callback)' } },
    { version: RULES_VERSION, callingHours: settings.callbackHours, maxAttempts: CALLBACK_MAX_TRIES, abandonRateTarget: 0.03 },
    waiveDoNotCall(history.lists(), cb.phone, cb.callId),
  );
  // The receipt names the hours it was judged by: the queue's own callback hours, or the default.
  compliance.inputs.callingHours = settings.callbackHours;
  await handleCommand(server.recorder.store, callDecider, callbackCallId, {
    type: 'DialCall',
    data: { callId: callbackCallId, phone: cb.phone, direction: 'outbound', agentId: d.winner, attempt: cb.tries + 1, selection: 'callback', compliance },
    meta: { now, commandId: `callback:${callbackCallId}`, actorId: 'system', actorRole: 'system' },
  });
  if (!compliance.allowed) {
    // Hours open again later; a blacklisted number or an unknown zone never becomes callable by waiting.
    const later = compliance.reasons.every((r) => r === 'OUTSIDE_CALLING_HOURS');
    const opens = later ? (nextOpening(nowMs, compliance.inputs.timeZone, settings.callbackHours) ?? nowMs + CALLBACK_CLOSED_RETRY_MS) : null;
    await attemptEnded(server, cb, { callbackCallId, outcome: 'blocked', reasons: compliance.reasons, tries: cb.tries, retryAt: opens });
    return;
  }
  const ep = new CallEndpoint(callbackCallId, { queueId: cb.queueId, phone: cb.phone, preview: { agentId: d.winner, dial: server.customerDial(cb.phone), timeoutSec: 30 } });
  if (await server.offer(ep, d.winner)) {
    // The dial was recorded: close it, so the number is not held as live.
    await server.callEvent(ep, { type: 'HANGUP', cause: 'AGENT_UNAVAILABLE', hangupBy: 'system' });
    await attemptEnded(server, cb, { callbackCallId, outcome: 'agent_missed', cause: 'AGENT_UNAVAILABLE', tries: cb.tries, retryAt: nowMs + CALLBACK_AGENT_MISSED_RETRY_MS });
    return;
  }
  taken(views, [d.winner]);
  server.legs.set(callbackCallId, { legId: callbackCallId, callId: callbackCallId, role: 'customer' });
  server.queues.callbackStarted(cb.callId, callbackCallId, nowMs);
  await server.recorder.note(callStreamId(cb.callId), 'CallbackStarted', {
    callId: cb.callId, phone: cb.phone, queueId: cb.queueId, agentId: d.winner, callbackCallId, reason: d.reason, attempt: cb.tries + 1,
  });
}

/**
 * When the hours next open after `nowMs` in `zone` (the callee's), or undefined when no window opens within a week.
 * The zone's offset is taken as it is now: across a daylight-saving change the try comes an hour off and the gate,
 * asked again then, finds the right opening.
 */
export function nextOpening(nowMs: number, zone: string, hours: CallingHours): number | undefined {
  if (!zone) return undefined;
  const minute = Math.floor(nowMs / 60_000) * 60_000;
  const wall = localTime(new Date(minute), zone).wall;
  const offsetMs = Date.parse(`${wall}:00Z`) - minute;
  const [y, m, d] = wall.slice(0, 10).split('-').map(Number);
  let best: number | undefined;
  for (let day = 0; day <= 7; day++) {
    const date = new Date(Date.UTC(y, m - 1, d + day));
    const weekday = date.getUTCDay() || 7;
    for (const w of hours.windows) {
      if (!w.days.includes(weekday)) continue;
      const [hh, mm] = w.start.split(':').map(Number);
      const at = Date.UTC(y, m - 1, d + day, hh, mm) - offsetMs;
      if (at > nowMs && (best === undefined || at < best)) best = at;
    }
  }
  return best;
}
