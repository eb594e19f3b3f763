import { sql } from 'slonik';
import type { LeadDoc, OwnerChange } from '../leads/evolve.ts';
import { DocRow } from '../shared/rows.ts';
import { decodeCursor, e164, encodeCursor, pageSize, tableIn, toPage, type Db, type Page, type PageArgs, type ReadOptions } from '../shared/query.ts';

export interface LeadOwnership {
  phone: string;
  /** Who may work the lead now: the private holder while the claim lasts, else the assignee, else nobody. */
  owner: { kind: 'agent' | 'team'; id: string } | null;
  pool: 'private' | 'assigned' | 'public';
  holder: { agentId: string; privateUntil: string; lapsed: boolean } | null;
  assignee: { kind: 'agent' | 'team'; id: string } | null;
  history: OwnerChange[];
}

/** Ownership as of `now` (a private claim lapses by itself at privateUntil). */
export function ownershipOf(doc: LeadDoc, now: string): LeadOwnership {
  const holder = doc.holder ? { ...doc.holder, lapsed: doc.holder.privateUntil <= now } : null;
  const assignee = doc.assignee ?? null;
  const owner = holder && !holder.lapsed ? { kind: 'agent' as const, id: holder.agentId } : assignee;
  const pool = holder && !holder.lapsed ? 'private' : assignee ? 'assigned' : 'public';
  return { phone: doc.phone, owner, pool, holder, assignee, history: doc.ownerHistory };
}

export interface ReadAt extends ReadOptions {
  /** The instant ownership is judged at (default: now; an as-of view passes its instant). */
  now?: string;
}

export async function getLeadOwnership(db: Db, phone: string, opts: ReadAt = {}): Promise<LeadOwnership | null> {
  const row = await db.maybeOne(sql.type(DocRow)`SELECT key, doc FROM ${tableIn(opts, 'lead')} WHERE key = ${e164(phone)}`);
  return row ? ownershipOf(row.doc as LeadDoc, opts.now ?? new Date().toISOString()) : null;
}

export interface OwnedLeadsFilter extends PageArgs, ReadAt {
  /** Leads an agent holds privately (unlapsed) or has been assigned. */
  agentId?: string;
  teamId?: string;
  /** Unowned leads: never assigned, or recycled/released, and no live private claim. */
  publicPool?: boolean;
  departmentId?: string;
}

/** Lists leads by owner or the public pool, ordered by phone number, cursor-paginated. */
export async function listLeadsByOwner(db: Db, f: OwnedLeadsFilter): Promise<Page<LeadOwnership>> {
  const size = pageSize(f);
  const now = f.now ?? new Date().toISOString();
  const after = decodeCursor(f.after);
  const where = [sql.fragment`TRUE`];
  if (f.agentId) where.push(sql.fragment`((holder_id = ${f.agentId} AND private_until > ${now}) OR assignee = ${`agent:${f.agentId}`})`);
  if (f.teamId) where.push(sql.fragment`assignee = ${`team:${f.teamId}`}`);
  if (f.publicPool) where.push(sql.fragment`assignee IS NULL AND (holder_id IS NULL OR private_until <= ${now})`);
  if (f.departmentId) where.push(sql.fragment`department_id = ${f.departmentId}`);
  if (after) where.push(sql.fragment`key > ${after.key}`);
  const rows = await db.any(sql.type(DocRow)`
    SELECT key, doc FROM ${tableIn(f, 'lead')} WHERE ${sql.join(where, sql.fragment` AND `)} ORDER BY key LIMIT ${size + 1}`);
  return toPage(rows, size, (r) => ownershipOf(r.doc as LeadDoc, now), (r) => encodeCursor(null, r.key));
}
