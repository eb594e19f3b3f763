import { sql } from 'slonik';
import { z } from 'zod';
import { QueryInputError, tableIn, type Db, type ReadOptions } from '../shared/query.ts';
import type { KeptCallbackDoc, KeptCallbackState } from './projection.ts';

export type { KeptCallbackDoc, KeptCallbackState } from './projection.ts';

const STATES: readonly KeptCallbackState[] = ['waiting', 'calling', 'answered', 'given_up'];
/** A plain list: the newest this many (a floor keeps far fewer waiting; done ones age out of the list). */
export const KEPT_CALLBACKS_LIMIT = 500;

export interface KeptCallbacksFilter extends ReadOptions {
  queueId?: string;
  state?: KeptCallbackState;
  /** Only callbacks of queues in these departments (undefined: every queue, also those no QueueCreated names). */
  departmentIds?: string[];
}

const Row = z.object({ doc: z.record(z.string(), z.any()), department_id: z.string().nullable() });

/** Kept callbacks, oldest kept first, each with its queue's department (null: a queue the log does not name). */
export async function keptCallbacks(db: Db, f: KeptCallbacksFilter = {}): Promise<(KeptCallbackDoc & { departmentId: string | null })[]> {
  if (f.state !== undefined && !STATES.includes(f.state)) throw new QueryInputError('BAD_STATE', `state is one of ${STATES.join(', ')}`);
  const where = [sql.fragment`TRUE`];
  if (f.queueId) where.push(sql.fragment`k.queue_id = ${f.queueId}`);
  if (f.state) where.push(sql.fragment`k.state = ${f.state}`);
  if (f.departmentIds) where.push(sql.fragment`q.doc ->> 'departmentId' = ANY(${sql.array(f.departmentIds, 'text')})`);
  const rows = await db.any(sql.type(Row)`
    SELECT doc, department_id FROM (
      SELECT k.doc, q.doc ->> 'departmentId' AS department_id, k.kept_at, k.key
      FROM ${tableIn(f, 'kept_callbacks')} k LEFT JOIN ${tableIn(f, 'kept_callback_queue')} q ON q.key = k.queue_id
      WHERE ${sql.join(where, sql.fragment` AND `)}
      ORDER BY k.kept_at DESC, k.key DESC LIMIT ${KEPT_CALLBACKS_LIMIT}
    ) newest ORDER BY kept_at, key`);
  return rows.map((r) => ({ ...(r.doc as KeptCallbackDoc), departmentId: r.department_id }));
}
