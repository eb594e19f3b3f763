import { commandId, type Api } from './api.ts';

export interface RecordingNote {
  id: string;
  atSeconds: number;
  note: string;
  category: string | null;
  authorId: string;
  authorName: string | null;
  createdAt: string;
}

const LIST = `query RecordingNotes($recordingId: ID!) { recordingAnnotations(recordingId: $recordingId) {
  id atSeconds note category authorId authorName createdAt } }`;
const ME = `query RecordingNotesMe { me { id role } }`;
const ADD = `mutation AnnotateRecording($recordingId: ID!, $atSeconds: Float!, $note: String!, $category: String, $commandId: ID) {
  annotateRecording(recordingId: $recordingId, atSeconds: $atSeconds, note: $note, category: $category, commandId: $commandId) { position } }`;
const REMOVE = `mutation RemoveAnnotation($annotationId: ID!, $reason: String!, $commandId: ID) {
  removeAnnotation(annotationId: $annotationId, reason: $reason, commandId: $commandId) { position } }`;

/** A moment of a recording as the player shows it: 02:13, or 1:02:13 past the hour. */
export function formatMoment(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** Roles the server lets annotate (annotateRecording); removing someone else's note takes a supervisor or admin. */
const ANNOTATORS = ['QA', 'TEAM_LEADER', 'SUPERVISOR', 'ADMIN'];
const OVERSEERS = ['SUPERVISOR', 'ADMIN'];

/**
 * The notes on the recording being played: listed by moment, added at the player's current time, removed
 * with a reason by their author or a supervisor. The server decides; this only hides buttons that would be refused.
 */
export class RecordingNotes {
  notes = $state.raw<RecordingNote[]>([]);
  outcome = $state.raw<{ ok: boolean; text: string } | null>(null);
  me = $state.raw<{ id: string; role: string } | null>(null);
  recordingId: string | null = null;
  private api: Api;

  constructor(api: Api) {
    this.api = api;
  }

  get canAnnotate(): boolean {
    return !!this.me && ANNOTATORS.includes(this.me.role);
  }

  canRemove(n: RecordingNote): boolean {
    return !!this.me && ANNOTATORS.includes(this.me.role) && (n.authorId === this.me.id || OVERSEERS.includes(this.me.role));
  }

  async load(recordingId: string): Promise<void> {
    this.recordingId = recordingId;
    this.notes = [];
    try {
      if (!this.me) this.me = ((await this.api.request(ME)) as any).me ?? null;
      const d: any = await this.api.request(LIST, { recordingId });
      if (this.recordingId === recordingId) this.notes = d.recordingAnnotations;
    } catch (e) {
      this.outcome = { ok: false, text: (e as Error).message };
    }
  }

  /** Returns whether the note was kept, so the form can clear itself. */
  add(atSeconds: number, note: string, category?: string): Promise<boolean> {
    const vars = { recordingId: this.recordingId, atSeconds: Math.round(atSeconds * 1000) / 1000, note: note.trim(), category: category?.trim() || null };
    return this.command(ADD, vars);
  }

  remove(annotationId: string, reason: string): Promise<boolean> {
    return this.command(REMOVE, { annotationId, reason: reason.trim() });
  }

  private async command(query: string, vars: Record<string, unknown>): Promise<boolean> {
    if (!this.recordingId) return false;
    try {
      await this.api.request(query, { ...vars, commandId: commandId() });
      this.outcome = null;
      await this.load(this.recordingId);
      return true;
    } catch (e) {
      this.outcome = { ok: false, text: (e as Error).message };
      return false;
    }
  }
}
