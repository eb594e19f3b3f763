import { describe, expect, it } from 'vitest';
import { given } from '../testing/spec.ts';
import type { RecordAnswers } from './commands.ts';
import { answersDecider, questionnaireDecider } from './decider.ts';
import type { Answer, AnswersEvent, Question, QuestionnaireEvent } from './events.ts';

const at = '2026-03-02T05:00:00.000Z';
const questions: Question[] = [
  {
    id: 'age',
    text: '您的年龄段',
    kind: 'single',
    required: true,
    choices: [
      { id: 'lt40', label: '40岁以下' },
      { id: 'ge40', label: '40岁及以上' },
    ],
  },
  {
    id: 'interest',
    text: '感兴趣的产品',
    kind: 'multiple',
    required: false,
    choices: [
      { id: 'oil', label: '鱼油' },
      { id: 'ca', label: '钙片' },
      { id: 'vc', label: '维C' },
    ],
  },
  { id: 'budget', text: '月预算(元)', kind: 'number', required: false },
  { id: 'note', text: '备注', kind: 'text', required: false },
];
const defined: QuestionnaireEvent = {
  type: 'QuestionnaireDefined',
  data: { questionnaireId: 'qn1', name: '健康需求调查', version: 1, questions, definedBy: undefined, at },
};
const record = (answers: Answer[]): RecordAnswers => ({
  type: 'RecordAnswers',
  data: {
    callId: 'u1',
    questionnaire: { questionnaireId: 'qn1', version: 1, questions },
    answers,
    agentId: 'a1',
    leadPhone: '+8613800138000',
  },
  meta: { now: at },
});

describe('questionnaire definition', () => {
  it('defines questions with choices and required flags, versioning redefinitions', () => {
    given(questionnaireDecider)
      .when({
        type: 'DefineQuestionnaire',
        data: { questionnaireId: 'qn1', name: '健康需求调查', questions },
        meta: { now: at },
      })
      .then([defined]);
    given(questionnaireDecider, [defined])
      .when({
        type: 'DefineQuestionnaire',
        data: { questionnaireId: 'qn1', name: '健康需求调查', questions: questions.slice(0, 1) },
        meta: { now: at },
      })
      .then((e) => expect(e[0].data).toMatchObject({ version: 2 }));
  });

  it.each([
    [[], 'QUESTIONS_REQUIRED'],
    [[{ id: 'a', text: 'A', kind: 'single', required: true, choices: [{ id: 'x', label: 'X' }] }], 'QUESTION_INVALID'],
    [
      [
        {
          id: 'a',
          text: 'A',
          kind: 'text',
          required: true,
          choices: [
            { id: 'x', label: 'X' },
            { id: 'y', label: 'Y' },
          ],
        },
      ],
      'QUESTION_INVALID',
    ],
    [[{ id: 'a', text: 'A', kind: 'rating', required: true }], 'QUESTION_INVALID'],
    [[{ id: 'a', text: 'A', kind: 'text' }], 'QUESTION_INVALID'],
  ])('rejects questions %j', (bad, code) => {
    given(questionnaireDecider)
      .when({
        type: 'DefineQuestionnaire',
        data: { questionnaireId: 'qn1', name: 'x', questions: bad as Question[] },
        meta: { now: at },
      })
      .thenRejects(code);
  });
});

describe('answers for a call', () => {
  const good: Answer[] = [
    { questionId: 'age', value: 'ge40' },
    { questionId: 'interest', value: ['oil', 'ca'] },
    { questionId: 'budget', value: 300 },
  ];

  it('records answers that fit the definition, once per call', () => {
    const expected: AnswersEvent = {
      type: 'AnswersRecorded',
      data: {
        callId: 'u1',
        questionnaireId: 'qn1',
        version: 1,
        answers: good,
        agentId: 'a1',
        leadPhone: '+8613800138000',
        at,
      },
    };
    given(answersDecider).when(record(good)).then([expected]);
    given(answersDecider, [expected]).when(record(good)).thenRejects('ANSWERS_EXIST');
  });

  it.each([
    [[{ questionId: 'interest', value: ['oil'] }], 'REQUIRED_UNANSWERED', /您的年龄段/],
    [[{ questionId: 'age', value: 'old' }], 'ANSWER_INVALID', /choices/],
    [
      [
        { questionId: 'age', value: 'lt40' },
        { questionId: 'interest', value: ['oil', 'oil'] },
      ],
      'ANSWER_INVALID',
      /distinct/,
    ],
    [
      [
        { questionId: 'age', value: 'lt40' },
        { questionId: 'interest', value: [] },
      ],
      'ANSWER_INVALID',
      /at least one/,
    ],
    [
      [
        { questionId: 'age', value: 'lt40' },
        { questionId: 'budget', value: '三百' },
      ],
      'ANSWER_INVALID',
      /number/,
    ],
    [
      [
        { questionId: 'age', value: 'lt40' },
        { questionId: 'note', value: '  ' },
      ],
      'ANSWER_INVALID',
      /text/,
    ],
    [
      [
        { questionId: 'age', value: 'lt40' },
        { questionId: 'age', value: 'ge40' },
      ],
      'ANSWERS_INVALID',
      /twice/,
    ],
    [
      [
        { questionId: 'age', value: 'lt40' },
        { questionId: 'income', value: 5 },
      ],
      'ANSWERS_INVALID',
      /income/,
    ],
  ])('rejects %j with %s', (answers, code, reason) => {
    given(answersDecider)
      .when(record(answers as Answer[]))
      .thenRejects(code, reason);
  });

  it('ignores unknown events', () => {
    const s = answersDecider.initialState();
    expect(answersDecider.evolve(s, { type: 'AnswersLost', data: {} } as unknown as AnswersEvent)).toBe(s);
  });
});
