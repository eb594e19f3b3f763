import type { Decider, Decision } from '../decider.ts';
import { isNonEmpty, reject } from '../rules.ts';
import type { AnswersCommand, QuestionnaireCommand } from './commands.ts';
import type { AnswersEvent, Question, QuestionnaireEvent } from './events.ts';
import { ANSWERS_CATEGORY, QUESTIONNAIRE_CATEGORY } from './streams.ts';
import { checkAnswers, checkQuestions } from './validate.ts';

export interface QuestionnaireState {
  questionnaireId?: string;
  version: number;
  questions: Question[];
}

function decideQuestionnaire(c: QuestionnaireCommand, s: QuestionnaireState): Decision<QuestionnaireEvent> {
  const d = c.data;
  if (!isNonEmpty(d.questionnaireId) || !isNonEmpty(d.name))
    return reject('QUESTIONNAIRE_NAME_REQUIRED', 'A questionnaire has an id and a name');
  if (s.questionnaireId && s.questionnaireId !== d.questionnaireId)
    return reject('QUESTIONNAIRE_MISMATCH', `This is questionnaire ${s.questionnaireId}`);
  const bad = checkQuestions(d.questions);
  if (bad) return bad;
  // Each definition is a new version; answers name the version they were given against.
  const data = { questionnaireId: d.questionnaireId, name: d.name, version: s.version + 1, questions: d.questions };
  return [{ type: 'QuestionnaireDefined', data: { ...data, definedBy: c.meta.actorId, at: c.meta.now } }];
}

export const questionnaireDecider: Decider<QuestionnaireCommand, QuestionnaireEvent, QuestionnaireState> = {
  category: QUESTIONNAIRE_CATEGORY,
  initialState: () => ({ version: 0, questions: [] }),
  evolve: (s, e) =>
    e.type === 'QuestionnaireDefined'
      ? { questionnaireId: e.data.questionnaireId, version: e.data.version, questions: e.data.questions }
      : s,
  decide: decideQuestionnaire,
};

export interface AnswersState {
  recorded: boolean;
  questionnaireId?: string;
}

function decideAnswers(c: AnswersCommand, s: AnswersState): Decision<AnswersEvent> {
  const d = c.data;
  if (s.recorded) return reject('ANSWERS_EXIST', 'Answers for this call are already recorded');
  if (!isNonEmpty(d.callId)) return reject('CALL_ID_REQUIRED', 'Name the call the answers belong to');
  const q = d.questionnaire;
  if (!q || !isNonEmpty(q.questionnaireId) || !Number.isInteger(q.version))
    return reject('QUESTIONNAIRE_REQUIRED', 'Give the questionnaire and version answered');
  const bad = checkAnswers(q.questions ?? [], d.answers);
  if (bad) return bad;
  const data = {
    callId: d.callId,
    questionnaireId: q.questionnaireId,
    version: q.version,
    answers: d.answers,
    agentId: d.agentId,
    leadPhone: d.leadPhone,
  };
  return [{ type: 'AnswersRecorded', data: { ...data, at: c.meta.now } }];
}

export const answersDecider: Decider<AnswersCommand, AnswersEvent, AnswersState> = {
  category: ANSWERS_CATEGORY,
  initialState: () => ({ recorded: false }),
  evolve: (s, e) => (e.type === 'AnswersRecorded' ? { recorded: true, questionnaireId: e.data.questionnaireId } : s),
  decide: decideAnswers,
};
