import type { DomainEvent } from '../decider.ts';

export type LeadSource = 'file' | 'missed_call' | 'call_log' | 'callback_list' | 'api';
export type Assignee = { kind: 'agent' | 'team'; id: string };
export type CallbackVisibility = 'public' | 'private';

/** Every event carries `phone` (E.164, the stream's key) and `at` (when it happened). */
type Base = {
  phone: string;
  at: string;
};

export type LeadImported = DomainEvent<
  'LeadImported',
  Base & {
    rawPhone: string;
    name?: string;
    source: LeadSource;
    batchId?: string;
    row?: number;
    fields: Record<string, string>;
    departmentId?: string;
  }
>;
/** A re-import of a known number: a fact on the existing lead, never a second lead. */
export type LeadDuplicateMerged = DomainEvent<
  'LeadDuplicateMerged',
  Base & { rawPhone: string; source: LeadSource; batchId?: string; row?: number; fields: Record<string, string> }
>;
export type LeadFieldsSet = DomainEvent<'LeadFieldsSet', Base & { fields: Record<string, string>; setBy?: string }>;
export type LeadAssigned = DomainEvent<
  'LeadAssigned',
  Base & { assignee: Assignee; by: 'rule' | 'person'; ruleId?: string; assignedBy?: string; reason: string }
>;
export type LeadClaimed = DomainEvent<'LeadClaimed', Base & { agentId: string; privateUntil: string }>;
export type LeadReleased = DomainEvent<'LeadReleased', Base & { agentId: string; reason: string; releasedBy?: string }>;
export type LeadRecycled = DomainEvent<
  'LeadRecycled',
  Base & { rule: string; previousHolder?: string; protectionExpiry?: string; recycledBy?: string }
>;
export type LeadDoNotCallAdded = DomainEvent<
  'LeadDoNotCallAdded',
  Base & { reason: string; source: string; addedBy?: string }
>;
export type LeadDoNotCallRemoved = DomainEvent<'LeadDoNotCallRemoved', Base & { reason: string; removedBy?: string }>;
export type LeadCallbackScheduled = DomainEvent<
  'LeadCallbackScheduled',
  Base & { callbackId: string; owner: string; dueAt: string; visibility: CallbackVisibility; note?: string }
>;
export type LeadCallbackDone = DomainEvent<
  'LeadCallbackDone',
  Base & { callbackId: string; callId?: string; doneBy?: string }
>;
export type LeadCallbackMissed = DomainEvent<'LeadCallbackMissed', Base & { callbackId: string; dueAt: string }>;
export type LeadCallbackCancelled = DomainEvent<
  'LeadCallbackCancelled',
  Base & { callbackId: string; dueAt: string; owner: string; reason: string; cancelledBy?: string }
>;
export type LeadDispositionRecorded = DomainEvent<
  'LeadDispositionRecorded',
  Base & { dispositionId: string; code: string; notes: string; callId?: string; agentId: string; campaignId?: string }
>;
/** A correction is a new fact next to the original; the original stays in history. */
export type LeadDispositionCorrected = DomainEvent<
  'LeadDispositionCorrected',
  Base & {
    dispositionId: string;
    previousCode: string;
    code: string;
    notes?: string;
    reason: string;
    correctedBy?: string;
    approvedBy: string;
    approverRole: string;
  }
>;

export type LeadEvent =
  | LeadImported
  | LeadDuplicateMerged
  | LeadFieldsSet
  | LeadAssigned
  | LeadClaimed
  | LeadReleased
  | LeadRecycled
  | LeadDoNotCallAdded
  | LeadDoNotCallRemoved
  | LeadCallbackScheduled
  | LeadCallbackDone
  | LeadCallbackMissed
  | LeadCallbackCancelled
  | LeadDispositionRecorded
  | LeadDispositionCorrected;
