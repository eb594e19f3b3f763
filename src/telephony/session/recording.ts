/**
 * Call recording: policy (always / never / on demand), pause and resume around card payments
 * (paused audio is never written), and stop with the file's SHA-256 stored as an event so a
 * later edit of the file is detectable.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DomainError } from '../../domain/decider.ts';
import { callStreamId } from '../../domain/call/streams.ts';
import type { CallEndpoint, RecordingPolicy } from './callEndpoint.ts';
import type { MediaServer } from './mediaServer.ts';
import type { Actor } from './recorder.ts';

/**
 * One policy from the three levels. 'never' anywhere wins (a consent or legal block),
 * then 'always' anywhere (a compliance duty), else on demand.
 */
export function resolveRecordingPolicy(levels: { campaign?: RecordingPolicy; queue?: RecordingPolicy; agent?: RecordingPolicy }): RecordingPolicy {
  const all = [levels.campaign, levels.queue, levels.agent];
  if (all.includes('never')) return 'never';
  if (all.includes('always')) return 'always';
  return 'on-demand';
}

export async function startRecordingIfPolicy(server: MediaServer, ep: CallEndpoint): Promise<void> {
  if ((ep.options.recording ?? 'on-demand') === 'always' && !ep.recording) await begin(server, ep, {});
}

async function begin(server: MediaServer, ep: CallEndpoint, actor: Actor): Promise<void> {
  const recordingId = randomUUID();
  const dir = path.join(server.recordingsDir, ep.options.campaignId ?? 'no-campaign');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${ep.callId}-${recordingId}.wav`);
  await server.calls.record(ep.callId, 'start', file);
  ep.recording = { recordingId, file, paused: false, startedAtMs: server.clock.now() };
  await server.recorder.note(callStreamId(ep.callId), 'CallRecordingStarted', { callId: ep.callId, recordingId, file }, actor);
}

function live(server: MediaServer, callId: string): CallEndpoint {
  const ep = server.endpoint(callId);
  if (!ep || ep.status === 'ended') throw new DomainError('CALL_NOT_LIVE', `call ${callId} is not live on this server`);
  return ep;
}

export function startRecording(server: MediaServer, callId: string, actor: Actor): Promise<void> {
  return server.enqueue(async () => {
    const ep = live(server, callId);
    if (ep.options.recording === 'never') throw new DomainError('RECORDING_NOT_ALLOWED', 'recording is switched off for this call (policy: never)');
    if (ep.recording) throw new DomainError('RECORDING_ALREADY_ON', 'this call is already being recorded');
    await begin(server, ep, actor);
  });
}

/** Pause, e.g. while the customer reads a card number. */
export function pauseRecording(server: MediaServer, callId: string, actor: Actor): Promise<void> {
  return server.enqueue(async () => {
    const ep = live(server, callId);
    const rec = ep.recording;
    if (!rec) throw new DomainError('NOT_RECORDING', 'this call is not being recorded');
    if (rec.paused) return;
    await server.calls.record(callId, 'pause', rec.file);
    rec.paused = true;
    await server.recorder.note(callStreamId(callId), 'CallRecordingPaused', { callId, recordingId: rec.recordingId, reason: actor.reason }, actor);
  });
}

export function resumeRecording(server: MediaServer, callId: string, actor: Actor): Promise<void> {
  return server.enqueue(async () => {
    const ep = live(server, callId);
    const rec = ep.recording;
    if (!rec) throw new DomainError('NOT_RECORDING', 'this call is not being recorded');
    if (!rec.paused) return;
    await server.calls.record(callId, 'resume', rec.file);
    rec.paused = false;
    await server.recorder.note(callStreamId(callId), 'CallRecordingResumed', { callId, recordingId: rec.recordingId }, actor);
  });
}

/** Ask the switch to stop; CallRecordingStopped is written when the switch reports the file closed. */
export function stopRecording(server: MediaServer, callId: string, _actor: Actor): Promise<void> {
  return server.enqueue(async () => {
    const ep = live(server, callId);
    const rec = ep.recording;
    if (!rec) throw new DomainError('NOT_RECORDING', 'this call is not being recorded');
    await server.calls.record(callId, 'stop', rec.file);
  });
}

export async function onRecordingStopped(server: MediaServer, ep: CallEndpoint, file: string, ms: number): Promise<void> {
  const rec = ep.recording;
  if (!rec || rec.file !== file) return;
  ep.recording = undefined;
  const base = { callId: ep.callId, recordingId: rec.recordingId, file, durationMs: ms };
  try {
    const sha256 = await sha256Of(file);
    await server.recorder.note(callStreamId(ep.callId), 'CallRecordingStopped', { ...base, sha256 });
  } catch (e) {
    // The file lives on the switch host and is not visible here: say so instead of inventing a hash.
    await server.recorder.note(callStreamId(ep.callId), 'CallRecordingUnverified', { ...base, error: (e as Error).message });
  }
}

export function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}
