import { sql } from 'slonik';
import type { CallDoc, RecordingEntry } from '../floor/call.ts';
import { DocRow } from '../shared/rows.ts';
import { decodeCursor, e164, encodeCursor, isoInstant, pageSize, tableIn, toPage, type Db, type Page, type PageArgs, type ReadOptions } from '../shared/query.ts';

export interface CallSearch extends PageArgs, ReadOptions {
  /** Calls started in [from, to). */
  from?: string;
  to?: string;
  /** The customer's number, in any format an agent types. */
  phone?: string;
  agentId?: string;
  /** Only calls taken by one of these agents (the caller's scope), applied in the query so pages stay full. */
  agentIds?: string[];
  campaignId?: string;
  queueId?: string;
  disposition?: string;
  direction?: 'inbound' | 'outbound';
  hasRecording?: boolean;
  abandoned?: boolean;
}

function filters(f: CallSearch) {
  const where = [sql.fragment`started_at IS NOT NULL`];
  const from = isoInstant(f.from, 'from');
  const to = isoInstant(f.to, 'to');
  if (from) where.push(sql.fragment`started_at >= ${from}`);
  if (to) where.push(sql.fragment`started_at < ${to}`);
  if (f.phone) where.push(sql.fragment`phone = ${e164(f.phone)}`);
  if (f.agentId) where.push(sql.fragment`(agent_id = ${f.agentId} OR doc -> 'agents' ? ${f.agentId})`);
  if (f.agentIds) where.push(sql.fragment`(agent_id = ANY(${sql.array(f.agentIds, 'text')}) OR doc -> 'agents' ?| ${sql.array(f.agentIds, 'text')})`);
  if (f.campaignId) where.push(sql.fragment`campaign_id = ${f.campaignId}`);
  if (f.queueId) where.push(sql.fragment`queue_id = ${f.queueId}`);
  if (f.disposition) where.push(sql.fragment`disposition = ${f.disposition}`);
  if (f.direction) where.push(sql.fragment`direction = ${f.direction}`);
  if (f.hasRecording !== undefined) where.push(f.hasRecording ? sql.fragment`has_recording` : sql.fragment`NOT has_recording`);
  if (f.abandoned !== undefined) where.push(f.abandoned ? sql.fragment`abandoned_at IS NOT NULL` : sql.fragment`abandoned_at IS NULL`);
  const after = decodeCursor(f.after);
  if (after) where.push(sql.fragment`(started_at, key) < (${String(after.sortValue)}, ${after.key})`);
  return sql.join(where, sql.fragment` AND `);
}

/** Call detail records, newest first. */
export async function searchCalls(db: Db, f: CallSearch = {}): Promise<Page<CallDoc>> {
  const size = pageSize(f);
  const rows = await db.any(sql.type(DocRow)`
    SELECT key, doc FROM ${tableIn(f, 'call')} WHERE ${filters(f)} ORDER BY started_at DESC, key DESC LIMIT ${size + 1}`);
  return toPage(rows, size, (r) => r.doc as CallDoc, (r) => encodeCursor(r.doc.startedAt, r.key));
}

export async function getCall(db: Db, callId: string, opts: ReadOptions = {}): Promise<CallDoc | null> {
  const row = await db.maybeOne(sql.type(DocRow)`SELECT key, doc FROM ${tableIn(opts, 'call')} WHERE key = ${callId}`);
  return row ? (row.doc as CallDoc) : null;
}

export interface RecordingHit extends RecordingEntry {
  callId: string;
  startedAt?: string;
  phone?: string;
  agentId?: string;
  campaignId?: string;
  queueId?: string;
  disposition?: string;
}

/** The recordings index: the same search, only calls with recordings, one hit per recording. */
export async function searchRecordings(db: Db, f: CallSearch = {}): Promise<Page<RecordingHit>> {
  const page = await searchCalls(db, { ...f, hasRecording: true });
  return {
    ...page,
    items: page.items.flatMap((c) =>
      c.recordings.map((r) => ({ ...r, callId: c.callId, startedAt: c.startedAt, phone: c.phone, agentId: c.agentId, campaignId: c.campaignId, queueId: c.queueId, disposition: c.disposition?.code })),
    ),
  };
}
