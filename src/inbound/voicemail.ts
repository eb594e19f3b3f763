/**
 * Voicemail: the caller hears a prompt, then their message is recorded until they hang up.
 * The message is stored as VoicemailLeft with the file's SHA-256, like a call recording, so a
 * later edit of the file is detectable. Used by queue overflow, the IVR and the routing rules.
 *
 * VoicemailStarted is written when the caller is sent here, whatever sent them: after a restart it is
 * how the session knows the caller is leaving a message (restore.ts), so the message is still stored.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { callStreamId } from '../domain/call/streams.ts';
import { DomainError } from '../domain/decider.ts';
import { replayCall } from '../domain/machines/callEvents.ts';
import { deterministicUuid } from '../eventstore/ids.ts';
import { callStatus } from '../domain/machines/callMachine.ts';
import { CallEndpoint } from '../telephony/session/callEndpoint.ts';
import type { MediaServer } from '../telephony/session/mediaServer.ts';
import { sha256Of } from '../telephony/session/recording.ts';

/** FreeSWITCH's stock "record your message after the tone". */
export const VOICEMAIL_PROMPT = 'voicemail/vm-record_message.wav';

/** A real switch reports the played file by its full path; the simulator as given. */
export function samePrompt(played: string, prompt: string | undefined): boolean {
  return prompt !== undefined && (played === prompt || path.basename(played) === path.basename(prompt));
}

/** Where a call's message is recorded (also how a restart finds it again). */
export function voicemailFile(server: MediaServer, callId: string): string {
  return path.join(server.recordingsDir, 'voicemail', `${callId}.wav`);
}

export interface VoicemailOptions {
  /** The queue the caller was waiting in, if any. */
  queueId?: string;
  prompt?: string;
}

/**
 * Take a message from a caller whose channel is answered (by the IVR or the queue).
 * Call inside the media server's queue. The prompt's end starts the recording; the hangup ends it.
 */
export async function leaveVoicemail(server: MediaServer, callId: string, options: VoicemailOptions = {}): Promise<void> {
  const ep = server.endpoint(callId) ?? (await host(server, callId));
  ep.leftQueue = 'voicemail';
  const file = voicemailFile(server, callId);
  await mkdir(path.dirname(file), { recursive: true });
  const prompt = options.prompt ?? VOICEMAIL_PROMPT;
  const queueId = options.queueId ?? ep.options.queueId;
  const phone = ep.options.phone ?? '';
  ep.voicemail = { file, prompt, queueId, phone, stage: 'prompt' };
  // One per call (a retried append or a second route here records nothing new).
  await server.recorder.note(callStreamId(callId), 'VoicemailStarted', { callId, queueId, phone, file, prompt }, {}, deterministicUuid(callId, 'voicemail-started'));
  await server.calls.broadcast(callId, prompt);
}

/** A call the session did not host yet (e.g. straight from the IVR): host it from what its stream says. */
async function host(server: MediaServer, callId: string): Promise<CallEndpoint> {
  const stream = await server.store.readStream(callStreamId(callId));
  const phone = stream.find((e) => e.type === 'CallReceived')?.data.phone as string | undefined;
  const snapshot = replayCall(callId, stream);
  if (callStatus(snapshot) === 'ended') throw new DomainError('CALL_ENDED', `call ${callId} ended before it reached voicemail`);
  const ep = new CallEndpoint(callId, { inbound: true, phone }, snapshot);
  server.endpoints.set(callId, ep);
  server.legs.set(callId, { legId: callId, callId, role: 'customer' });
  if (ep.status === 'dialing' || ep.status === 'ringing' || ep.status === 'early-media') {
    // Answer before the prompt (answering an answered channel changes nothing; the late answer fact is refused).
    await server.esl.execute(callId, 'answer', '', true);
    await server.callEvent(ep, { type: 'ANSWERED', answeredBy: 'human' });
  }
  return ep;
}

/**
 * The prompt finished: record the message (the switch stops it when the caller hangs up). Also after a restart
 * or reconnect that may have missed the prompt's end: better a message that starts with the prompt's tail than a
 * caller left in silence.
 */
export async function onVoicemailPromptDone(server: MediaServer, ep: CallEndpoint): Promise<void> {
  const vm = ep.voicemail;
  if (!vm || vm.stage !== 'prompt' || ep.status === 'ended') return;
  vm.stage = 'recording';
  vm.startedAtMs = server.clock.now();
  // Logged before the switch is told: a restart that finds this asks the switch (resumeVoicemail) instead of
  // starting a second recording on the same file; a stop between the two leaves none, which it then starts.
  await server.recorder.note(callStreamId(ep.callId), 'VoicemailRecordingStarted', { callId: ep.callId, file: vm.file }, {}, deterministicUuid(ep.callId, 'voicemail-recording'));
  await server.calls.record(ep.callId, 'start', vm.file);
}

/**
 * After a restart or reconnect, with the caller still on the line: in the prompt, record now; recording by the log,
 * start the recording only if the switch has none on the file (so exactly one message is stored either way).
 */
export async function resumeVoicemail(server: MediaServer, ep: CallEndpoint): Promise<void> {
  const vm = ep.voicemail;
  if (!vm || ep.status === 'ended') return;
  if (vm.stage === 'prompt') return onVoicemailPromptDone(server, ep);
  // A switch that cannot say: take the log's word (recording), as a second start would spoil the file.
  if (await recordingOnSwitch(server, ep.callId, vm.file).catch(() => true)) return;
  vm.startedAtMs = server.clock.now();
  await server.calls.record(ep.callId, 'start', vm.file);
}

/** Whether the switch records `file` on the call now: uuid_buglist lists each recording as a session_record bug on its file. */
async function recordingOnSwitch(server: MediaServer, callId: string, file: string): Promise<boolean> {
  const bugs = await server.esl.api(`uuid_buglist ${callId}`);
  return bugs.includes(`<target>${file}</target>`);
}

/** The switch closed the message file: store it with its hash (or say the file could not be checked). */
export async function onVoicemailStopped(server: MediaServer, ep: CallEndpoint, ms: number): Promise<void> {
  const vm = ep.voicemail;
  // The switch stopping this file proves it was recording, whatever stage a restart rebuilt.
  if (!vm) return;
  ep.voicemail = undefined;
  const data = { callId: ep.callId, queueId: vm.queueId, phone: vm.phone, file: vm.file, durationMs: ms };
  try {
    await server.recorder.note(callStreamId(ep.callId), 'VoicemailLeft', { ...data, sha256: await sha256Of(vm.file) });
  } catch (e) {
    // The file lives on the switch host and is not visible here: say so instead of inventing a hash.
    await server.recorder.note(callStreamId(ep.callId), 'VoicemailUnverified', { ...data, error: (e as Error).message });
  }
}
