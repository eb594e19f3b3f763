import { sql } from 'slonik';
import { z } from 'zod';
import { DocRow } from '../shared/rows.ts';
import { decodeCursor, encodeCursor, isoInstant, pageSize, tableIn, toPage, type Db, type Page, type PageArgs, type ReadOptions } from '../shared/query.ts';
import type { QaScoreDoc } from './projection.ts';

export interface QaPeriod extends ReadOptions {
  /** Calls started in [from, to). */
  from?: string;
  to?: string;
  agentId?: string;
}

function period(f: QaPeriod) {
  const where = [sql.fragment`qa_total IS NOT NULL`];
  const from = isoInstant(f.from, 'from');
  const to = isoInstant(f.to, 'to');
  if (from) where.push(sql.fragment`started_at >= ${from}`);
  if (to) where.push(sql.fragment`started_at < ${to}`);
  if (f.agentId) where.push(sql.fragment`agent_id = ${f.agentId}`);
  return sql.join(where, sql.fragment` AND `);
}

const AgentScore = z.object({ agent_id: z.string(), evaluations: z.number(), average: z.number(), disputed: z.number() });

/** QA score per agent: evaluations, average total (out of 100), disputes open. */
export async function qaByAgent(db: Db, f: QaPeriod = {}) {
  const rows = await db.any(sql.type(AgentScore)`
    SELECT agent_id, count(*)::int AS evaluations, avg(qa_total)::float8 AS average,
           count(*) FILTER (WHERE (doc #>> '{qa,disputed}')::boolean)::int AS disputed
    FROM ${tableIn(f, 'call')} WHERE ${period(f)} AND agent_id IS NOT NULL GROUP BY agent_id ORDER BY average DESC, agent_id`);
  return rows.map((r) => ({ agentId: r.agent_id, evaluations: r.evaluations, average: r.average, disputed: r.disputed }));
}

const CriterionScore = z.object({ agent_id: z.string().nullable(), criterion_id: z.string(), evaluations: z.number(), average: z.number() });

/** QA score per agent and criterion: how each agent does on each point of the scorecard. */
export async function qaByCriterion(db: Db, f: QaPeriod = {}) {
  const rows = await db.any(sql.type(CriterionScore)`
    SELECT agent_id, s ->> 'criterionId' AS criterion_id, count(*)::int AS evaluations, avg((s ->> 'score')::numeric)::float8 AS average
    FROM ${tableIn(f, 'call')}, jsonb_array_elements(doc #> '{qa,scores}') AS s
    WHERE ${period(f)} GROUP BY agent_id, criterion_id ORDER BY agent_id, criterion_id`);
  return rows.map((r) => ({ agentId: r.agent_id, criterionId: r.criterion_id, evaluations: r.evaluations, average: r.average }));
}

export interface QaScoreFilter extends PageArgs, ReadOptions {
  agentId?: string;
  reviewerId?: string;
  /** Scored (or last revised) in [from, to). */
  from?: string;
  to?: string;
  fatal?: boolean;
  /** The caller's scope: scores of these agents, and those `viewer` gave, in the query so pages stay full. */
  agentIds?: string[];
  viewer?: string;
}

/** QA evaluations, newest first, from the qaScores projection. */
export async function listQaScores(db: Db, f: QaScoreFilter = {}): Promise<Page<QaScoreDoc> & { totalCount: number }> {
  const size = pageSize(f);
  const where = [sql.fragment`TRUE`];
  if (f.agentIds) where.push(sql.fragment`(agent_id = ANY(${sql.array(f.agentIds, 'text')}) OR reviewer_id = ${f.viewer ?? ''})`);
  if (f.agentId) where.push(sql.fragment`agent_id = ${f.agentId}`);
  if (f.reviewerId) where.push(sql.fragment`reviewer_id = ${f.reviewerId}`);
  const from = isoInstant(f.from, 'from');
  const to = isoInstant(f.to, 'to');
  if (from) where.push(sql.fragment`at >= ${from}`);
  if (to) where.push(sql.fragment`at < ${to}`);
  if (f.fatal != null) where.push(sql.fragment`(doc ->> 'fatal')::boolean = ${f.fatal}`);
  const t = tableIn(f, 'qa_score');
  const total = await db.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM ${t} WHERE ${sql.join(where, sql.fragment` AND `)}`);
  const after = decodeCursor(f.after);
  if (after) where.push(sql.fragment`(pos, key) < (${Number(after.sortValue)}, ${after.key})`);
  const rows = await db.any(sql.type(DocRow)`
    SELECT key, doc FROM ${t} WHERE ${sql.join(where, sql.fragment` AND `)} ORDER BY pos DESC, key DESC LIMIT ${size + 1}`);
  const page = toPage(rows, size, (r) => r.doc as QaScoreDoc, (r) => encodeCursor(Number(r.doc.position), r.key));
  return { ...page, totalCount: total };
}

/** Which of these calls have been scored. */
export async function scoredCalls(db: Db, callIds: string[], opts: ReadOptions = {}): Promise<Set<string>> {
  if (!callIds.length) return new Set();
  const rows = await db.anyFirst(sql.type(z.object({ key: z.string() }))`SELECT key FROM ${tableIn(opts, 'qa_score')} WHERE key = ANY(${sql.array(callIds, 'text')})`);
  return new Set(rows);
}
