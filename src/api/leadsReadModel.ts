import { sql, type DatabasePool } from 'slonik';
import type { LeadDoc } from '../projections/readModels/leads/evolve.ts';
import { ownershipOf } from '../projections/readModels/leadOwnership/queries.ts';
import { tableIn } from '../projections/readModels/shared/query.ts';
import { DocRow } from '../projections/readModels/shared/rows.ts';
import type { Scope } from './auth/principal.ts';
import type { Page, PageArgs } from './readModels.ts';
import { display } from './readModelShapes.ts';

type A = Record<string, any>;
const STATUS_IN: Record<string, string> = { NEW: 'new', DNC: 'do_not_call' };

export function leadDocOut(doc: LeadDoc, now: string) {
  const own = ownershipOf(doc, now);
  const last = doc.dispositions.at(-1)?.code;
  return {
    id: doc.phone,
    phone: doc.phone,
    phoneDisplay: display(doc.phone),
    name: doc.name,
    status: doc.dnc ? 'DNC' : doc.status === 'new' ? 'NEW' : 'IN_PROGRESS',
    ownerId: own.owner?.kind === 'agent' ? own.owner.id : undefined,
    ownedSince: own.history.at(-1)?.at,
    ownershipExpiresAt: own.holder && !own.holder.lapsed ? own.holder.privateUntil : undefined,
    campaignId: doc.lastCampaignId,
    attempts: doc.attempts,
    lastDisposition: last,
    lastCalledAt: doc.lastDialAt,
    customFields: doc.fields,
    departmentId: doc.departmentId,
    createdAt: doc.importedAt ?? new Date(0).toISOString(),
    position: 0,
  };
}

/**
 * Leads with ownership, scoped in SQL: agents get the leads they hold privately or are assigned; team
 * leaders those of their people; supervisors also every lead of their departments (including the pool).
 * Ordered by phone number, keyset-paginated.
 */
export async function listLeads(pool: DatabasePool, a: PageArgs & { filter?: A }, scope: Scope): Promise<Page<ReturnType<typeof leadDocOut>>> {
  const f = a.filter ?? {};
  const now = new Date().toISOString();
  const t = tableIn({ schema: a.schema }, 'lead');
  const held = (ids: string[]) =>
    sql.fragment`((holder_id = ANY(${sql.array(ids, 'text')}) AND private_until > ${now}) OR assignee = ANY(${sql.array(ids.map((i) => `agent:${i}`), 'text')}))`;
  const where = [sql.fragment`TRUE`];
  if (!scope.all) {
    const wide = scope.userIds.length > 1 && scope.departmentIds.length > 0;
    where.push(wide ? sql.fragment`(${held(scope.userIds)} OR department_id = ANY(${sql.array(scope.departmentIds, 'text')}))` : held(scope.userIds));
  }
  if (f.ownerId) where.push(held([f.ownerId]));
  if (f.unowned) where.push(sql.fragment`assignee IS NULL AND (holder_id IS NULL OR private_until <= ${now})`);
  if (f.departmentId) where.push(sql.fragment`department_id = ${f.departmentId}`);
  if (f.campaignId) {
    // A campaign's leads are those of the lists attached to it (imported, not yet dialed) and those it dialed:
    // the same count as the campaign's progress.
    const campaign = await pool.maybeOne(sql.type(DocRow)`SELECT key, doc FROM ${tableIn({ schema: a.schema }, 'campaign')} WHERE key = ${String(f.campaignId)}`);
    const lists = ((campaign?.doc as { listIds?: string[] } | undefined)?.listIds ?? []).map(String);
    where.push(sql.fragment`(last_campaign_id = ${f.campaignId} OR (doc -> 'batchIds') ?| ${sql.array(lists, 'text')})`);
  }
  if (f.search) where.push(sql.fragment`(key LIKE ${`%${String(f.search).replace(/[%_\\]/g, '')}%`} OR doc ->> 'name' ILIKE ${`%${String(f.search).replace(/[%_\\]/g, '')}%`})`);
  if (Array.isArray(f.status) && f.status.length) {
    const known = f.status.map((s: string) => STATUS_IN[s]).filter(Boolean);
    const inProgress = f.status.includes('IN_PROGRESS');
    where.push(sql.fragment`(status = ANY(${sql.array(known, 'text')})${inProgress ? sql.fragment` OR status NOT IN ('new', 'do_not_call')` : sql.fragment``})`);
  }
  if (a.after) where.push(sql.fragment`key > ${Buffer.from(a.after, 'base64url').toString()}`);
  const rows = await pool.any(sql.type(DocRow)`SELECT key, doc FROM ${t} WHERE ${sql.join(where, sql.fragment` AND `)} ORDER BY key LIMIT ${a.first + 1}`);
  const more = rows.length > a.first;
  const page = rows.slice(0, a.first);
  return {
    nodes: page.map((r) => leadDocOut(r.doc as LeadDoc, now)),
    pageInfo: { hasNextPage: more, endCursor: more ? Buffer.from(page.at(-1)!.key).toString('base64url') : null },
  };
}
