import type { Command } from '../decider.ts';
import type { CallDirection, ComplianceDecision, MonitorMode, RoutingStrategy, TransferTarget } from './events.ts';

/** The compliance decision is made by the caller (dialer) and passed in; a refused one is recorded as CallDialBlocked. */
export type DialCall = Command<
  'DialCall',
  {
    callId: string;
    phone: string;
    direction?: CallDirection;
    campaignId?: string;
    agentId?: string;
    attempt?: number;
    /** Pass over the campaign's list (list recycling): 0 first, then 1, 2... */
    pass?: number;
    /** Why the dialer picked this lead (callback_owner, retry_due, new, recycled...). */
    selection?: string;
    compliance: ComplianceDecision;
  }
>;
export type ReceiveCall = Command<'ReceiveCall', { callId: string; phone: string; did: string }>;
export type MarkRinging = Command<'MarkRinging', Record<string, never>>;
export type MarkAnswered = Command<'MarkAnswered', { answeredBy: 'human' | 'machine'; amdResult?: string }>;
export type OfferCall = Command<
  'OfferCall',
  { candidates: string[]; strategy: RoutingStrategy; winner?: string; queueId?: string }
>;
export type BridgeCall = Command<'BridgeCall', { agentId: string }>;
export type HoldCall = Command<'HoldCall', Record<string, never>>;
export type ResumeCall = Command<'ResumeCall', Record<string, never>>;
export type TransferCall = Command<'TransferCall', { to: TransferTarget; mode: 'blind' | 'attended' }>;
export type StartRecording = Command<'StartRecording', { recordingId: string; file: string }>;
export type PauseRecording = Command<'PauseRecording', { reason?: string }>;
export type ResumeRecording = Command<'ResumeRecording', Record<string, never>>;
export type StopRecording = Command<'StopRecording', { sha256: string; durationMs?: number }>;
export type MonitorCall = Command<'MonitorCall', { mode: MonitorMode; supervisorId: string }>;
export type EndMonitor = Command<'EndMonitor', { supervisorId: string }>;
export type ForceHangUp = Command<'ForceHangUp', { by: string; reason: string }>;
export type EndCall = Command<'EndCall', { cause: string; hangupBy?: 'caller' | 'callee' | 'agent' | 'system' }>;
export type AbandonCall = Command<'AbandonCall', { reason: string }>;

export type CallCommand =
  | DialCall
  | ReceiveCall
  | MarkRinging
  | MarkAnswered
  | OfferCall
  | BridgeCall
  | HoldCall
  | ResumeCall
  | TransferCall
  | StartRecording
  | PauseRecording
  | ResumeRecording
  | StopRecording
  | MonitorCall
  | EndMonitor
  | ForceHangUp
  | EndCall
  | AbandonCall;
