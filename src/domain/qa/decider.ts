// QA has two aggregates: the scorecard (its criteria and versions) and one evaluation per call.
export { scorecardDecider, type ScorecardState } from './scorecardDecider.ts';
export { evaluationDecider, type EvaluationState } from './evaluationDecider.ts';
