import { sql } from 'slonik';
import type { SkillRequirement } from '../../../domain/queue/events.ts';
import type { AgentDoc } from '../floor/agent.ts';
import { DocRow } from '../shared/rows.ts';
import { tableIn, type Db, type ReadOptions } from '../shared/query.ts';

/**
 * A queue's members: the agents whose skills meet every requirement of the queue (the agents routing would
 * offer its calls to when free), with their live state, from the floor's agent documents. Skills come from
 * AgentRegistered / AgentSkillsSet as the projection folded them, so no request reads the log.
 * `agentIds`: only these agents (the caller's scope), applied in the query.
 */
export async function queueMembers(db: Db, requirements: SkillRequirement[], opts: ReadOptions & { agentIds?: string[] } = {}): Promise<AgentDoc[]> {
  const where = [sql.fragment`TRUE`];
  if (opts.agentIds) where.push(sql.fragment`a.key = ANY(${sql.array(opts.agentIds, 'text')})`);
  if (requirements.length) {
    const reqs = requirements.map((r) => ({ skill: r.skill, min_level: r.minLevel }));
    where.push(sql.fragment`NOT EXISTS (
      SELECT 1 FROM jsonb_to_recordset(${sql.jsonb(reqs)}) AS r(skill text, min_level numeric)
      WHERE NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements(coalesce(a.doc -> 'skills', '[]'::jsonb)) AS s
        WHERE s ->> 'skill' = r.skill AND (s ->> 'level')::numeric >= r.min_level))`);
  }
  const rows = await db.any(sql.type(DocRow)`SELECT a.key, a.doc FROM ${tableIn(opts, 'agent')} AS a WHERE ${sql.join(where, sql.fragment` AND `)} ORDER BY a.key`);
  return rows.map((r) => r.doc as AgentDoc);
}
