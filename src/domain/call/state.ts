import type { CallDirection, CallEvent, MonitorMode } from './events.ts';

export type CallPhase = 'none' | 'blocked' | 'dialing' | 'ringing' | 'answered' | 'bridged' | 'ended';

export interface CallState {
  phase: CallPhase;
  callId?: string;
  phone?: string;
  direction?: CallDirection;
  campaignId?: string;
  answeredBy?: 'human' | 'machine';
  answeredAt?: string;
  agentId?: string;
  everBridged: boolean;
  held: boolean;
  recording?: { recordingId: string; file: string; status: 'recording' | 'paused' };
  recordings: { recordingId: string; file: string; sha256: string }[];
  monitors: Record<string, MonitorMode>;
  abandoned: boolean;
  forceHungUp: boolean;
  endCause?: string;
}

export const initialCallState = (): CallState => ({
  phase: 'none',
  everBridged: false,
  held: false,
  recordings: [],
  monitors: {},
  abandoned: false,
  forceHungUp: false,
});

export function evolveCall(s: CallState, e: CallEvent): CallState {
  switch (e.type) {
    case 'CallDialAttempted':
      return {
        ...s,
        phase: 'dialing',
        callId: e.data.callId,
        phone: e.data.phone,
        direction: e.data.direction,
        campaignId: e.data.campaignId,
        agentId: e.data.agentId,
      };
    case 'CallDialBlocked':
      return { ...s, phase: 'blocked', callId: e.data.callId, phone: e.data.phone, campaignId: e.data.campaignId };
    case 'CallReceived':
      return { ...s, phase: 'ringing', callId: e.data.callId, phone: e.data.phone, direction: 'inbound' };
    case 'CallRinging':
      return { ...s, phase: 'ringing' };
    case 'CallAnswered':
      return { ...s, phase: 'answered', answeredBy: e.data.answeredBy, answeredAt: e.data.at };
    case 'CallOffered':
      return s;
    case 'CallBridged':
      return { ...s, phase: 'bridged', agentId: e.data.agentId, everBridged: true };
    case 'CallHeld':
      return { ...s, held: true };
    case 'CallResumed':
      return { ...s, held: false };
    case 'CallTransferred': {
      const to = e.data.to;
      if (to.kind === 'queue') return { ...s, phase: 'answered', agentId: undefined, held: false };
      return { ...s, agentId: to.kind === 'agent' ? to.id : undefined, held: false };
    }
    case 'CallRecordingStarted':
      return { ...s, recording: { recordingId: e.data.recordingId, file: e.data.file, status: 'recording' } };
    case 'CallRecordingPaused':
      return s.recording ? { ...s, recording: { ...s.recording, status: 'paused' } } : s;
    case 'CallRecordingResumed':
      return s.recording ? { ...s, recording: { ...s.recording, status: 'recording' } } : s;
    case 'CallRecordingStopped': {
      const r = { recordingId: e.data.recordingId, file: e.data.file, sha256: e.data.sha256 };
      return { ...s, recording: undefined, recordings: [...s.recordings, r] };
    }
    case 'CallMonitored':
      return { ...s, monitors: { ...s.monitors, [e.data.supervisorId]: e.data.mode } };
    case 'CallMonitorEnded': {
      const monitors = { ...s.monitors };
      delete monitors[e.data.supervisorId];
      return { ...s, monitors };
    }
    case 'CallForceHungUp':
      return { ...s, forceHungUp: true };
    case 'CallAbandoned':
      return { ...s, abandoned: true };
    case 'CallEnded':
      return { ...s, phase: 'ended', endCause: e.data.cause, held: false, monitors: {} };
    default:
      return s;
  }
}
