import type { Decision } from '../decider.ts';
import { isNonEmpty, isSupervisor, reject } from '../rules.ts';
import type {
  EndMonitor,
  ForceHangUp,
  MonitorCall,
  PauseRecording,
  ResumeRecording,
  StartRecording,
  StopRecording,
} from './commands.ts';
import type { CallEvent, MonitorMode } from './events.ts';
import type { CallState } from './state.ts';

type MediaCommand =
  StartRecording | PauseRecording | ResumeRecording | StopRecording | MonitorCall | EndMonitor | ForceHangUp;

const MODES: readonly MonitorMode[] = ['listen', 'whisper', 'barge'];
const SHA256 = /^[a-f0-9]{64}$/;

/** Recording, supervision and forced hangup: the parts of a call that act on its media, not its routing. */
export function decideMedia(c: MediaCommand, s: CallState, callId: string): Decision<CallEvent> {
  const at = c.meta.now;
  const live = s.phase === 'answered' || s.phase === 'bridged';
  switch (c.type) {
    case 'StartRecording':
      if (!live) return reject('CALL_NOT_ANSWERED', 'Recording starts once the call is answered');
      if (s.recording) return reject('RECORDING_ACTIVE', `Recording ${s.recording.recordingId} is already running`);
      if (!isNonEmpty(c.data.recordingId) || !isNonEmpty(c.data.file))
        return reject('RECORDING_FILE_REQUIRED', 'A recording has an id and a file');
      return [
        { type: 'CallRecordingStarted', data: { callId, at, recordingId: c.data.recordingId, file: c.data.file } },
      ];
    case 'PauseRecording':
      // Paused while the customer reads out a card number or ID: those must never be on tape.
      if (s.recording?.status !== 'recording') return reject('RECORDING_NOT_RUNNING', 'No running recording to pause');
      return [
        {
          type: 'CallRecordingPaused',
          data: { callId, at, recordingId: s.recording.recordingId, reason: c.data.reason },
        },
      ];
    case 'ResumeRecording':
      if (s.recording?.status !== 'paused') return reject('RECORDING_NOT_PAUSED', 'No paused recording to resume');
      return [{ type: 'CallRecordingResumed', data: { callId, at, recordingId: s.recording.recordingId } }];
    case 'StopRecording': {
      // Allowed after the call ended: the file is only closed, and its hash known, after hangup.
      if (!s.recording) return reject('RECORDING_NOT_ACTIVE', 'No recording to stop');
      const sha256 = typeof c.data.sha256 === 'string' ? c.data.sha256.toLowerCase() : '';
      if (!SHA256.test(sha256))
        return reject('RECORDING_HASH_INVALID', 'A stopped recording carries the SHA-256 of its file (64 hex digits)');
      const { recordingId, file } = s.recording;
      return [
        {
          type: 'CallRecordingStopped',
          data: { callId, at, recordingId, file, sha256, durationMs: c.data.durationMs },
        },
      ];
    }
    case 'MonitorCall': {
      const { mode, supervisorId } = c.data;
      if (!isSupervisor(c.meta.actorRole))
        return reject('MONITOR_FORBIDDEN', 'Only supervisors may listen, whisper or barge');
      if (!MODES.includes(mode)) return reject('MONITOR_MODE_INVALID', `Monitor mode is one of ${MODES.join(', ')}`);
      if (!isNonEmpty(supervisorId)) return reject('SUPERVISOR_REQUIRED', 'Name the supervisor');
      if (s.phase !== 'bridged') return reject('CALL_NOT_BRIDGED', 'Only a call with an agent can be monitored');
      if (s.monitors[supervisorId] === mode) return [];
      return [{ type: 'CallMonitored', data: { callId, at, mode, supervisorId } }];
    }
    case 'EndMonitor':
      if (!s.monitors[c.data.supervisorId])
        return reject('MONITOR_NOT_ACTIVE', `${c.data.supervisorId} is not monitoring this call`);
      return [{ type: 'CallMonitorEnded', data: { callId, at, supervisorId: c.data.supervisorId } }];
    case 'ForceHangUp':
      if (!isSupervisor(c.meta.actorRole))
        return reject('FORCE_HANGUP_FORBIDDEN', 'Only supervisors may force a call to hang up');
      if (!isNonEmpty(c.data.by) || !isNonEmpty(c.data.reason))
        return reject('REASON_REQUIRED', 'Say who forces the hangup and why');
      // The request is the fact here; CallEnded follows when the switch reports the hangup.
      if (s.forceHungUp) return [];
      return [{ type: 'CallForceHungUp', data: { callId, at, by: c.data.by, reason: c.data.reason } }];
  }
}
