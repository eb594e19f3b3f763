import type { DomainEvent } from '../decider.ts';

export type CallDirection = 'outbound' | 'inbound';
export type MonitorMode = 'listen' | 'whisper' | 'barge';
export type RoutingStrategy = 'longest_idle' | 'skills' | 'round_robin' | 'ring_all' | 'fewest_calls' | 'random' | 'least_talk_time' | 'sticky';
export type TransferTarget = { kind: 'agent' | 'queue' | 'number'; id: string };

/** What the compliance check saw, so an auditor can replay why a number was or was not dialed. */
export interface ComplianceInputs {
  localTime: string;
  timeZone: string;
  withinCallingHours: boolean;
  doNotCall: boolean;
  attempts: number;
  maxAttempts: number;
  [more: string]: unknown;
}

export interface ComplianceDecision {
  allowed: boolean;
  /** Stable codes, e.g. OUTSIDE_CALLING_HOURS, DO_NOT_CALL, MAX_ATTEMPTS; empty when allowed. */
  reasons: string[];
  inputs: ComplianceInputs;
}

type Base = {
  callId: string;
  at: string;
};

export type CallDialAttempted = DomainEvent<
  'CallDialAttempted',
  Base & {
    phone: string;
    direction: CallDirection;
    campaignId?: string;
    agentId?: string;
    /** Attempt within the current pass over the list. */
    attempt: number;
    /** Pass over the campaign's list when the lead was recycled (absent: the first pass). */
    pass?: number;
    /** Why the dialer picked this lead: callback_owner, retry_due, new, recycled... */
    selection?: string;
    compliance: ComplianceDecision;
  }
>;
/** The compliance check refused the dial: recorded so the refusal is auditable; nothing was dialed. */
export type CallDialBlocked = DomainEvent<
  'CallDialBlocked',
  Base & { phone: string; campaignId?: string; agentId?: string; pass?: number; selection?: string; compliance: ComplianceDecision }
>;
/** An inbound call reached us: `phone` is the caller (E.164), `did` the number they dialed. */
export type CallReceived = DomainEvent<'CallReceived', Base & { phone: string; did: string; direction: 'inbound' }>;
export type CallRinging = DomainEvent<'CallRinging', Base>;
export type CallAnswered = DomainEvent<'CallAnswered', Base & { answeredBy: 'human' | 'machine'; amdResult?: string }>;
/** One logged-in agent as routing saw it: could they take the call, and why not (NOT_AVAILABLE, MISSING_SKILL:x, LOW_SKILL:x). */
export interface RoutingCandidate {
  agentId: string;
  eligible: boolean;
  why?: string;
  skillScore: number;
}

/**
 * Explainable routing: `candidates` are the logged-in agents considered; `eligibility` says why each could
 * or could not take the call, `reason` why the winner won. A re-offer after a decline is a new CallOffered.
 */
export type CallOffered = DomainEvent<
  'CallOffered',
  Base & {
    candidates: string[];
    strategy: RoutingStrategy;
    winner?: string;
    queueId?: string;
    reason?: string;
    eligibility?: RoutingCandidate[];
    priority?: number;
    /** The queue's priority (1..10) it was served by against everything else waiting; absent in older logs (5). */
    queuePriority?: number;
    waitedMs?: number;
  }
>;
/** Routing found nobody to offer the call to yet (recorded when the reason changes, not on every attempt). */
export type CallRoutingDeferred = DomainEvent<
  'CallRoutingDeferred',
  Base & { queueId: string; strategy: RoutingStrategy; candidates: string[]; eligibility: RoutingCandidate[]; reason: string }
>;
export type OverflowTarget = { kind: 'queue' | 'voicemail' | 'callback' | 'number'; id?: string };
/** The caller left a queue without an agent: overflow after the queue's wait, or its maximum wait reached. */
export type CallOverflowed = DomainEvent<
  'CallOverflowed',
  Base & { from: string; to: OverflowTarget; waitedMs: number; reason: 'OVERFLOW_AFTER_WAIT' | 'MAX_WAIT_REACHED' | 'NO_QUALIFIED_AGENT' }
>;
/**
 * The caller was sent to voicemail (from a queue, the IVR or the routing rules): the prompt plays, then `file`
 * is recorded. Until VoicemailLeft follows, a restarted session knows the message is still under way.
 */
/**
 * An overflow sent the caller out to a company-set number (`to`, E.164) through the switch's trunk, on the outside
 * leg `legId`; CallForwardAnswered or CallForwardFailed follows.
 */
export type CallForwarded = DomainEvent<'CallForwarded', Base & { from: string; to: string; waitedMs: number; legId: string }>;
/** The number answered and the caller is bridged to it; the call ends when either side hangs up (CallEnded). */
export type CallForwardAnswered = DomainEvent<'CallForwardAnswered', Base & { to: string; legId: string }>;
/**
 * The number did not take the call: `cause` as the switch gave it (USER_BUSY, NO_ANSWER, UNALLOCATED_NUMBER...).
 * A caller still on the line leaves a voicemail; `callerHungUp` when the caller gave up first.
 */
export type CallForwardFailed = DomainEvent<'CallForwardFailed', Base & { to: string; legId: string; cause: string; callerHungUp?: boolean }>;
export type VoicemailStarted = DomainEvent<
  'VoicemailStarted',
  Base & { queueId?: string; phone: string; file: string; prompt: string }
>;
/** The prompt ended and the switch records the message: a restart from here waits for the recording's end. */
export type VoicemailRecordingStarted = DomainEvent<'VoicemailRecordingStarted', Base & { file: string }>;
export type VoicemailLeft = DomainEvent<
  'VoicemailLeft',
  Base & { queueId?: string; phone: string; file: string; sha256: string; durationMs: number }
>;
/** The caller's number is kept; the session calls back (agent first) when an agent of the queue is free. */
export type CallbackQueued = DomainEvent<'CallbackQueued', Base & { phone: string; queueId: string }>;
/**
 * A free agent took the kept callback: `callbackCallId` is the new outbound call, agent first. `attempt` counts
 * this try (1 first); `reason` is the routing decision's.
 */
export type CallbackStarted = DomainEvent<
  'CallbackStarted',
  Base & { phone: string; queueId: string; agentId: string; callbackCallId: string; reason?: string; attempt?: number }
>;
/**
 * One try of a kept callback ended (on the original call). `tries` counts tries that rang the customer (an agent's
 * missed offer does not count); `retryAt` is when it is tried again, null when done (answered, or given up).
 * `reasons`: the compliance refusal's codes when the try was blocked.
 */
export type CallbackAttemptEnded = DomainEvent<
  'CallbackAttemptEnded',
  Base & {
    phone: string;
    queueId: string;
    callbackCallId: string;
    outcome: 'answered' | 'not_answered' | 'agent_missed' | 'blocked';
    cause?: string;
    reasons?: string[];
    tries: number;
    maxTries: number;
    retryAt: string | null;
  }
>;
export type QueuePositionAnnounced = DomainEvent<'QueuePositionAnnounced', Base & { queueId: string; position: number; waitedMs: number }>;
export type CallBridged = DomainEvent<'CallBridged', Base & { agentId: string }>;
export type CallHeld = DomainEvent<'CallHeld', Base & { by?: string }>;
export type CallResumed = DomainEvent<'CallResumed', Base & { by?: string }>;
export type CallTransferred = DomainEvent<
  'CallTransferred',
  Base & { fromAgentId?: string; to: TransferTarget; mode: 'blind' | 'attended' }
>;
export type CallRecordingStarted = DomainEvent<'CallRecordingStarted', Base & { recordingId: string; file: string }>;
export type CallRecordingPaused = DomainEvent<'CallRecordingPaused', Base & { recordingId: string; reason?: string }>;
export type CallRecordingResumed = DomainEvent<'CallRecordingResumed', Base & { recordingId: string }>;
export type CallRecordingStopped = DomainEvent<
  'CallRecordingStopped',
  Base & { recordingId: string; file: string; sha256: string; durationMs?: number }
>;
export type CallMonitored = DomainEvent<'CallMonitored', Base & { mode: MonitorMode; supervisorId: string }>;
export type CallMonitorEnded = DomainEvent<'CallMonitorEnded', Base & { supervisorId: string }>;
export type CallForceHungUp = DomainEvent<'CallForceHungUp', Base & { by: string; reason: string }>;
/** cause: the normalized hangup cause, e.g. NORMAL_CLEARING, USER_BUSY, NO_ANSWER. */
export type CallEnded = DomainEvent<
  'CallEnded',
  Base & { cause: string; hangupBy?: 'caller' | 'callee' | 'agent' | 'system' }
>;
/** Answered by a human but no agent came in time: counts against the campaign's abandon rate. */
/** `message`: the recorded message played before the line was dropped (absent: the caller had already gone). */
export type CallAbandoned = DomainEvent<'CallAbandoned', Base & { waitedMs: number; reason: string; message?: string }>;

export type CallEvent =
  | CallDialAttempted
  | CallDialBlocked
  | CallReceived
  | CallRinging
  | CallAnswered
  | CallOffered
  | CallBridged
  | CallHeld
  | CallResumed
  | CallTransferred
  | CallRecordingStarted
  | CallRecordingPaused
  | CallRecordingResumed
  | CallRecordingStopped
  | CallMonitored
  | CallMonitorEnded
  | CallForceHungUp
  | CallEnded
  | CallAbandoned
  | CallRoutingDeferred
  | CallOverflowed
  | CallForwarded
  | CallForwardAnswered
  | CallForwardFailed
  | VoicemailStarted
  | VoicemailRecordingStarted
  | VoicemailLeft
  | CallbackQueued
  | CallbackStarted
  | CallbackAttemptEnded
  | QueuePositionAnnounced;
