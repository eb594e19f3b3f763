import { sql } from 'slonik';
import type { LeadDoc } from '../leads/evolve.ts';
import { DocRow } from '../shared/rows.ts';
import { decodeCursor, e164, encodeCursor, pageSize, tableIn, toPage, type Db, type Page, type PageArgs, type ReadOptions } from '../shared/query.ts';

export interface DoNotCallEntry {
  phone: string;
  name?: string;
  reason: string;
  source: string;
  at: string;
  by?: string;
}

const entry = (doc: LeadDoc): DoNotCallEntry => ({ phone: doc.phone, name: doc.name, ...doc.dnc! });

export async function listDoNotCall(db: Db, f: PageArgs & ReadOptions & { departmentId?: string } = {}): Promise<Page<DoNotCallEntry>> {
  const size = pageSize(f);
  const after = decodeCursor(f.after);
  const where = [sql.fragment`dnc`];
  if (f.departmentId) where.push(sql.fragment`department_id = ${f.departmentId}`);
  if (after) where.push(sql.fragment`key > ${after.key}`);
  const rows = await db.any(sql.type(DocRow)`SELECT key, doc FROM ${tableIn(f, 'lead')} WHERE ${sql.join(where, sql.fragment` AND `)} ORDER BY key LIMIT ${size + 1}`);
  return toPage(rows, size, (r) => entry(r.doc as LeadDoc), (r) => encodeCursor(null, r.key));
}

export async function getDoNotCall(db: Db, phone: string, opts: ReadOptions = {}): Promise<DoNotCallEntry | null> {
  const row = await db.maybeOne(sql.type(DocRow)`SELECT key, doc FROM ${tableIn(opts, 'lead')} WHERE key = ${e164(phone)} AND dnc`);
  return row ? entry(row.doc as LeadDoc) : null;
}
