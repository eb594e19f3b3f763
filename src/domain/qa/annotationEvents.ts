import type { Command, DomainEvent } from '../decider.ts';

/**
 * Notes pinned to a moment of a recording, one stream per recording (`annotations-<recordingId>`).
 * A removal is its own event: the note stays in the history auditors read.
 */
export type RecordingAnnotated = DomainEvent<
  'RecordingAnnotated',
  {
    recordingId: string;
    callId: string;
    annotationId: string;
    /** Seconds into the recording (fractions allowed: players report them). */
    atSeconds: number;
    note: string;
    category?: string;
    by: string;
    at: string;
  }
>;
export type RecordingAnnotationRemoved = DomainEvent<
  'RecordingAnnotationRemoved',
  { recordingId: string; annotationId: string; reason: string; by: string; at: string }
>;
export type AnnotationEvent = RecordingAnnotated | RecordingAnnotationRemoved;

export type AnnotateRecording = Command<
  'AnnotateRecording',
  {
    recordingId: string;
    callId: string;
    annotationId: string;
    atSeconds: number;
    note: string;
    category?: string;
    by: string;
    /** The recording's length when known; a note past its end is refused. */
    durationSeconds?: number;
  }
>;
export type RemoveAnnotation = Command<
  'RemoveAnnotation',
  { annotationId: string; reason: string; by: string; byRole: string }
>;
export type AnnotationCommand = AnnotateRecording | RemoveAnnotation;
