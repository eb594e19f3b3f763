import type { DomainError } from '../decider.ts';
import { isNonEmpty, reject } from '../rules.ts';
import type { Answer, Question, QuestionKind } from './events.ts';

const KINDS: readonly QuestionKind[] = ['single', 'multiple', 'text', 'number'];
const MAX_TEXT = 2000;

export function checkQuestions(questions: unknown): DomainError | undefined {
  if (!Array.isArray(questions) || questions.length === 0)
    return reject('QUESTIONS_REQUIRED', 'A questionnaire has at least one question');
  const ids = new Set<string>();
  for (const q of questions as Question[]) {
    if (!isNonEmpty(q?.id) || !isNonEmpty(q.text))
      return reject('QUESTION_INVALID', 'Every question has an id and a text');
    if (ids.has(q.id)) return reject('QUESTION_INVALID', `Question ${q.id} appears twice`);
    ids.add(q.id);
    if (!KINDS.includes(q.kind))
      return reject('QUESTION_INVALID', `Question ${q.id}: kind is one of ${KINDS.join(', ')}`);
    if (typeof q.required !== 'boolean')
      return reject('QUESTION_INVALID', `Question ${q.id}: say whether it is required`);
    const hasChoices = q.kind === 'single' || q.kind === 'multiple';
    if (!hasChoices && q.choices !== undefined)
      return reject('QUESTION_INVALID', `Question ${q.id}: a ${q.kind} question has no choices`);
    if (hasChoices) {
      const choices = Array.isArray(q.choices) ? q.choices : [];
      if (choices.length < 2) return reject('QUESTION_INVALID', `Question ${q.id}: give at least two choices`);
      const choiceIds = new Set(choices.map((c) => c?.id));
      if (choiceIds.size !== choices.length || choices.some((c) => !isNonEmpty(c?.id) || !isNonEmpty(c.label))) {
        return reject('QUESTION_INVALID', `Question ${q.id}: choices need distinct ids and labels`);
      }
    }
  }
  return undefined;
}

function checkValue(q: Question, value: unknown): string | undefined {
  const choiceIds = new Set((q.choices ?? []).map((c) => c.id));
  switch (q.kind) {
    case 'single':
      return typeof value === 'string' && choiceIds.has(value) ? undefined : 'pick one of its choices';
    case 'multiple':
      if (!Array.isArray(value) || value.length === 0) return 'pick at least one choice';
      if (new Set(value).size !== value.length || value.some((v) => !choiceIds.has(v)))
        return 'pick distinct choices of this question';
      return undefined;
    case 'text':
      return isNonEmpty(value) && value.length <= MAX_TEXT
        ? undefined
        : `answer with text up to ${MAX_TEXT} characters`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'answer with a number';
  }
}

/** Answers must fit the definition: known questions, once each, right shape, every required one present. */
export function checkAnswers(questions: Question[], answers: unknown): DomainError | undefined {
  if (!Array.isArray(answers)) return reject('ANSWERS_INVALID', 'Answers are a list of { questionId, value }');
  const byId = new Map(questions.map((q) => [q.id, q]));
  const seen = new Set<string>();
  for (const a of answers as Answer[]) {
    const q = byId.get(a?.questionId);
    if (!q) return reject('ANSWERS_INVALID', `"${a?.questionId}" is not a question of this questionnaire`);
    if (seen.has(q.id)) return reject('ANSWERS_INVALID', `Question "${q.text}" is answered twice`);
    seen.add(q.id);
    const problem = checkValue(q, a.value);
    if (problem) return reject('ANSWER_INVALID', `"${q.text}": ${problem}`, { questionId: q.id });
  }
  const missing = questions.filter((q) => q.required && !seen.has(q.id));
  if (missing.length) {
    return reject('REQUIRED_UNANSWERED', `必答题未答 / Required: ${missing.map((q) => q.text).join('; ')}`, {
      missing: missing.map((q) => q.id),
    });
  }
  return undefined;
}
