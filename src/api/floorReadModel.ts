import { sql, type DatabasePool } from 'slonik';
import type { AgentDoc } from '../projections/readModels/floor/agent.ts';
import { callbacksDue } from '../projections/readModels/callbacks/queries.ts';
import type { CallbackDoc, LeadDoc } from '../projections/readModels/leads/evolve.ts';
import { tableIn } from '../projections/readModels/shared/query.ts';
import { DocRow } from '../projections/readModels/shared/rows.ts';
import { inScope, type Scope } from './auth/principal.ts';
import { leadDocOut } from './leadsReadModel.ts';
import type { Page, PageArgs } from './readModels.ts';

type A = Record<string, any>;
const FAR_FUTURE = '9999-12-31T00:00:00.000Z';

const STATUS: Record<string, string> = { logged_out: 'LOGGED_OUT', ready: 'AVAILABLE', not_ready: 'PAUSED', talking: 'ON_CALL', wrap_up: 'WRAP_UP', reserved: 'RINGING', ringing: 'RINGING', held: 'ON_HOLD' };

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

/** Open callbacks, earliest first: an agent's own and the public ones; supervisors those of their people. */
export async function callbacks(pool: DatabasePool, a: PageArgs & { filter?: A }, scope: Scope, viewer: string): Promise<Page<A>> {
  const f = a.filter ?? {};
  const page = await callbacksDue(pool, { first: a.first, after: a.after ?? undefined, schema: a.schema, dueBefore: f.dueBefore ?? FAR_FUTURE, owner: f.agentId, viewer, seeAll: scope.all });
  const visible = page.items.filter((cb) => cb.visibility === 'public' || inScope(scope, cb.owner));
  const phones = [...new Set(visible.map((cb) => cb.phone))];
  const leads = phones.length ? await pool.any(sql.type(DocRow)`SELECT key, doc FROM ${tableIn({ schema: a.schema }, 'lead')} WHERE key = ANY(${sql.array(phones, 'text')})`) : [];
  const now = new Date().toISOString();
  const byPhone = new Map(leads.map((r) => [r.key, leadDocOut(r.doc as LeadDoc, now)]));
  return {
    nodes: visible
      .filter((cb) => byPhone.has(cb.phone))
      .map((cb) => ({ id: cb.callbackId, lead: byPhone.get(cb.phone), agentId: cb.owner, scope: cb.visibility === 'public' ? 'ANYONE' : 'AGENT', dueAt: cb.dueAt, note: cb.note, status: CALLBACK_STATUS(cb) })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor ?? null },
  };
}
