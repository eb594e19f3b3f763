import type { DomainEvent } from '../decider.ts';

/** weight: the criterion's points out of 100; weights of a scorecard sum to exactly 100. */
export interface Criterion {
  id: string;
  label: string;
  weight: number;
}

/** score: points earned on one criterion, 0 .. its weight. */
export interface CriterionScore {
  criterionId: string;
  score: number;
  comment?: string;
}

export type ScorecardDefined = DomainEvent<
  'ScorecardDefined',
  { scorecardId: string; name: string; version: number; criteria: Criterion[]; definedBy?: string; at: string }
>;
export type ScorecardEvent = ScorecardDefined;

/** An evaluation is one QA review of one call (stream `evaluation-<callId>`). */
type Base = {
  callId: string;
  at: string;
};

export type CallScored = DomainEvent<
  'CallScored',
  Base & {
    scorecardId: string;
    scorecardVersion: number;
    /** The criteria as scored against, so a later revision is checked against the same card. */
    criteria: Criterion[];
    scores: CriterionScore[];
    total: number;
    evaluatorId: string;
    agentId?: string;
  }
>;
export type CallAnnotated = DomainEvent<
  'CallAnnotated',
  Base & { annotationId: string; offsetMs: number; text: string; by: string }
>;
export type ScoreDisputed = DomainEvent<'ScoreDisputed', Base & { by: string; reason: string }>;
export type ScoreRevised = DomainEvent<
  'ScoreRevised',
  Base & {
    scores: CriterionScore[];
    previousTotal: number;
    total: number;
    reason: string;
    revisedBy?: string;
    approvedBy: string;
  }
>;

export type EvaluationEvent = CallScored | CallAnnotated | ScoreDisputed | ScoreRevised;
