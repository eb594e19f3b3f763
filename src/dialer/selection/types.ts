import type { RetryDisposition, RetryRule } from '../../domain/campaign/events.ts';

/** What the selector needs to know about one lead in the campaign's lists (from the lead projection). */
export interface LeadView {
  phone: string;
  listId: string;
  /** Position in its list: new leads go out in list order. */
  order: number;
  /** 'closed': a final disposition (sale, refused, wrong number...) or do-not-call. */
  status: 'open' | 'closed';
  /** Dials in the current pass over the list. */
  attempts: number;
  /** Times the list was recycled for this lead. */
  passes: number;
  lastDialAt?: string;
  lastDisposition?: RetryDisposition | 'other';
  /** A claimed (private) lead: only this agent may dial it until `privateUntil`. */
  owner?: string;
  privateUntil?: string;
  assignee?: { kind: 'agent' | 'team'; id: string };
  callback?: { dueAt: string; owner: string; visibility: 'public' | 'private' };
  /** The callee's own time zone, from the lead's fields; calling hours are judged there. */
  timeZone?: string;
}

export interface SelectionPolicy {
  maxAttempts: number;
  retryRules: Partial<Record<RetryDisposition, RetryRule>>;
  /** Minutes a due public callback waits for its owner before anyone may take it (default 15). */
  callbackOwnerGraceMinutes?: number;
  /** List recycling: leads out of attempts get a new pass after a pause. */
  recycle?: { afterMinutes: number; maxPasses: number; dispositions: RetryDisposition[] };
}

export interface AgentRef {
  agentId: string;
  teamId?: string;
}

export type SelectionReason =
  | 'callback_owner'
  | 'callback_public'
  | 'assigned_agent'
  | 'assigned_team'
  | 'retry_due'
  | 'new'
  | 'recycled';

export interface Selection {
  lead: LeadView;
  reason: SelectionReason;
  /** For 'recycled': the lead starts pass `passes + 1` with zero attempts (record LeadRecycled). */
  recycle?: boolean;
}
