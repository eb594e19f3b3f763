/** The live call session: what the dialer, the agent desk API and supervisors call. */
export { MediaServer, type DialRequest, type MediaServerOptions } from './mediaServer.ts';
export { CallEndpoint, agentLegId, supervisorLegId, type EndpointOptions, type RecordingPolicy } from './callEndpoint.ts';
export { AgentDesk, type LiveAgent } from './agentDesk.ts';
export { followAgents } from './followAgents.ts';
export { Recorder, type Actor } from './recorder.ts';
export { pauseRecording, resolveRecordingPolicy, resumeRecording, sha256Of, startRecording, stopRecording } from './recording.ts';
export { endMonitor, forceHangUp, forceTransfer, monitor, type SupervisorActor } from './supervisor.ts';
