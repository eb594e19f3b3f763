import { sql } from 'slonik';
import { z } from 'zod';
import { isoInstant, tableIn, type Db, type ReadOptions } from '../shared/query.ts';

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
