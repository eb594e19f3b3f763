import { sql } from 'slonik';
import type { RecordedEvent } from '../../../eventstore/types.ts';
import { eventTime } from '../../runtime/context.ts';
import { docTable, loadDocs, saveDocs } from '../../runtime/docs.ts';
import type { Projection } from '../../runtime/types.ts';

/** What became of the last dial: set by the dial's own call events. */
export type DialOutcome = 'dialing' | 'blocked' | 'ringing' | 'human' | 'machine' | 'connected' | 'abandoned' | 'not_answered' | 'ended';

/** Dials of one phone number in one campaign ('' = dialed outside a campaign). */
export interface DialAttemptsDoc {
  phone: string;
  campaignId: string;
  attempts: number;
  /** Dials the compliance check refused (nothing was dialed; not attempts). */
  blocked: number;
  lastDialAt?: string;
  lastCallId?: string;
  lastOutcome?: DialOutcome;
  /** The switch's hangup cause of the last dial, once it ended. */
  lastCause?: string;
  /** When this phone was dialed in this campaign, newest first (the last RECENT_DIALS), for frequency rules. */
  recentDials: string[];
}

const RECENT_DIALS = 20;
const d = (e: RecordedEvent) => e.data as any;
export const dialKey = (phone: string, campaignId?: string | null) => `${phone}|${campaignId ?? ''}`;

/**
 * Dial attempts per phone and campaign, so a dial's compliance check reads one row instead of scanning
 * every CallDialAttempted. `dial_call` maps a call still in progress to its row and is gone once it ends.
 */
export const dialAttemptsProjection: Projection = {
  name: 'dialAttempts',
  version: 1,
  eventTypes: ['CallDialAttempted', 'CallDialBlocked', 'CallRinging', 'CallAnswered', 'CallBridged', 'CallAbandoned', 'CallEnded'],
  tables: ['dial_attempt', 'dial_call'],
  createTables: (schema) => {
    const t = sql.identifier([schema, 'dial_attempt']);
    return [
      sql.unsafe`CREATE TABLE IF NOT EXISTS ${t} (
        key text PRIMARY KEY,
        doc jsonb NOT NULL,
        phone text GENERATED ALWAYS AS (doc ->> 'phone') STORED
      )`,
      sql.unsafe`CREATE INDEX IF NOT EXISTS ${sql.identifier(['dial_attempt_phone'])} ON ${t} (phone)`,
      docTable(schema, 'dial_call'),
    ];
  },
  async handle(tx, events, ctx) {
    const callTable = ctx.table('dial_call');
    const attemptTable = ctx.table('dial_attempt');
    const calls = await loadDocs<{ key: string }>(tx, callTable, events.map((e) => d(e).callId).filter(Boolean));
    const keyOf = (e: RecordedEvent) => (e.type === 'CallDialAttempted' || e.type === 'CallDialBlocked' ? dialKey(d(e).phone, d(e).campaignId) : calls.get(d(e).callId)?.key);
    const rows = await loadDocs<DialAttemptsDoc>(tx, attemptTable, events.map(keyOf).filter((k): k is string => !!k));
    const dirtyCalls = new Set<string>();
    const dirtyRows = new Set<string>();
    for (const e of events) {
      const data = d(e);
      const key = keyOf(e);
      if (!key) continue; // a call not dialed by us (inbound), or whose dial came before this read model
      const row: DialAttemptsDoc = rows.get(key) ?? { phone: data.phone, campaignId: data.campaignId ?? '', attempts: 0, blocked: 0, recentDials: [] };
      rows.set(key, row);
      dirtyRows.add(key);
      ctx.changed('dial_attempt', key);
      if (e.type === 'CallDialBlocked') {
        row.blocked++;
        continue;
      }
      if (e.type === 'CallDialAttempted') {
        const at = eventTime(e);
        Object.assign(row, { attempts: row.attempts + 1, lastDialAt: at, lastCallId: data.callId, lastOutcome: 'dialing', lastCause: undefined });
        row.recentDials = [at, ...row.recentDials].slice(0, RECENT_DIALS);
        calls.set(data.callId, { key });
        dirtyCalls.add(data.callId);
        continue;
      }
      if (e.type === 'CallEnded') {
        calls.delete(data.callId);
        dirtyCalls.add(data.callId);
      }
      if (row.lastCallId !== data.callId) continue; // an older dial's late events do not describe the last one
      row.lastOutcome = outcomeAfter(row.lastOutcome, e);
      if (e.type === 'CallEnded') row.lastCause = data.cause;
    }
    await saveDocs(tx, attemptTable, rows, dirtyRows);
    await saveDocs(tx, callTable, calls, dirtyCalls);
  },
};

function outcomeAfter(before: DialOutcome | undefined, e: RecordedEvent): DialOutcome | undefined {
  switch (e.type) {
    case 'CallRinging': return before === 'dialing' ? 'ringing' : before;
    case 'CallAnswered': return d(e).answeredBy === 'machine' ? 'machine' : 'human';
    case 'CallBridged': return 'connected';
    case 'CallAbandoned': return 'abandoned';
    // Ended before anyone answered: no answer, busy, rejected...; otherwise the answer's outcome stands.
    case 'CallEnded': return before === 'dialing' || before === 'ringing' ? 'not_answered' : before === undefined ? 'ended' : before;
    default: return before;
  }
}
