import type { ImportLead } from '../domain/lead/commands.ts';
import type { EventStore } from '../eventstore/types.ts';
import { LeadWriter, type ImportProgress, type RowRejection } from './leadWriter.ts';

export type CallSource = 'missed_call' | 'call_log';

export interface CallImportOptions {
  store: EventStore;
  /** missed_call: inbound calls that ended without reaching an agent; call_log: every number that called or was dialed. */
  source: CallSource;
  /** Only calls that started at or after this instant. */
  since?: Date;
  actorId?: string;
  actorRole?: string;
  /** List the leads join (a campaign dials the leads of its attached lists), and their department. */
  batchId?: string;
  departmentId?: string;
  concurrency?: number;
  onProgress?: (p: ImportProgress) => void;
  clock?: () => Date;
}

export interface CallImportReport extends ImportProgress {
  /** Calls that qualified; `rows` counts them, in log order from 1. */
  calls: number;
  /** Log position the scan reached. */
  position: number;
  rejections: RowRejection[];
}

const TYPES = ['CallReceived', 'CallDialAttempted', 'CallBridged', 'CallEnded', 'CallAbandoned'];

interface CallSeen {
  phone: string;
  did?: string;
  at: string;
  inbound: boolean;
  bridged: boolean;
}

/**
 * Leads from the call log. Scans the calls in the event log; each qualifying call is one ImportLead with
 * command id `${source}:${callId}`, so running it again (or with an overlapping `since`) adds nothing twice.
 * A missed call from a known number becomes LeadDuplicateMerged on that lead: the fact that they called.
 */
export async function importFromCalls(opts: CallImportOptions): Promise<CallImportReport> {
  const clock = opts.clock ?? (() => new Date());
  const writer = new LeadWriter({ store: opts.store, actorId: opts.actorId, actorRole: opts.actorRole, concurrency: opts.concurrency, onProgress: opts.onProgress });
  const open = new Map<string, CallSeen>();
  const dialed = new Set<string>(); // call_log: one lead command per number per scan
  let position = 0;
  let calls = 0;

  const submit = async (callId: string, c: CallSeen) => {
    if (opts.since && new Date(c.at) < opts.since) return;
    if (opts.source === 'call_log') {
      if (dialed.has(c.phone)) return;
      dialed.add(c.phone);
    }
    calls++;
    const fields: Record<string, string> = { callId, callAt: c.at };
    if (c.did) fields.did = c.did;
    const cmd: ImportLead = {
      type: 'ImportLead',
      data: { phone: c.phone, source: opts.source, row: calls, fields, batchId: opts.batchId, departmentId: opts.departmentId },
      meta: { now: clock().toISOString(), commandId: `${opts.source}:${callId}`, actorId: opts.actorId, actorRole: opts.actorRole },
    };
    await writer.submit(cmd, c.phone);
  };

  for (;;) {
    const page = await opts.store.readAll({ after: position, maxCount: 5000, filter: { streamPrefix: 'call-', eventTypes: TYPES } });
    if (page.length === 0) break;
    for (const e of page) {
      const d = e.data as Record<string, any>;
      const callId = String(d.callId ?? e.streamId.slice('call-'.length));
      if (e.type === 'CallReceived' || e.type === 'CallDialAttempted') {
        const c = { phone: String(d.phone ?? ''), did: d.did, at: String(d.at ?? e.recordedAt), inbound: e.type === 'CallReceived', bridged: false };
        if (opts.source === 'call_log') await submit(callId, c);
        else if (c.inbound) open.set(callId, c);
      } else if (e.type === 'CallBridged') {
        const c = open.get(callId);
        if (c) c.bridged = true;
      } else {
        // CallAbandoned and CallEnded both close the call; the first one decides.
        const c = open.get(callId);
        open.delete(callId);
        if (c && !c.bridged) await submit(callId, c);
      }
      if (writer.failed) break;
    }
    position = page[page.length - 1].position;
    if (writer.failed) break;
  }
  await writer.finish(`${opts.source} import`);
  return { ...writer.counts, calls, position, rejections: writer.rejections };
}
