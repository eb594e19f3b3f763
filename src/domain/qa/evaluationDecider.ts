import { DomainError, type Decider, type Decision } from '../decider.ts';
import { isNonEmpty, isSupervisor, reject } from '../rules.ts';
import type { EvaluationCommand } from './commands.ts';
import type { Criterion, EvaluationEvent } from './events.ts';
import { checkCriteria, totalScore } from './scoring.ts';
import { EVALUATION_CATEGORY } from './streams.ts';

export interface EvaluationState {
  callId?: string;
  scored: boolean;
  criteria: Criterion[];
  total?: number;
  evaluatorId?: string;
  agentId?: string;
  disputed: boolean;
  annotationIds: string[];
}

const initialState = (): EvaluationState => ({ scored: false, criteria: [], disputed: false, annotationIds: [] });

function evolve(s: EvaluationState, e: EvaluationEvent): EvaluationState {
  switch (e.type) {
    case 'CallScored':
      return {
        ...s,
        callId: e.data.callId,
        scored: true,
        criteria: e.data.criteria,
        total: e.data.total,
        evaluatorId: e.data.evaluatorId,
        agentId: e.data.agentId,
      };
    case 'CallAnnotated':
      return { ...s, callId: e.data.callId, annotationIds: [...s.annotationIds, e.data.annotationId] };
    case 'ScoreDisputed':
      return { ...s, disputed: true };
    case 'ScoreRevised':
      return { ...s, total: e.data.total, disputed: false };
    default:
      return s;
  }
}

function decide(c: EvaluationCommand, s: EvaluationState): Decision<EvaluationEvent> {
  const at = c.meta.now;
  switch (c.type) {
    case 'ScoreCall': {
      const d = c.data;
      if (s.scored) return reject('CALL_ALREADY_SCORED', 'This call is scored; revise the score instead');
      if (!isNonEmpty(d.callId)) return reject('CALL_ID_REQUIRED', 'Name the call');
      if (s.callId && s.callId !== d.callId)
        return reject('EVALUATION_MISMATCH', `This evaluation is for call ${s.callId}`);
      if (!isNonEmpty(d.evaluatorId)) return reject('EVALUATOR_REQUIRED', 'Name the evaluator');
      if (d.agentId && d.agentId === d.evaluatorId)
        return reject('SELF_EVALUATION', 'Agents cannot score their own calls');
      const bad = checkCriteria(d.scorecard?.criteria);
      if (bad) return bad;
      const total = totalScore(d.scorecard.criteria, d.scores);
      if (total instanceof DomainError) return total;
      const { scorecardId, version } = d.scorecard;
      return [
        {
          type: 'CallScored',
          data: {
            callId: d.callId,
            at,
            scorecardId,
            scorecardVersion: version,
            criteria: d.scorecard.criteria,
            scores: d.scores,
            total,
            evaluatorId: d.evaluatorId,
            agentId: d.agentId,
          },
        },
      ];
    }
    case 'AnnotateCall': {
      const d = c.data;
      if (!isNonEmpty(d.callId) || (s.callId && s.callId !== d.callId))
        return reject('EVALUATION_MISMATCH', `This evaluation is for call ${s.callId}`);
      if (!isNonEmpty(d.annotationId) || s.annotationIds.includes(d.annotationId))
        return reject('ANNOTATION_EXISTS', 'Each annotation has a new id');
      if (!Number.isInteger(d.offsetMs) || d.offsetMs < 0)
        return reject('OFFSET_INVALID', 'The offset is whole milliseconds into the recording');
      if (!isNonEmpty(d.text) || !isNonEmpty(d.by))
        return reject('ANNOTATION_TEXT_REQUIRED', 'An annotation has text and an author');
      return [
        {
          type: 'CallAnnotated',
          data: { callId: d.callId, at, annotationId: d.annotationId, offsetMs: d.offsetMs, text: d.text, by: d.by },
        },
      ];
    }
    case 'DisputeScore':
      if (!s.scored || !s.callId) return reject('CALL_NOT_SCORED', 'Only a scored call can be disputed');
      if (s.disputed) return reject('DISPUTE_OPEN', 'This score is already under dispute');
      if (!isNonEmpty(c.data.by) || !isNonEmpty(c.data.reason))
        return reject('REASON_REQUIRED', 'Say who disputes and why');
      return [{ type: 'ScoreDisputed', data: { callId: s.callId, at, by: c.data.by, reason: c.data.reason } }];
    case 'ReviseScore': {
      const d = c.data;
      if (!s.scored || !s.callId || s.total === undefined)
        return reject('CALL_NOT_SCORED', 'Only a scored call can be revised');
      if (!isNonEmpty(d.reason)) return reject('REASON_REQUIRED', 'A revision needs a reason');
      if (!isNonEmpty(d.approvedBy) || !isSupervisor(d.approverRole))
        return reject('REVISION_NEEDS_SUPERVISOR', 'A score revision is approved by a supervisor');
      if (d.approvedBy === s.agentId)
        return reject('SELF_APPROVAL', 'Agents cannot approve revisions of their own scores');
      const total = totalScore(s.criteria, d.scores);
      if (total instanceof DomainError) return total;
      return [
        {
          type: 'ScoreRevised',
          data: {
            callId: s.callId,
            at,
            scores: d.scores,
            previousTotal: s.total,
            total,
            reason: d.reason,
            revisedBy: c.meta.actorId,
            approvedBy: d.approvedBy,
          },
        },
      ];
    }
  }
}

export const evaluationDecider: Decider<EvaluationCommand, EvaluationEvent, EvaluationState> = {
  category: EVALUATION_CATEGORY,
  initialState,
  evolve,
  decide,
};
