/**
 * After a restart: rebuild the call endpoints and agent actors from the event store alone.
 * Pure folds (`transition`) over the stored events, no actions run, no switch commands sent.
 */
import { AGENT_STATE_EVENT_TYPES, replayAgent } from '../../domain/machines/agentEvents.ts';
import { agentStatus } from '../../domain/machines/agentMachine.ts';
import { replayCall } from '../../domain/machines/callEvents.ts';
import { callStatus } from '../../domain/machines/callMachine.ts';
import type { EventStore, LogFilter, RecordedEvent } from '../../eventstore/types.ts';
import { CALLBACK_GOODBYE } from '../../inbound/callbackWhenFree.ts';
import type { CallForwarded } from '../../domain/call/events.ts';
import { VOICEMAIL_PROMPT, voicemailFile } from '../../inbound/voicemail.ts';
import { agentLegId, CallEndpoint } from '../session/callEndpoint.ts';
import type { MediaServer } from '../session/mediaServer.ts';

const CALL_TYPES = [
  'CallDialAttempted', 'CallRinging', 'CallEarlyMedia', 'CallAnswered', 'CallQueued', 'CallBridged', 'CallHeld', 'CallResumed',
  'CallTransferred', 'CallAbandoned', 'CallEnded', 'CallRecordingStarted', 'CallRecordingStopped', 'CallRecordingUnverified',
  'CallRecordingPaused', 'CallRecordingResumed', 'CallReceived', 'CallOverflowed', 'CallbackQueued', 'CallForwarded', 'CallForwardAnswered', 'CallForwardFailed', 'VoicemailStarted', 'VoicemailRecordingStarted', 'VoicemailLeft', 'VoicemailUnverified',
];

/** Calls still live at a restart began within this window; a call longer than two days is not restored. */
const CALL_WINDOW_MS = 48 * 3600_000;

/**
 * Read the log page by page, keeping events per stream only while the stream may still be live: `ends` says
 * an event closes its stream (a call ended, an agent logged out), and what came before is dropped. Memory
 * stays bounded by what is live, not by the history of the floor.
 */
async function liveStreams(store: EventStore, filter: LogFilter, prefix: string, ends: (e: RecordedEvent) => boolean, after = 0): Promise<Map<string, RecordedEvent[]>> {
  const streams = new Map<string, RecordedEvent[]>();
  for (;;) {
    const page = await store.readAll({ after, maxCount: 5000, filter });
    for (const e of page) {
      const id = e.streamId.slice(prefix.length);
      if (ends(e)) {
        streams.delete(id);
        continue;
      }
      const list = streams.get(id);
      if (list) list.push(e);
      else streams.set(id, [e]);
    }
    if (page.length < 5000) return streams;
    after = page[page.length - 1].position;
  }
}

/** The position to read from so that only events recorded at or after `atMs` follow (binary search on the log). */
export async function positionBefore(store: EventStore, atMs: number): Promise<number> {
  let lo = 0;
  let hi = await store.headPosition();
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const [next] = await store.readAll({ after: mid, maxCount: 1 });
    if (!next || Date.parse(next.recordedAt) >= atMs) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * A caller who left the queue (voicemail, an outside number or a callback) is not routed to an agent again;
 * a kept callback's goodbye still hangs up, a forward to an outside number goes on (restoreForward).
 */
function restoreLeftQueue(server: MediaServer, ep: CallEndpoint, events: RecordedEvent[], kind: string): void {
  const callbackKept = events.some((e) => e.type === 'CallbackQueued');
  if (kind === 'callback' && callbackKept) {
    ep.leftQueue = 'callback';
    ep.goodbye = CALLBACK_GOODBYE;
    return;
  }
  if (kind === 'number' && restoreForward(server, ep, events)) return;
  // A callback without the caller's number became a voicemail too.
  if (restoreVoicemail(ep, events)) return;
  ep.leftQueue = 'voicemail';
  if (events.some((e) => e.type === 'VoicemailLeft' || e.type === 'VoicemailUnverified')) return;
  // Logged before VoicemailStarted existed: the overflow says where the message goes.
  const from = events.findLast((e) => e.type === 'CallOverflowed')?.data.from as string | undefined;
  const phone = (events.find((e) => e.type === 'CallReceived')?.data.phone as string | undefined) ?? '';
  ep.voicemail = { file: voicemailFile(server, ep.callId), prompt: VOICEMAIL_PROMPT, queueId: from, phone, stage: 'prompt' };
}

/**
 * An outside number still ringing or talking with the caller (CallForwarded, not failed): its leg is the call's
 * again, so its answer bridges and either side's hangup ends the call; reconcile settles what happened while
 * we were away. A failed forward went on to voicemail (false: restored as one).
 */
function restoreForward(server: MediaServer, ep: CallEndpoint, events: RecordedEvent[]): boolean {
  const forwarded = events.findLast((e) => e.type === 'CallForwarded')?.data as CallForwarded['data'] | undefined;
  if (!forwarded || events.some((e) => e.type === 'CallForwardFailed')) return false;
  const answered = events.some((e) => e.type === 'CallForwardAnswered');
  ep.leftQueue = 'forwarded';
  ep.forward = { legId: forwarded.legId, to: forwarded.to, from: forwarded.from, stage: answered ? 'bridged' : 'dialing' };
  server.legs.set(forwarded.legId, { legId: forwarded.legId, callId: ep.callId, role: 'outside' });
  return true;
}

/**
 * A caller sent to voicemail (from a queue, the IVR or the routing rules) whose message is not stored yet:
 * picked up where the log says it was. Still in the prompt, reconcile starts the recording (the prompt's end may
 * have come while we were away); recording, the recording's end (RECORD_STOP, also on the caller's hangup) stores
 * it as VoicemailLeft. True when the log says the caller went to voicemail.
 */
function restoreVoicemail(ep: CallEndpoint, events: RecordedEvent[]): boolean {
  const started = events.findLast((e) => e.type === 'VoicemailStarted');
  if (!started) return false;
  ep.leftQueue = 'voicemail';
  if (events.some((e) => e.type === 'VoicemailLeft' || e.type === 'VoicemailUnverified')) return true;
  const d = started.data as { file: string; prompt?: string; queueId?: string; phone?: string };
  const recording = events.slice(events.indexOf(started)).some((e) => e.type === 'VoicemailRecordingStarted');
  ep.voicemail = { file: d.file, prompt: d.prompt ?? VOICEMAIL_PROMPT, queueId: d.queueId, phone: d.phone ?? '', stage: recording ? 'recording' : 'prompt' };
  return true;
}

/** Put every call that had not ended, and every logged-in agent, back into the server's memory. */
export async function restoreFromStore(server: MediaServer): Promise<{ calls: string[]; agents: string[] }> {
  const calls: string[] = [];
  const agents: string[] = [];
  // An agent's state after logging out is the machine's initial one: only what follows the last logout counts.
  const agentEvents = await liveStreams(server.store, { streamPrefix: 'agent-', eventTypes: [...AGENT_STATE_EVENT_TYPES] }, 'agent-', (e) => e.type === 'AgentLoggedOut');
  for (const [agentId, events] of agentEvents) {
    const snap = replayAgent(agentId, events);
    if (agentStatus(snap) === 'logged-out') continue;
    server.agents.restore(agentId, snap);
    agents.push(agentId);
  }
  const since = await positionBefore(server.store, server.clock.now() - CALL_WINDOW_MS);
  const callEvents = await liveStreams(server.store, { streamPrefix: 'call-', eventTypes: CALL_TYPES }, 'call-', (e) => e.type === 'CallEnded', since);
  for (const [callId, events] of callEvents) {
    const snap = replayCall(callId, events);
    if (callStatus(snap) === 'ended' || server.endpoints.has(callId)) continue;
    const dial = events.find((e) => e.type === 'CallDialAttempted')?.data as { campaignId?: string } | undefined;
    const queued = events.findLast((e) => e.type === 'CallQueued');
    // An inbound caller keeps being routed by their queue (after an overflow: the queue they were sent to).
    const received = events.find((e) => e.type === 'CallReceived');
    const movedTo = events.findLast((e) => e.type === 'CallOverflowed')?.data.to as { kind: string; id?: string } | undefined;
    const ep = new CallEndpoint(callId, {
      campaignId: dial?.campaignId,
      queueId: (movedTo?.kind === 'queue' ? movedTo.id : undefined) ?? (queued?.data.queueId as string | undefined),
      connectRuleMs: queued?.data.connectRuleMs as number | undefined,
      ...(received ? { inbound: true, phone: received.data.phone as string, priority: (queued?.data.priority as number | undefined) ?? 0 } : {}),
    }, snap);
    if (queued) ep.queuedAtMs = Date.parse(queued.metadata.occurredAt ?? queued.recordedAt);
    if (movedTo && movedTo.kind !== 'queue') restoreLeftQueue(server, ep, events, movedTo.kind);
    else restoreVoicemail(ep, events);
    // The agent on the call, or the one reserved for it (only the agent's stream knows a reservation).
    const agentId = snap.context.agentId && ['bridged', 'held'].includes(callStatus(snap))
      ? snap.context.agentId
      : server.agents.all().find((a) => a.actor.getSnapshot().context.callId === callId)?.agentId;
    if (agentId) {
      ep.agentId = agentId;
      ep.agentLeg = agentLegId(callId, agentId);
      server.legs.set(ep.agentLeg, { legId: ep.agentLeg, callId, role: 'agent', agentId });
    }
    const lastStart = events.findLast((e) => e.type === 'CallRecordingStarted');
    const closed = lastStart && events.some((e) => (e.type === 'CallRecordingStopped' || e.type === 'CallRecordingUnverified') && e.data.recordingId === lastStart.data.recordingId);
    if (lastStart && !closed) {
      const paused = events.filter((e) => e.data.recordingId === lastStart.data.recordingId && (e.type === 'CallRecordingPaused' || e.type === 'CallRecordingResumed')).at(-1)?.type === 'CallRecordingPaused';
      ep.recording = { recordingId: lastStart.data.recordingId as string, file: lastStart.data.file as string, paused, startedAtMs: Date.parse(lastStart.recordedAt) };
    }
    server.endpoints.set(callId, ep);
    server.legs.set(callId, { legId: callId, callId, role: 'customer' });
    calls.push(callId);
  }
  return { calls, agents };
}
