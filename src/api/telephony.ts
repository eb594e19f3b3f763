/**
 * What the API asks of the telephony session (src/telephony/session) for live call control. The session
 * does the switch work and appends the resulting facts (CallHeld, CallTransferred, CallEnded...), so the
 * API never records a hold that FreeSWITCH did not do. Injected as `ApiDeps.telephony`.
 */
export interface CallControlPort {
  /** Click-to-dial for an agent: the session checks compliance (DNC, hours, attempts) and records the dial. */
  dial(req: { callId: string; phone: string; agentId: string; campaignId?: string }): Promise<void>;
  hangUp(callId: string, req: { by: string; cause?: string }): Promise<void>;
  hold(callId: string): Promise<void>;
  unhold(callId: string): Promise<void>;
  transfer(callId: string, to: { kind: 'agent' | 'queue' | 'number'; id: string }, mode: 'blind' | 'attended'): Promise<void>;
  /** Connects the supervisor's own phone to the call in the given mode. */
  monitor(callId: string, supervisorId: string, mode: 'listen' | 'whisper' | 'barge'): Promise<void>;
  stopMonitoring(callId: string, supervisorId: string): Promise<void>;
  /** Ends the agent's wrap-up now (the live agent machine owns wrap-up); refused unless the agent is in wrap-up. */
  finishWrapUp?(agentId: string, commandId?: string): Promise<void>;
  /** Answers the call offered to (ringing at) this agent from the console, if it is `callId` when given; resolves with its call id. */
  answer?(agentId: string, callId?: string): Promise<string>;
}
