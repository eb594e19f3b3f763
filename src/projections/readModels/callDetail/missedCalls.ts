import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { EventStore } from '../../../eventstore/types.ts';
import type { CallDoc } from '../floor/call.ts';
import { DocRow } from '../shared/rows.ts';
import { tableIn, type ReadOptions } from '../shared/query.ts';

/** An inbound caller nobody answered. */
export interface MissedCall {
  callId: string;
  phone: string;
  did?: string;
  /** When the call came in. */
  at: string;
}

const TAIL_TYPES = ['CallReceived', 'CallBridged', 'CallEnded', 'CallAbandoned'];

/**
 * Inbound calls since an instant that ended (or were abandoned) without reaching an agent, oldest first, from
 * the floor's call records: calls of the given departments' queues, and calls that never reached a queue (the
 * floor's common line); another department's queue's callers are not included. The read model and its
 * checkpoint are read in one snapshot, and the events after the checkpoint (the projection's lag, normally a
 * few) are folded on top, so a call that ended a moment ago is not missed.
 */
export async function missedCallsSince(
  pool: DatabasePool,
  store: EventStore,
  q: ReadOptions & { since: string; departmentIds?: string[] },
): Promise<MissedCall[]> {
  const call = tableIn(q, 'call');
  const queue = tableIn(q, 'queue');
  const inDepartments = q.departmentIds ? sql.fragment`(c.queue_id IS NULL OR qu.doc ->> 'departmentId' = ANY(${sql.array(q.departmentIds, 'text')}))` : sql.fragment`TRUE`;
  const { position, rows, open, queueDepartment } = await pool.transaction(async (tx) => {
    await tx.query(sql.unsafe`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`);
    const cp = await tx.maybeOneFirst(sql.type(z.object({ position: z.coerce.number() }))`SELECT position FROM projection_checkpoints WHERE name = 'floor'`);
    const done = await tx.any(sql.type(DocRow)`
      SELECT c.key, c.doc FROM ${call} c LEFT JOIN ${queue} qu ON qu.key = c.queue_id
      WHERE c.direction = 'inbound' AND c.started_at >= ${q.since} AND c.doc ->> 'bridgedAt' IS NULL
        AND (c.ended_at IS NOT NULL OR c.abandoned_at IS NOT NULL) AND ${inDepartments}
      ORDER BY c.started_at, c.key`);
    // Calls still open at the checkpoint may end in the tail.
    const stillOpen = await tx.any(sql.type(DocRow)`
      SELECT c.key, c.doc FROM ${call} c LEFT JOIN ${queue} qu ON qu.key = c.queue_id
      WHERE c.direction = 'inbound' AND c.started_at >= ${q.since} AND c.ended_at IS NULL AND c.abandoned_at IS NULL AND ${inDepartments}`);
    const queues = await tx.any(sql.type(z.object({ key: z.string(), department_id: z.string().nullable() }))`SELECT key, doc ->> 'departmentId' AS department_id FROM ${queue}`);
    return { position: Number(cp ?? 0), rows: done, open: stillOpen, queueDepartment: new Map(queues.map((r) => [r.key, r.department_id])) };
  });
  const out: MissedCall[] = rows.map((r) => {
    const d = r.doc as CallDoc;
    return { callId: d.callId, phone: d.phone ?? '', did: d.did, at: d.startedAt ?? '' };
  });
  const taken = new Set(out.map((m) => m.callId));
  const pending = new Map<string, MissedCall & { bridged: boolean; queueId?: string }>();
  const ours = (queueId: string | undefined) => !q.departmentIds || !queueId || q.departmentIds.includes(queueDepartment.get(queueId) ?? '');
  for (const r of open) {
    const d = r.doc as CallDoc;
    pending.set(d.callId, { callId: d.callId, phone: d.phone ?? '', did: d.did, at: d.startedAt ?? '', bridged: !!d.bridgedAt, queueId: d.queueId });
  }
  for (let after = position; ; ) {
    const page = await store.readAll({ after, maxCount: 1000, filter: { streamPrefix: 'call-', eventTypes: [...TAIL_TYPES, 'CallOffered'] } });
    for (const e of page) {
      const d = e.data as Record<string, any>;
      const callId = String(d.callId ?? e.streamId.slice('call-'.length));
      if (e.type === 'CallReceived') {
        const at = String(d.at ?? e.recordedAt);
        if (at >= q.since && !taken.has(callId)) pending.set(callId, { callId, phone: String(d.phone ?? ''), did: d.did, at, bridged: false });
      } else if (e.type === 'CallOffered') {
        const p = pending.get(callId);
        if (p && d.queueId) p.queueId = d.queueId;
      } else if (e.type === 'CallBridged') {
        const p = pending.get(callId);
        if (p) p.bridged = true;
      } else {
        const p = pending.get(callId);
        pending.delete(callId);
        if (p && !p.bridged && ours(p.queueId) && !taken.has(callId)) {
          taken.add(callId);
          out.push({ callId: p.callId, phone: p.phone, did: p.did, at: p.at });
        }
      }
    }
    if (page.length < 1000) break;
    after = page[page.length - 1].position;
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.callId < b.callId ? -1 : 1));
}
