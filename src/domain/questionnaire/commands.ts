import type { Command } from '../decider.ts';
import type { Answer, Question } from './events.ts';

export type DefineQuestionnaire = Command<
  'DefineQuestionnaire',
  { questionnaireId: string; name: string; questions: Question[] }
>;
export type QuestionnaireCommand = DefineQuestionnaire;

/** The definition (as loaded from the questionnaire's stream) travels with the command so validation stays pure. */
export type RecordAnswers = Command<
  'RecordAnswers',
  {
    callId: string;
    questionnaire: { questionnaireId: string; version: number; questions: Question[] };
    answers: Answer[];
    agentId?: string;
    leadPhone?: string;
  }
>;
export type AnswersCommand = RecordAnswers;
