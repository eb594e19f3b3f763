import { sql } from 'slonik';
import type { RecordedEvent } from '../../../eventstore/types.ts';
import { loadDocs, saveDocs } from '../../runtime/docs.ts';
import type { Projection } from '../../runtime/types.ts';

/** One QA evaluation of one call, as the API lists it: the latest revision's scores. */
export interface QaScoreDoc {
  /** The evaluation stream (`evaluation-<callId>`). */
  id: string;
  callId: string;
  agentId: string | null;
  reviewerId: string;
  scorecard: string;
  /** criterionId -> points */
  items: Record<string, number>;
  total: number;
  /** The card's points in all (its weights sum to 100). */
  max: number;
  comment: string | null;
  fatal: boolean;
  /** When scored, or last revised. */
  at: string;
  /** Log position of the first score: the list's order (newest evaluation first). */
  position: number;
}

type A = Record<string, any>;
const items = (scores: { criterionId: string; score: number }[]) => Object.fromEntries(scores.map((s) => [s.criterionId, s.score]));

/** Folds CallScored / ScoreRevised into the evaluation's row (in place); a revision of an unknown score is ignored. */
export function evolveQaScore(doc: QaScoreDoc | undefined, e: RecordedEvent): QaScoreDoc | undefined {
  const d = e.data as A;
  if (e.type === 'CallScored') {
    // a replay of the first score keeps the row (and its place in the list)
    if (doc) return doc;
    const criteria = (d.criteria as { weight: number }[] | undefined) ?? [];
    return {
      id: e.streamId,
      callId: d.callId,
      agentId: d.agentId ?? null,
      reviewerId: d.evaluatorId,
      scorecard: d.scorecardId,
      items: items(d.scores ?? []),
      total: d.total,
      max: criteria.length ? criteria.reduce((s, c) => s + c.weight, 0) : 100,
      comment: null,
      fatal: false,
      at: d.at,
      position: e.position,
    };
  }
  if (e.type === 'ScoreRevised' && doc) Object.assign(doc, { total: d.total, items: items(d.scores ?? []), at: d.at });
  return doc;
}

/** QA scores per evaluation, for qaScores: paged and scoped in SQL instead of read from the log per request. */
export const qaScoresProjection: Projection = {
  name: 'qaScores',
  version: 1,
  eventTypes: ['CallScored', 'ScoreRevised'],
  tables: ['qa_score'],
  createTables: (schema) => {
    const t = sql.identifier([schema, 'qa_score']);
    return [
      sql.unsafe`CREATE TABLE IF NOT EXISTS ${t} (
        key text PRIMARY KEY,
        doc jsonb NOT NULL,
        agent_id text GENERATED ALWAYS AS (doc ->> 'agentId') STORED,
        reviewer_id text GENERATED ALWAYS AS (doc ->> 'reviewerId') STORED,
        at text GENERATED ALWAYS AS (doc ->> 'at') STORED,
        pos bigint GENERATED ALWAYS AS ((doc ->> 'position')::bigint) STORED
      )`,
      sql.unsafe`CREATE INDEX IF NOT EXISTS ${sql.identifier(['qa_score_by_pos'])} ON ${t} (pos DESC, key)`,
      sql.unsafe`CREATE INDEX IF NOT EXISTS ${sql.identifier(['qa_score_by_agent'])} ON ${t} (agent_id, pos DESC)`,
      sql.unsafe`CREATE INDEX IF NOT EXISTS ${sql.identifier(['qa_score_by_reviewer'])} ON ${t} (reviewer_id, pos DESC)`,
    ];
  },
  async handle(tx, events, ctx) {
    const table = ctx.table('qa_score');
    const docs = await loadDocs<QaScoreDoc>(tx, table, events.map((e) => (e.data as A).callId as string));
    for (const e of events) {
      const id = (e.data as A).callId as string;
      const doc = evolveQaScore(docs.get(id), e);
      if (!doc) continue;
      docs.set(id, doc);
      ctx.changed('qa_score', id);
    }
    await saveDocs(tx, table, docs, docs.keys());
  },
};
