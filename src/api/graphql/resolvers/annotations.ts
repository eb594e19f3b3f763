import { sql } from 'slonik';
import { z } from 'zod';
import { annotationsDecider, annotationsStreamId, currentAnnotations } from '../../../domain/qa/annotations.ts';
import type { EventStore, RecordedEvent } from '../../../eventstore/types.ts';
import { usersByIds } from '../../auth/identity.ts';
import { inScope } from '../../auth/principal.ts';
import type { ApiContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { newIdFor, run } from '../run.ts';

const Rec = z.object({ call_id: z.string(), duration_ms: z.number().nullable(), agent_id: z.string().nullable() });
const TYPES = ['RecordingAnnotated', 'RecordingAnnotationRemoved'];
/** Not a character of recording ids (GET /recordings/:id takes [\w.:-]), so an annotation id names its recording. */
const SEP = '~';

export const annotationIdFor = (recordingId: string, uuid: string) => `${recordingId}${SEP}${uuid}`;
export const recordingOfAnnotation = (annotationId: string) => {
  const i = annotationId.lastIndexOf(SEP);
  return i > 0 ? annotationId.slice(0, i) : undefined;
};

/**
 * The recording, if the caller may hear it: scoped as GET /recordings/:id (the agent of its call in the caller's
 * scope). Out of scope it does not exist for the caller, the same answer as for an unknown id.
 */
async function audibleRecording(ctx: ApiContext, recordingId: string) {
  const rec = await ctx.pool.maybeOne(sql.type(Rec)`
    SELECT r.call_id, r.duration_ms, a.agent_id
    FROM api.recordings r LEFT JOIN api.call_agents a ON a.call_id = r.call_id
    WHERE r.recording_id = ${recordingId}`);
  if (!rec || !inScope(await ctx.scope(), rec.agent_id)) throw notFound(`recording ${recordingId}`);
  return rec;
}

/** The annotation events of these recordings, in log order: one read for them all. */
export async function annotationEventsOf(
  store: EventStore,
  recordingIds: readonly string[],
): Promise<Map<string, RecordedEvent[]>> {
  const streams = new Map(recordingIds.map((id) => [annotationsStreamId(id), id]));
  const out = new Map<string, RecordedEvent[]>(recordingIds.map((id) => [id, []]));
  if (!streams.size) return out;
  let after = 0;
  for (;;) {
    const page = await store.readAll({
      after,
      maxCount: 1000,
      filter: { streamPrefix: [...streams.keys()], eventTypes: TYPES },
    });
    // A prefix also matches longer ids (annotations-r1 matches annotations-r10): keep exact streams only.
    for (const e of page) {
      const id = streams.get(e.streamId);
      if (id !== undefined) out.get(id)!.push(e);
    }
    if (page.length < 1000) return out;
    after = page[page.length - 1].position;
  }
}

export const annotationResolvers = {
  Query: {
    recordingAnnotations: async (_: unknown, a: { recordingId: string }, ctx: ApiContext) => {
      await audibleRecording(ctx, a.recordingId);
      const [notes] = await annotationLoaders.Recording.annotations([{ obj: { id: a.recordingId } }], ctx);
      return notes;
    },
  },
  Mutation: {
    annotateRecording: async (
      _: unknown,
      a: { recordingId: string; atSeconds: number; note: string; category?: string | null; commandId?: string | null },
      ctx: ApiContext,
    ) => {
      const rec = await audibleRecording(ctx, a.recordingId);
      const annotationId = annotationIdFor(a.recordingId, newIdFor(ctx, 'annotation', a.commandId));
      const data = {
        recordingId: a.recordingId,
        callId: rec.call_id,
        annotationId,
        atSeconds: a.atSeconds,
        note: a.note,
        category: a.category ?? undefined,
        by: ctx.principal!.userId,
        durationSeconds: rec.duration_ms == null ? undefined : rec.duration_ms / 1000,
      };
      return run(ctx, annotationsDecider, a.recordingId, 'AnnotateRecording', data, a.commandId);
    },
    removeAnnotation: async (
      _: unknown,
      a: { annotationId: string; reason: string; commandId?: string | null },
      ctx: ApiContext,
    ) => {
      const recordingId = recordingOfAnnotation(a.annotationId);
      if (!recordingId) throw notFound(`annotation ${a.annotationId}`);
      await audibleRecording(ctx, recordingId);
      const p = ctx.principal!;
      const data = { annotationId: a.annotationId, reason: a.reason, by: p.userId, byRole: p.role };
      return run(ctx, annotationsDecider, recordingId, 'RemoveAnnotation', data, a.commandId);
    },
  },
};

/**
 * Recording.annotations for a whole page of recordings: one read of their annotation events and one users
 * query for the authors' names (mercurius loader), whatever the page size. The recording itself was scoped
 * by the field that returned it.
 */
export const annotationLoaders = {
  Recording: {
    annotations: async (queries: { obj: { id: string } }[], ctx: ApiContext) => {
      const ids = [...new Set(queries.map((q) => q.obj.id))];
      const events = await annotationEventsOf(ctx.store, ids);
      const notes = new Map(ids.map((id) => [id, currentAnnotations(events.get(id) ?? [])]));
      const authors = [...new Set([...notes.values()].flat().map((n) => n.by))];
      const names = new Map(
        (authors.length ? await usersByIds(ctx.pool, authors) : [])
          .filter((u) => u)
          .map((u) => [u!.user_id, u!.display_name]),
      );
      return queries.map((q) =>
        (notes.get(q.obj.id) ?? []).map((n) => ({
          id: n.id,
          recordingId: n.recordingId,
          atSeconds: n.atSeconds,
          note: n.note,
          category: n.category ?? null,
          authorId: n.by,
          authorName: names.get(n.by) ?? null,
          createdAt: n.at,
        })),
      );
    },
  },
};
