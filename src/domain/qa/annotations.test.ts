import { describe, expect, it } from 'vitest';
import { given } from '../testing/spec.ts';
import type { AnnotateRecording, AnnotationEvent, RemoveAnnotation } from './annotationEvents.ts';
import { annotationsDecider, currentAnnotations } from './annotations.ts';

const at = '2026-03-02T05:00:00.000Z';
const annotate = (d: Partial<AnnotateRecording['data']> = {}): AnnotateRecording => ({
  type: 'AnnotateRecording',
  data: {
    recordingId: 'r1',
    callId: 'u1',
    annotationId: 'n1',
    atSeconds: 133,
    note: '承诺了脚本外的折扣',
    by: 'q1',
    durationSeconds: 300,
    ...d,
  },
  meta: { now: at },
});
const remove = (d: Partial<RemoveAnnotation['data']> = {}): RemoveAnnotation => ({
  type: 'RemoveAnnotation',
  data: { annotationId: 'n1', reason: '写错了', by: 'q1', byRole: 'qa', ...d },
  meta: { now: at },
});
const annotated: AnnotationEvent = {
  type: 'RecordingAnnotated',
  data: {
    recordingId: 'r1',
    callId: 'u1',
    annotationId: 'n1',
    atSeconds: 133,
    note: '承诺了脚本外的折扣',
    by: 'q1',
    at,
  },
};
const removed: AnnotationEvent = {
  type: 'RecordingAnnotationRemoved',
  data: { recordingId: 'r1', annotationId: 'n1', reason: '写错了', by: 'q1', at },
};

describe('recording annotations', () => {
  it('pins a note to a moment of the recording, trimmed, with its category', () => {
    given(annotationsDecider).when(annotate()).then([annotated]);
    given(annotationsDecider)
      .when(annotate({ note: '  未核实身份 ', category: ' 合规 ', atSeconds: 12.34567 }))
      .then((e) => expect(e[0].data).toMatchObject({ note: '未核实身份', category: '合规', atSeconds: 12.346 }));
    // Length unknown (still recording, or not recorded): any moment from 0 on.
    given(annotationsDecider)
      .when(annotate({ durationSeconds: undefined, atSeconds: 9999 }))
      .then((e) => expect(e).toHaveLength(1));
  });

  it.each([
    [{ note: '   ' }, 'NOTE_INVALID'],
    [{ note: 'x'.repeat(2001) }, 'NOTE_INVALID'],
    [{ atSeconds: -1 }, 'TIME_INVALID'],
    [{ atSeconds: Number.NaN }, 'TIME_INVALID'],
    [{ atSeconds: 301 }, 'TIME_PAST_END'],
    [{ category: 'c'.repeat(51) }, 'CATEGORY_INVALID'],
    [{ by: '' }, 'AUTHOR_REQUIRED'],
    [{ callId: '' }, 'RECORDING_REQUIRED'],
  ])('refuses %j with %s', (bad, code) => {
    given(annotationsDecider).when(annotate(bad)).thenRejects(code);
  });

  it('accepts a note of exactly 2000 characters and one at the very end', () => {
    given(annotationsDecider)
      .when(annotate({ note: 'x'.repeat(2000), atSeconds: 300 }))
      .then((e) => expect(e).toHaveLength(1));
  });

  it('refuses a reused id and a note meant for another recording', () => {
    given(annotationsDecider, [annotated]).when(annotate()).thenRejects('ANNOTATION_EXISTS');
    given(annotationsDecider, [annotated])
      .when(annotate({ annotationId: 'n2', recordingId: 'r2' }))
      .thenRejects('RECORDING_MISMATCH');
  });

  it('is removed by its author or a supervisor, with a reason, once', () => {
    given(annotationsDecider, [annotated]).when(remove()).then([removed]);
    given(annotationsDecider, [annotated])
      .when(remove({ by: 's1', byRole: 'supervisor', reason: '不属实' }))
      .then((e) => expect(e[0].data).toMatchObject({ by: 's1', reason: '不属实' }));
    given(annotationsDecider, [annotated])
      .when(remove({ by: 'q2', byRole: 'qa' }))
      .thenRejects('NOT_AUTHOR', /author or a supervisor/);
    given(annotationsDecider, [annotated])
      .when(remove({ by: 'tl', byRole: 'team_leader' }))
      .thenRejects('NOT_AUTHOR');
    given(annotationsDecider, [annotated])
      .when(remove({ reason: ' ' }))
      .thenRejects('REASON_REQUIRED');
    given(annotationsDecider, [annotated, removed]).when(remove()).thenRejects('ANNOTATION_REMOVED');
    given(annotationsDecider, [annotated])
      .when(remove({ annotationId: 'n9' }))
      .thenRejects('ANNOTATION_NOT_FOUND');
  });

  it('lists the notes standing, by moment, the removed one left out', () => {
    const early: AnnotationEvent = {
      type: 'RecordingAnnotated',
      data: { ...annotated.data, annotationId: 'n2', atSeconds: 5 } as any,
    };
    const late: AnnotationEvent = {
      type: 'RecordingAnnotated',
      data: { ...annotated.data, annotationId: 'n3', atSeconds: 200 } as any,
    };
    expect(currentAnnotations([annotated, late, early]).map((n) => n.id)).toEqual(['n2', 'n1', 'n3']);
    expect(currentAnnotations([annotated, late, early, removed]).map((n) => n.id)).toEqual(['n2', 'n3']);
  });
});
