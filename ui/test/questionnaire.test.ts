import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import QuestionnaireForm from '../src/components/agent/QuestionnaireForm.svelte';
import { ApiError } from '../src/lib/api.ts';
import { I18n } from '../src/lib/i18n.svelte.ts';
import { CallQuestionnaire, toAnswers, type Question } from '../src/lib/questionnaire.svelte.ts';
import { FakeApi } from './fakeApi.ts';

const QUESTIONS: Question[] = [
  { id: 'age', text: '您的年龄段', kind: 'SINGLE', required: true, choices: [{ id: 'lt40', label: '40岁以下' }, { id: 'ge40', label: '40岁及以上' }] },
  { id: 'interest', text: '感兴趣的产品', kind: 'MULTIPLE', required: false, choices: [{ id: 'oil', label: '鱼油' }, { id: 'ca', label: '钙片' }] },
  { id: 'budget', text: '月预算(元)', kind: 'NUMBER', required: false, choices: [] },
  { id: 'note', text: '备注', kind: 'TEXT', required: true, choices: [] },
];
const served = (answers: unknown = null) => ({ callQuestionnaire: { callId: 'call-9', answeredAt: answers ? '2026-03-01T02:00:00Z' : null, answers, questionnaire: { id: 'health', name: '健康需求调查', version: 2, questions: QUESTIONS } } });
const text = (html: string) => html.replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
function en() {
  const i = new I18n();
  i.locale = 'en';
  return i;
}

describe('questionnaire answers', () => {
  it('sends answered questions in their types and names the required ones left blank', () => {
    expect(toAnswers(QUESTIONS, { age: 'ge40', interest: ['oil'], budget: ' 300 ', note: ' 晚上方便 ' })).toEqual({
      answers: [{ questionId: 'age', value: 'ge40' }, { questionId: 'interest', value: ['oil'] }, { questionId: 'budget', value: 300 }, { questionId: 'note', value: '晚上方便' }],
      missing: [], notNumber: [],
    });
    expect(toAnswers(QUESTIONS, { interest: [], budget: '三百', note: '  ' })).toEqual({ answers: [], missing: ['age', 'note'], notNumber: ['budget'] });
  });
});

describe('CallQuestionnaire', () => {
  it('loads the call’s questionnaire, sends nothing while a required question is blank, then records the answers', async () => {
    const api = new FakeApi().on('CallQuestionnaire', () => served()).on('SubmitAnswers', () => ({ submitAnswers: { position: 9, events: [{ type: 'AnswersRecorded' }] } }));
    const qn = new CallQuestionnaire(api);
    await qn.load('call-9');
    expect(qn.questionnaire?.name).toBe('健康需求调查');
    qn.draft.interest = ['oil'];
    expect(await qn.submit()).toBe(false);
    expect(qn.missing).toEqual(['age', 'note']);
    expect(api.named('SubmitAnswers')).toHaveLength(0);
    qn.draft.age = 'lt40';
    qn.draft.note = '晚上方便';
    qn.toggle('interest', 'ca', true);
    qn.toggle('interest', 'oil', false);
    expect(await qn.submit()).toBe(true);
    expect(api.named('SubmitAnswers')[0].variables).toMatchObject({ callId: 'call-9', version: 2, answers: [{ questionId: 'age', value: 'lt40' }, { questionId: 'interest', value: ['ca'] }, { questionId: 'note', value: '晚上方便' }] });
    expect(qn.answered).toBe(true);
    expect(await qn.submit()).toBe(false); // once per call
  });

  it('shows the server’s refusal and marks the questions it names', async () => {
    const api = new FakeApi().on('CallQuestionnaire', () => served())
      .on('SubmitAnswers', () => { throw new ApiError('REQUIRED_UNANSWERED', '必答题未答 / Required: 备注', { missing: ['note'] }); });
    const qn = new CallQuestionnaire(api);
    await qn.load('call-9');
    Object.assign(qn.draft, { age: 'lt40', note: 'x' });
    expect(await qn.submit()).toBe(false);
    expect(qn.error).toMatch(/必答题未答/);
    expect(qn.missing).toEqual(['note']);
    expect(qn.answered).toBe(false);
  });

  it('shows a call answered before with its answers, and no form for a campaign without a questionnaire', async () => {
    const api = new FakeApi().on('CallQuestionnaire', (v) => (v.callId === 'call-9' ? served([{ questionId: 'age', value: 'ge40' }, { questionId: 'budget', value: 300 }]) : { callQuestionnaire: null }));
    const qn = new CallQuestionnaire(api);
    await qn.load('call-9');
    expect(qn.answered).toBe(true);
    expect(qn.draft).toEqual({ age: 'ge40', budget: '300' });
    await qn.load('call-10');
    expect(qn.questionnaire).toBeNull();
    expect(render(QuestionnaireForm, { props: { i18n: new I18n(), qn } }).body).not.toContain('questionnaire');
  });
});

describe('questionnaire form', () => {
  it('draws each question by its kind, marks the required ones, and names what is missing', async () => {
    const qn = new CallQuestionnaire(new FakeApi().on('CallQuestionnaire', () => served()));
    await qn.load('call-9');
    const { body } = render(QuestionnaireForm, { props: { i18n: new I18n(), qn } });
    expect(text(body)).toContain('问卷 · 健康需求调查');
    expect(body.match(/type="radio"/g)).toHaveLength(2);
    expect(body.match(/type="checkbox"/g)).toHaveLength(2);
    expect(text(body)).toContain('您的年龄段 必答');
    expect(text(body)).toContain('提交问卷');
    qn.missing = ['age', 'note'];
    expect(text(render(QuestionnaireForm, { props: { i18n: new I18n(), qn } }).body)).toContain('请回答：您的年龄段、备注');
    expect(text(render(QuestionnaireForm, { props: { i18n: en(), qn } }).body)).toContain('Please answer: 您的年龄段、备注');
  });

  it('shows recorded answers read-only', async () => {
    const qn = new CallQuestionnaire(new FakeApi().on('CallQuestionnaire', () => served([{ questionId: 'age', value: 'ge40' }, { questionId: 'note', value: 'x' }])));
    await qn.load('call-9');
    const { body } = render(QuestionnaireForm, { props: { i18n: en(), qn } });
    expect(text(body)).toContain('Answers recorded');
    expect(text(body)).not.toContain('Submit answers');
    expect(body).toMatch(/<fieldset[^>]*disabled/);
  });
});
