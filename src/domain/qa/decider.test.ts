import { describe, expect, it } from 'vitest';
import { given } from '../testing/spec.ts';
import type { EvaluationCommand, ScorecardRef } from './commands.ts';
import { evaluationDecider } from './evaluationDecider.ts';
import type { Criterion, EvaluationEvent, ScorecardEvent } from './events.ts';
import { scorecardDecider } from './scorecardDecider.ts';

const at = '2026-03-02T05:00:00.000Z';
const criteria: Criterion[] = [
  { id: 'greeting', label: '开场白', weight: 20 },
  { id: 'needs', label: '需求挖掘', weight: 50 },
  { id: 'compliance', label: '合规用语', weight: 30 },
];
const card: ScorecardRef = { scorecardId: 'sc1', version: 1, criteria };
const defined: ScorecardEvent = {
  type: 'ScorecardDefined',
  data: { scorecardId: 'sc1', name: '外呼质检', version: 1, criteria, definedBy: 'q1', at },
};
const cmd = <C extends EvaluationCommand>(type: C['type'], data: C['data'], meta: Partial<C['meta']> = {}) =>
  ({ type, data, meta: { now: at, ...meta } }) as C;
const scores = [
  { criterionId: 'greeting', score: 18 },
  { criterionId: 'needs', score: 35 },
  { criterionId: 'compliance', score: 30 },
];
const scored: EvaluationEvent = {
  type: 'CallScored',
  data: {
    callId: 'u1',
    at,
    scorecardId: 'sc1',
    scorecardVersion: 1,
    criteria,
    scores,
    total: 83,
    evaluatorId: 'q1',
    agentId: 'a1',
  },
};

describe('QA scorecards', () => {
  it('defines a scorecard whose weights sum to 100, and versions redefinitions', () => {
    given(scorecardDecider)
      .when({
        type: 'DefineScorecard',
        data: { scorecardId: 'sc1', name: '外呼质检', criteria },
        meta: { now: at, actorId: 'q1' },
      })
      .then([defined]);
    given(scorecardDecider, [defined])
      .when({ type: 'DefineScorecard', data: { scorecardId: 'sc1', name: '外呼质检 v2', criteria }, meta: { now: at } })
      .then((e) => expect(e[0].data).toMatchObject({ version: 2 }));
  });

  it.each([
    [
      [
        { id: 'a', label: 'A', weight: 60 },
        { id: 'b', label: 'B', weight: 30 },
      ],
      'WEIGHTS_NOT_100',
      /90/,
    ],
    [
      [
        { id: 'a', label: 'A', weight: 50 },
        { id: 'a', label: 'B', weight: 50 },
      ],
      'CRITERION_INVALID',
      /twice/,
    ],
    [[{ id: 'a', label: 'A', weight: 100.5 }], 'WEIGHT_INVALID', /whole/],
    [[], 'CRITERIA_REQUIRED', /criterion/],
  ])('rejects criteria %j', (bad, code, reason) => {
    given(scorecardDecider)
      .when({ type: 'DefineScorecard', data: { scorecardId: 'sc1', name: 'x', criteria: bad }, meta: { now: at } })
      .thenRejects(code, reason);
  });
});

describe('QA evaluations', () => {
  it('scores a call per criterion and computes the total', () => {
    given(evaluationDecider)
      .when(cmd('ScoreCall', { callId: 'u1', scorecard: card, scores, evaluatorId: 'q1', agentId: 'a1' }))
      .then([scored]);
  });

  it('rejects incomplete, out-of-range and foreign scores, and self-evaluation', () => {
    const base = { callId: 'u1', scorecard: card, evaluatorId: 'q1', agentId: 'a1' };
    given(evaluationDecider)
      .when(cmd('ScoreCall', { ...base, scores: scores.slice(0, 2) }))
      .thenRejects('SCORES_INCOMPLETE', /合规用语/);
    given(evaluationDecider)
      .when(cmd('ScoreCall', { ...base, scores: [...scores.slice(1), { criterionId: 'greeting', score: 21 }] }))
      .thenRejects('SCORES_INVALID', /0 to 20/);
    given(evaluationDecider)
      .when(cmd('ScoreCall', { ...base, scores: [...scores, { criterionId: 'smile', score: 1 }] }))
      .thenRejects('SCORES_INVALID');
    given(evaluationDecider)
      .when(cmd('ScoreCall', { ...base, scores, evaluatorId: 'a1' }))
      .thenRejects('SELF_EVALUATION');
    given(evaluationDecider, [scored])
      .when(cmd('ScoreCall', { ...base, scores }))
      .thenRejects('CALL_ALREADY_SCORED');
  });

  it('annotates a moment of the recording', () => {
    given(evaluationDecider, [scored])
      .when(cmd('AnnotateCall', { callId: 'u1', annotationId: 'n1', offsetMs: 83_500, text: '未核实身份', by: 'q1' }))
      .then([
        {
          type: 'CallAnnotated',
          data: { callId: 'u1', at, annotationId: 'n1', offsetMs: 83_500, text: '未核实身份', by: 'q1' },
        },
      ]);
    given(evaluationDecider)
      .when(cmd('AnnotateCall', { callId: 'u1', annotationId: 'n1', offsetMs: -1, text: 'x', by: 'q1' }))
      .thenRejects('OFFSET_INVALID');
  });

  it('is disputed once, then revised with supervisor approval, keeping the previous total', () => {
    const disputed: EvaluationEvent = {
      type: 'ScoreDisputed',
      data: { callId: 'u1', at, by: 'a1', reason: '客户已确认身份' },
    };
    given(evaluationDecider)
      .when(cmd('DisputeScore', { by: 'a1', reason: 'x' }))
      .thenRejects('CALL_NOT_SCORED');
    given(evaluationDecider, [scored])
      .when(cmd('DisputeScore', { by: 'a1', reason: '客户已确认身份' }))
      .then([disputed]);
    given(evaluationDecider, [scored, disputed])
      .when(cmd('DisputeScore', { by: 'a1', reason: 'again' }))
      .thenRejects('DISPUTE_OPEN');
    const revised = [{ ...scores[0] }, { criterionId: 'needs', score: 45 }, scores[2]];
    given(evaluationDecider, [scored, disputed])
      .when(cmd('ReviseScore', { scores: revised, reason: '复核录音', approvedBy: 's1', approverRole: 'agent' }))
      .thenRejects('REVISION_NEEDS_SUPERVISOR');
    given(evaluationDecider, [scored, disputed])
      .when(
        cmd(
          'ReviseScore',
          { scores: revised, reason: '复核录音', approvedBy: 's1', approverRole: 'supervisor' },
          { actorId: 'q1' },
        ),
      )
      .then([
        {
          type: 'ScoreRevised',
          data: {
            callId: 'u1',
            at,
            scores: revised,
            previousTotal: 83,
            total: 93,
            reason: '复核录音',
            revisedBy: 'q1',
            approvedBy: 's1',
          },
        },
      ]);
    given(evaluationDecider, [scored, disputed])
      .when(cmd('ReviseScore', { scores: revised.slice(1), reason: 'r', approvedBy: 's1', approverRole: 'supervisor' }))
      .thenRejects('SCORES_INCOMPLETE');
  });

  it('ignores unknown events', () => {
    const s = evaluationDecider.initialState();
    expect(evaluationDecider.evolve(s, { type: 'CallLiked', data: {} } as unknown as EvaluationEvent)).toBe(s);
    const c = scorecardDecider.initialState();
    expect(scorecardDecider.evolve(c, { type: 'ScorecardLiked', data: {} } as unknown as ScorecardEvent)).toBe(c);
  });
});
