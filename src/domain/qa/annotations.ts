import type { Decider, Decision } from '../decider.ts';
import { isNonEmpty, isSupervisor, reject } from '../rules.ts';
import type { AnnotationCommand, AnnotationEvent } from './annotationEvents.ts';

export const ANNOTATIONS_CATEGORY = 'annotations';
export const annotationsStreamId = (recordingId: string): string => `${ANNOTATIONS_CATEGORY}-${recordingId}`;
export const NOTE_MAX = 2000;
export const CATEGORY_MAX = 50;

export interface AnnotationsState {
  recordingId?: string;
  /** Every annotation ever made on the recording: who wrote it and whether it was removed. */
  notes: Record<string, { by: string; removed: boolean }>;
}

const initialState = (): AnnotationsState => ({ notes: {} });

function evolve(s: AnnotationsState, e: AnnotationEvent): AnnotationsState {
  switch (e.type) {
    case 'RecordingAnnotated':
      return {
        recordingId: e.data.recordingId,
        notes: { ...s.notes, [e.data.annotationId]: { by: e.data.by, removed: false } },
      };
    case 'RecordingAnnotationRemoved': {
      const n = s.notes[e.data.annotationId];
      return n ? { ...s, notes: { ...s.notes, [e.data.annotationId]: { ...n, removed: true } } } : s;
    }
    default:
      return s;
  }
}

function decide(c: AnnotationCommand, s: AnnotationsState): Decision<AnnotationEvent> {
  const at = c.meta.now;
  switch (c.type) {
    case 'AnnotateRecording': {
      const d = c.data;
      if (!isNonEmpty(d.recordingId) || !isNonEmpty(d.callId))
        return reject('RECORDING_REQUIRED', 'Name the recording and its call');
      if (s.recordingId && s.recordingId !== d.recordingId)
        return reject('RECORDING_MISMATCH', `These notes are on recording ${s.recordingId}`);
      if (!isNonEmpty(d.annotationId) || s.notes[d.annotationId])
        return reject('ANNOTATION_EXISTS', 'Each annotation has a new id');
      if (!isNonEmpty(d.by)) return reject('AUTHOR_REQUIRED', 'An annotation has an author');
      const note = typeof d.note === 'string' ? d.note.trim() : '';
      if (note.length < 1 || note.length > NOTE_MAX)
        return reject('NOTE_INVALID', `A note is 1 to ${NOTE_MAX} characters`, { length: note.length });
      if (typeof d.atSeconds !== 'number' || !Number.isFinite(d.atSeconds) || d.atSeconds < 0)
        return reject('TIME_INVALID', 'The moment is seconds from the start of the recording, 0 or more');
      if (d.durationSeconds != null && d.atSeconds > d.durationSeconds)
        return reject(
          'TIME_PAST_END',
          `The recording is ${d.durationSeconds} s long; ${d.atSeconds} s is past its end`,
          {
            durationSeconds: d.durationSeconds,
          },
        );
      const category = d.category?.trim() || undefined;
      if (category && category.length > CATEGORY_MAX)
        return reject('CATEGORY_INVALID', `A category is at most ${CATEGORY_MAX} characters`);
      // Milliseconds are as fine as any player seeks; more digits would only be noise in the evidence.
      const atSeconds = Math.round(d.atSeconds * 1000) / 1000;
      return [
        {
          type: 'RecordingAnnotated',
          data: {
            recordingId: d.recordingId,
            callId: d.callId,
            annotationId: d.annotationId,
            atSeconds,
            note,
            ...(category ? { category } : {}),
            by: d.by,
            at,
          },
        },
      ];
    }
    case 'RemoveAnnotation': {
      const d = c.data;
      const n = s.notes[d.annotationId];
      if (!n || !s.recordingId)
        return reject('ANNOTATION_NOT_FOUND', `No annotation ${d.annotationId} on this recording`);
      if (n.removed) return reject('ANNOTATION_REMOVED', 'This annotation was already removed');
      if (!isNonEmpty(d.reason)) return reject('REASON_REQUIRED', 'Say why the annotation is removed');
      if (d.by !== n.by && !isSupervisor(d.byRole))
        return reject('NOT_AUTHOR', 'Only its author or a supervisor removes an annotation');
      return [
        {
          type: 'RecordingAnnotationRemoved',
          data: { recordingId: s.recordingId, annotationId: d.annotationId, reason: d.reason.trim(), by: d.by, at },
        },
      ];
    }
  }
}

export const annotationsDecider: Decider<AnnotationCommand, AnnotationEvent, AnnotationsState> = {
  category: ANNOTATIONS_CATEGORY,
  initialState,
  evolve,
  decide,
};

/** The notes of one recording as they stand: removed ones left out, ordered by moment then by when written. */
export interface AnnotationView {
  id: string;
  recordingId: string;
  callId: string;
  atSeconds: number;
  note: string;
  category?: string;
  by: string;
  at: string;
}
export function currentAnnotations(events: readonly { type: string; data: unknown }[]): AnnotationView[] {
  const byId = new Map<string, AnnotationView>();
  for (const e of events) {
    const d = e.data as Record<string, any>;
    if (e.type === 'RecordingAnnotated')
      byId.set(d.annotationId, {
        id: d.annotationId,
        recordingId: d.recordingId,
        callId: d.callId,
        atSeconds: d.atSeconds,
        note: d.note,
        category: d.category,
        by: d.by,
        at: d.at,
      });
    else if (e.type === 'RecordingAnnotationRemoved') byId.delete(d.annotationId);
  }
  return [...byId.values()].sort((a, b) => a.atSeconds - b.atSeconds || a.at.localeCompare(b.at));
}
