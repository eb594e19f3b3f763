import { ApiError, commandId, type Api } from './api.ts';

export type QuestionKind = 'SINGLE' | 'MULTIPLE' | 'TEXT' | 'NUMBER';

export interface Question {
  id: string;
  text: string;
  kind: QuestionKind;
  required: boolean;
  choices: { id: string; label: string }[];
}

export interface QuestionnaireView {
  id: string;
  name: string;
  version: number;
  questions: Question[];
}

export type AnswerValue = string | string[] | number;
/** What the form holds per question: choice id or typed text (single, text, number), choice ids (multiple). */
export type Draft = Record<string, string | string[]>;

const GET = `query CallQuestionnaire($callId: ID!) { callQuestionnaire(callId: $callId) { callId answeredAt answers { questionId value }
  questionnaire { id name version questions { id text kind required choices { id label } } } } }`;
const SUBMIT = `mutation SubmitAnswers($callId: ID!, $answers: [AnswerInput!]!, $version: Int, $commandId: ID) {
  submitAnswers(callId: $callId, answers: $answers, version: $version, commandId: $commandId) { position events { type } } }`;

const blank = (v: string | string[] | undefined) => (Array.isArray(v) ? v.length === 0 : !v?.trim());

/**
 * The answers to send, from what the form holds: unanswered optional questions are left out; required
 * ones missing are named so the form can point at them before anything is sent.
 */
export function toAnswers(questions: Question[], draft: Draft): { answers: { questionId: string; value: AnswerValue }[]; missing: string[]; notNumber: string[] } {
  const answers: { questionId: string; value: AnswerValue }[] = [];
  const missing: string[] = [];
  const notNumber: string[] = [];
  for (const q of questions) {
    const v = draft[q.id];
    if (blank(v)) {
      if (q.required) missing.push(q.id);
      continue;
    }
    if (q.kind === 'NUMBER') {
      const n = Number(String(v).trim());
      if (!Number.isFinite(n)) notNumber.push(q.id);
      else answers.push({ questionId: q.id, value: n });
    } else if (q.kind === 'MULTIPLE') answers.push({ questionId: q.id, value: [...(v as string[])] });
    else answers.push({ questionId: q.id, value: String(v).trim() });
  }
  return { answers, missing, notNumber };
}

/** The questionnaire of the call on the desk: loaded per call, answered once. */
export class CallQuestionnaire {
  questionnaire = $state.raw<QuestionnaireView | null>(null);
  draft = $state<Draft>({});
  /** Questions the agent must still answer (after a submit attempt). */
  missing = $state<string[]>([]);
  answeredAt = $state<string | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);
  callId: string | null = null;
  private api: Api;

  constructor(api: Api) {
    this.api = api;
  }

  get answered(): boolean {
    return this.answeredAt != null;
  }

  async load(callId: string): Promise<void> {
    this.callId = callId;
    this.questionnaire = null;
    this.draft = {};
    this.missing = [];
    this.answeredAt = null;
    this.error = null;
    try {
      const d = await this.api.request<{ callQuestionnaire: any }>(GET, { callId });
      if (this.callId !== callId) return; // the desk moved on to another call meanwhile
      const cq = d.callQuestionnaire;
      if (!cq) return;
      this.questionnaire = cq.questionnaire;
      this.answeredAt = cq.answeredAt;
      const draft: Draft = {};
      for (const a of cq.answers ?? []) draft[a.questionId] = Array.isArray(a.value) ? a.value.map(String) : String(a.value);
      this.draft = draft;
    } catch (e) {
      // A server without the questionnaire API yet: no form, no error on the desk.
      if (!(e instanceof ApiError && e.code === 'NOT_AVAILABLE')) this.error = (e as Error).message;
    }
  }

  toggle(questionId: string, choiceId: string, on: boolean) {
    const now = (this.draft[questionId] as string[] | undefined) ?? [];
    this.draft[questionId] = on ? [...now.filter((c) => c !== choiceId), choiceId] : now.filter((c) => c !== choiceId);
  }

  async submit(): Promise<boolean> {
    const q = this.questionnaire;
    if (!q || !this.callId || this.answered) return false;
    const { answers, missing, notNumber } = toAnswers(q.questions, this.draft);
    this.missing = [...missing, ...notNumber];
    if (this.missing.length) return false;
    this.busy = true;
    try {
      this.error = null;
      await this.api.request(SUBMIT, { callId: this.callId, answers, version: q.version, commandId: commandId() });
      this.answeredAt = new Date().toISOString();
      return true;
    } catch (e) {
      this.error = (e as Error).message;
      // The server names the required questions it found unanswered.
      const missingIds = e instanceof ApiError ? (e.details as { missing?: string[] } | undefined)?.missing : undefined;
      if (missingIds) this.missing = missingIds;
      return false;
    } finally {
      this.busy = false;
    }
  }
}
