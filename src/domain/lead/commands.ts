import type { Command } from '../decider.ts';
import type { Assignee, CallbackVisibility, LeadSource } from './events.ts';

/** `phone` may be raw (any Chinese or international format); the decider normalizes it to E.164. */
export type ImportLead = Command<
  'ImportLead',
  {
    phone: string;
    name?: string;
    source: LeadSource;
    batchId?: string;
    row?: number;
    fields?: Record<string, string>;
    departmentId?: string;
  }
>;
export type SetLeadFields = Command<'SetLeadFields', { fields: Record<string, string> }>;
export type AssignLead = Command<
  'AssignLead',
  { assignee: Assignee; by: 'rule' | 'person'; ruleId?: string; reason: string }
>;
/** privateUntil: the end of the private protection, decided by the caller's policy. */
export type ClaimLead = Command<'ClaimLead', { agentId: string; privateUntil: string }>;
export type ReleaseLead = Command<'ReleaseLead', { agentId: string; reason: string }>;
/** Back to the public pool; before the protection expires only a supervisor may force it. */
export type RecycleLead = Command<'RecycleLead', { rule: string; force?: boolean }>;
export type AddDoNotCall = Command<'AddDoNotCall', { reason: string; source: string }>;
export type RemoveDoNotCall = Command<'RemoveDoNotCall', { reason: string }>;
export type ScheduleCallback = Command<
  'ScheduleCallback',
  { callbackId: string; owner: string; dueAt: string; visibility: CallbackVisibility; note?: string }
>;
export type CompleteCallback = Command<'CompleteCallback', { callbackId: string; callId?: string }>;
export type MarkCallbackMissed = Command<'MarkCallbackMissed', { callbackId: string }>;
/** The owner (or a supervisor) withdraws a promise to call back; the reason is what the customer was told. */
export type CancelCallback = Command<'CancelCallback', { callbackId: string; reason: string }>;
export type RecordDisposition = Command<
  'RecordDisposition',
  { dispositionId: string; code: string; notes?: string; callId?: string; agentId: string; campaignId?: string }
>;
export type CorrectDisposition = Command<
  'CorrectDisposition',
  { dispositionId: string; code: string; notes?: string; reason: string; approvedBy: string; approverRole: string }
>;

export type LeadCommand =
  | ImportLead
  | SetLeadFields
  | AssignLead
  | ClaimLead
  | ReleaseLead
  | RecycleLead
  | AddDoNotCall
  | RemoveDoNotCall
  | ScheduleCallback
  | CompleteCallback
  | MarkCallbackMissed
  | CancelCallback
  | RecordDisposition
  | CorrectDisposition;
