import type { DomainEvent } from '../decider.ts';

export type QuestionKind = 'single' | 'multiple' | 'text' | 'number';

export interface Question {
  id: string;
  text: string;
  kind: QuestionKind;
  /** Only for 'single' and 'multiple'. */
  choices?: { id: string; label: string }[];
  required: boolean;
}

export type QuestionnaireDefined = DomainEvent<
  'QuestionnaireDefined',
  { questionnaireId: string; name: string; version: number; questions: Question[]; definedBy?: string; at: string }
>;
export type QuestionnaireEvent = QuestionnaireDefined;

/** answer: a choice id ('single'), choice ids ('multiple'), free text ('text') or a number ('number'). */
export type Answer = { questionId: string; value: string | string[] | number };

/** Answers for one call live in their own stream (`answers-<callId>`), not in the questionnaire's. */
export type AnswersRecorded = DomainEvent<
  'AnswersRecorded',
  {
    callId: string;
    questionnaireId: string;
    version: number;
    answers: Answer[];
    agentId?: string;
    leadPhone?: string;
    at: string;
  }
>;
export type AnswersEvent = AnswersRecorded;
