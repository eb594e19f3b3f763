import { sql } from 'slonik';
import type { CallbackDoc } from '../leads/evolve.ts';
import { DocRow } from '../shared/rows.ts';
import { decodeCursor, encodeCursor, isoInstant, pageSize, tableIn, toPage, type Db, type Page, type PageArgs, type ReadOptions } from '../shared/query.ts';

export interface CallbacksDueFilter extends PageArgs, ReadOptions {
  /** Due up to this instant (default now); overdue ones are included. */
  dueBefore?: string;
  owner?: string;
  /** The person asking: private callbacks of others are hidden unless `seeAll` (supervisors). */
  viewer?: string;
  seeAll?: boolean;
  phone?: string;
}

/** Scheduled callbacks due by `dueBefore`, earliest first. */
export async function callbacksDue(db: Db, f: CallbacksDueFilter): Promise<Page<CallbackDoc>> {
  const size = pageSize(f);
  const dueBefore = isoInstant(f.dueBefore, 'dueBefore') ?? new Date().toISOString();
  const after = decodeCursor(f.after);
  const where = [sql.fragment`status = 'scheduled'`, sql.fragment`due_at <= ${dueBefore}`];
  if (f.owner) where.push(sql.fragment`owner = ${f.owner}`);
  if (f.phone) where.push(sql.fragment`phone = ${f.phone}`);
  if (!f.seeAll) where.push(sql.fragment`(doc ->> 'visibility' = 'public' OR owner = ${f.viewer ?? ''})`);
  if (after) where.push(sql.fragment`(due_at, key) > (${String(after.sortValue)}, ${after.key})`);
  const rows = await db.any(sql.type(DocRow)`
    SELECT key, doc FROM ${tableIn(f, 'callback')} WHERE ${sql.join(where, sql.fragment` AND `)} ORDER BY due_at, key LIMIT ${size + 1}`);
  return toPage(rows, size, (r) => r.doc as CallbackDoc, (r) => encodeCursor(r.doc.dueAt, r.key));
}
