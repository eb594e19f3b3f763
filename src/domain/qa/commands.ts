import type { Command } from '../decider.ts';
import type { Criterion, CriterionScore } from './events.ts';

export type DefineScorecard = Command<'DefineScorecard', { scorecardId: string; name: string; criteria: Criterion[] }>;
export type ScorecardCommand = DefineScorecard;

/** The scorecard (as loaded from its stream) travels with the command so scoring stays pure. */
export interface ScorecardRef {
  scorecardId: string;
  version: number;
  criteria: Criterion[];
}

export type ScoreCall = Command<
  'ScoreCall',
  { callId: string; scorecard: ScorecardRef; scores: CriterionScore[]; evaluatorId: string; agentId?: string }
>;
export type AnnotateCall = Command<
  'AnnotateCall',
  { callId: string; annotationId: string; offsetMs: number; text: string; by: string }
>;
export type DisputeScore = Command<'DisputeScore', { by: string; reason: string }>;
export type ReviseScore = Command<
  'ReviseScore',
  { scores: CriterionScore[]; reason: string; approvedBy: string; approverRole: string }
>;

export type EvaluationCommand = ScoreCall | AnnotateCall | DisputeScore | ReviseScore;
