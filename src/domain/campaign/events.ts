import type { DomainEvent } from '../decider.ts';

export type DialMode = 'preview' | 'progressive' | 'predictive';
export type RetryDisposition = 'busy' | 'no_answer' | 'machine' | 'callback';

/** days: ISO weekdays 1 (Monday) .. 7 (Sunday); start/end: 'HH:MM' local time, end exclusive. */
export interface CallingWindow {
  days: number[];
  start: string;
  end: string;
}

export interface CallingHours {
  windows: CallingWindow[];
  /** 'lead': hours apply in the callee's zone (from the number); 'campaign': in `timeZone`. */
  timeZonePolicy: 'lead' | 'campaign';
  timeZone: string;
}

export interface RetryRule {
  delayMinutes: number;
  /** Attempts allowed for this disposition; defaults to the campaign's maxAttempts. */
  maxAttempts?: number;
}

/** List recycling: leads out of attempts after these outcomes get a new pass over the list after a pause. */
export interface RecycleRule {
  afterMinutes: number;
  maxPasses: number;
  dispositions: RetryDisposition[];
}

export interface CampaignConfig {
  mode: DialMode;
  /** Fraction of answered calls that may be abandoned, 0.03 = 3% (the usual regulatory ceiling). */
  abandonRateTarget: number;
  callingHours: CallingHours;
  maxAttempts: number;
  retryRules: Partial<Record<RetryDisposition, RetryRule>>;
  recycle?: RecycleRule;
  /** Call recording: 'always' (the default: disputes and QA need the audio), 'never' (consent withheld), or 'on-demand'. */
  recording?: 'always' | 'never' | 'on-demand';
  productIds: string[];
  /** The outcomes an agent picks from when wrapping up a call (at least one). */
  dispositions: string[];
  /** The number the callee sees, E.164; unset: the trunk's default. */
  callerId?: string;
  /** The words agents read on this campaign's calls (free text, paragraphs). */
  script?: string;
  questionnaireId?: string;
  scriptId?: string;
  queueId?: string;
  /**
   * Blended floor: the rank of this campaign's answered calls against inbound queues' callers for one ready agent,
   * 1..10 (VICIdial's campaign priority); at equal rank the inbound caller goes first. Unset: DEFAULT_CAMPAIGN_PRIORITY.
   */
  priority?: number;
}

type Base = {
  campaignId: string;
  at: string;
};

export type CampaignCreated = DomainEvent<
  'CampaignCreated',
  Base & { name: string; departmentId: string; createdBy?: string; config: CampaignConfig }
>;
export type CampaignConfigured = DomainEvent<
  'CampaignConfigured',
  Base & { config: CampaignConfig; configuredBy?: string }
>;
export type CampaignListAttached = DomainEvent<'CampaignListAttached', Base & { listId: string }>;
export type CampaignListDetached = DomainEvent<'CampaignListDetached', Base & { listId: string }>;
export type CampaignStarted = DomainEvent<'CampaignStarted', Base & { startedBy?: string }>;
export type CampaignPaused = DomainEvent<'CampaignPaused', Base & { reason: string; pausedBy?: string }>;
export type CampaignStopped = DomainEvent<'CampaignStopped', Base & { reason: string; stoppedBy?: string }>;

export type CampaignEvent =
  | CampaignCreated
  | CampaignConfigured
  | CampaignListAttached
  | CampaignListDetached
  | CampaignStarted
  | CampaignPaused
  | CampaignStopped;
