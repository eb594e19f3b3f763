import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { AgentDoc } from '../projections/readModels/floor/agent.ts';
import type { CallbackDoc, LeadDoc } from '../projections/readModels/leads/evolve.ts';
import { decodeCursor, encodeCursor, isoInstant, pageSize, tableIn, toPage } from '../projections/readModels/shared/query.ts';
import { DocRow } from '../projections/readModels/shared/rows.ts';
import type { Scope } from './auth/principal.ts';
import { leadDocOut } from './leadsReadModel.ts';
import type { Page, PageArgs } from './readModels.ts';

type A = Record<string, any>;
const FAR_FUTURE = '9999-12-31T00:00:00.000Z';
const CallbackRow = z.object({ key: z.string(), doc: z.unknown(), lead: z.unknown() });

export const STATUS: Record<string, string> = { logged_out: 'LOGGED_OUT', ready: 'AVAILABLE', not_ready: 'PAUSED', talking: 'ON_CALL', wrap_up: 'WRAP_UP', reserved: 'RINGING', ringing: 'RINGING', held: 'ON_HOLD' };

/** Agent presence from the floor projection. */
export async function agentStates(pool: DatabasePool, a: { filter?: A; schema?: string }, scope: Scope) {
  const f = a.filter ?? {};
  const where = [sql.fragment`TRUE`];
  if (!scope.all) where.push(sql.fragment`key = ANY(${sql.array(scope.userIds, 'text')})`);
  const rows = await pool.any(sql.type(DocRow)`SELECT key, doc FROM ${tableIn({ schema: a.schema }, 'agent')} WHERE ${sql.join(where, sql.fragment` AND `)} ORDER BY key`);
  const statuses: string[] | undefined = f.status;
  return rows
    .map((r) => r.doc as AgentDoc)
    .filter((d) => (!f.teamId || d.teamId === f.teamId) && (!f.departmentId || d.departmentId === f.departmentId))
    .map((d) => ({
      agentId: d.agentId,
      status: STATUS[d.state] ?? 'PAUSED',
      pauseReason: d.state === 'not_ready' ? d.reason : null,
      since: d.since ?? new Date(0).toISOString(),
      callId: d.callId,
      extension: d.extension,
      campaigns: [],
      queues: [],
      position: 0,
    }))
    .filter((s) => !statuses?.length || statuses.includes(s.status));
}

const CALLBACK_STATUS = (cb: CallbackDoc) => (cb.status === 'done' ? 'DONE' : cb.status === 'missed' ? 'MISSED' : Date.parse(cb.dueAt) <= Date.now() ? 'DUE' : 'SCHEDULED');

/**
 * Open callbacks, earliest first. Scoped in the query (pages stay full): the callbacks of the caller's people
 * (an agent: their own; a team leader: the team's; a supervisor: the departments') and the callbacks for
 * anyone of the leads of the caller's departments. A callback of another department is never shown, even one
 * open to anyone.
 */
export async function callbacks(pool: DatabasePool, a: PageArgs & { filter?: A }, scope: Scope, _viewer: string): Promise<Page<A>> {
  const f = a.filter ?? {};
  const size = pageSize({ first: a.first });
  const cb = tableIn({ schema: a.schema }, 'callback');
  const lead = tableIn({ schema: a.schema }, 'lead');
  const where = [sql.fragment`c.status = 'scheduled'`, sql.fragment`c.due_at <= ${isoInstant(f.dueBefore, 'dueBefore') ?? FAR_FUTURE}`];
  if (f.agentId) where.push(sql.fragment`c.owner = ${f.agentId}`);
  if (!scope.all) {
    where.push(sql.fragment`(c.owner = ANY(${sql.array(scope.userIds, 'text')})
      OR (c.doc ->> 'visibility' = 'public' AND l.department_id = ANY(${sql.array(scope.departmentIds, 'text')})))`);
  }
  const after = decodeCursor(a.after ?? undefined);
  if (after) where.push(sql.fragment`(c.due_at, c.key) > (${String(after.sortValue)}, ${after.key})`);
  const rows = await pool.any(sql.type(CallbackRow)`
    SELECT c.key, c.doc, l.doc AS lead FROM ${cb} c JOIN ${lead} l ON l.key = c.phone
    WHERE ${sql.join(where, sql.fragment` AND `)} ORDER BY c.due_at, c.key LIMIT ${size + 1}`);
  const now = new Date().toISOString();
  const page = toPage(rows, size, (r) => ({ cb: r.doc as CallbackDoc, lead: leadDocOut(r.lead as LeadDoc, now) }), (r) => encodeCursor((r.doc as CallbackDoc).dueAt, r.key));
  return {
    nodes: page.items.map(({ cb, lead }) => ({ id: cb.callbackId, lead, agentId: cb.owner, scope: cb.visibility === 'public' ? 'ANYONE' : 'AGENT', dueAt: cb.dueAt, note: cb.note, status: CALLBACK_STATUS(cb) })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor ?? null },
  };
}
