import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { handleCommand } from '../commands/handleCommand.ts';
import { campaignDecider } from '../domain/campaign/decider.ts';
import { DomainError } from '../domain/decider.ts';
import type { ImportLead } from '../domain/lead/commands.ts';
import { leadDecider } from '../domain/lead/decider.ts';
import type { LeadSource } from '../domain/lead/events.ts';
import { leadStreamId } from '../domain/lead/streams.ts';
import { normalizePhone } from '../domain/phone/normalize.ts';
import { WrongExpectedRevisionError } from '../eventstore/errors.ts';
import { deterministicUuid } from '../eventstore/ids.ts';
import type { EventStore } from '../eventstore/types.ts';
import { resolveColumns, type ColumnMapping } from './columns.ts';
import { detectKind, openSheet } from './rows.ts';

export interface RowRejection {
  /** Data row, counted from 1 below the header. */
  row: number;
  value: string;
  reason: string;
}

export interface ImportProgress {
  rows: number;
  imported: number;
  duplicates: number;
  rejected: number;
  alreadyImported: number;
}

export interface ImportReport extends ImportProgress {
  /** The list id of this file's leads: derived from its content, so a re-import is the same batch. */
  batchId: string;
  fileSha256: string;
  rejections: RowRejection[];
}

export interface ImportOptions {
  store: EventStore;
  file: string;
  campaignId?: string;
  columns?: ColumnMapping;
  source?: LeadSource;
  actorId?: string;
  actorRole?: string;
  departmentId?: string;
  /** Region for numbers written without a country code (default CN). */
  defaultRegion?: string;
  /** Lead appends kept in flight; the PostgreSQL store groups them into shared commits (default 128). */
  concurrency?: number;
  onProgress?: (p: ImportProgress) => void;
  clock?: () => Date;
}

export async function fileSha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Imports leads from a CSV or XLSX file, streaming. One ImportLead command per row, keyed by file hash and
 * row, so importing the same file again writes nothing new. A number already known (or seen earlier in the
 * file) becomes LeadDuplicateMerged on the existing lead. Invalid rows are reported, never half-imported.
 */
export async function importLeads(opts: ImportOptions): Promise<ImportReport> {
  const { store } = opts;
  const clock = opts.clock ?? (() => new Date());
  await detectKind(opts.file); // a missing or unreadable file fails here, with a plain reason
  const sha = await fileSha256(opts.file);
  const batchId = `import-${sha.slice(0, 24)}`;
  const sheet = await openSheet(opts.file);
  const cols = resolveColumns(sheet.headers, opts.columns);
  const actor = { actorId: opts.actorId, actorRole: opts.actorRole };

  if (opts.campaignId) {
    // First, so a wrong campaign id stops the import before any lead is written.
    await handleCommand(store, campaignDecider, opts.campaignId, {
      type: 'AttachList',
      data: { listId: batchId },
      meta: { now: clock().toISOString(), commandId: `${batchId}:attach:${opts.campaignId}`, ...actor },
    });
  }

  const counts: ImportProgress = { rows: 0, imported: 0, duplicates: 0, rejected: 0, alreadyImported: 0 };
  const rejections: RowRejection[] = [];
  const reject = (row: number, value: string, reason: string) => {
    counts.rejected++;
    rejections.push({ row, value, reason });
  };
  const tally = (type: string | undefined) => {
    if (type === 'LeadImported') counts.imported++;
    else if (type === 'LeadDuplicateMerged') counts.duplicates++;
  };

  const importRow = async (e164: string, cmd: ImportLead, raw: string) => {
    const streamId = leadStreamId(e164);
    const commandId = cmd.meta.commandId!;
    // Fast path for a number never seen: decide on the empty state, append expecting no stream.
    const decision = leadDecider.decide(cmd, leadDecider.initialState());
    if (decision instanceof DomainError) return reject(cmd.data.row!, raw, decision.reason);
    const metadata = { commandId, correlationId: commandId, causationId: commandId, ...actor, occurredAt: cmd.meta.now, schemaVersion: 1 };
    const events = decision.map((e, i) => ({ id: deterministicUuid(streamId, commandId, i), type: e.type, data: e.data as Record<string, unknown>, metadata }));
    try {
      const r = await store.append(streamId, events, 'no-stream');
      if (r.written) tally(events[0]?.type);
      else counts.alreadyImported++;
      return;
    } catch (e) {
      if (!(e instanceof WrongExpectedRevisionError)) throw e;
    }
    // The number is known: the full command path merges it (or finds this row already handled).
    try {
      const r = await handleCommand(store, leadDecider, e164, cmd);
      if (r.repeated) counts.alreadyImported++;
      else tally(r.events[0]?.type);
    } catch (e) {
      if (e instanceof DomainError) return reject(cmd.data.row!, raw, e.reason);
      throw e;
    }
  };

  const limit = opts.concurrency ?? 128;
  const inFlight = new Set<Promise<void>>();
  const byNumber = new Map<string, Promise<void>>(); // rows of one number run in file order
  let failure: unknown;
  let lastReport = 0;
  const progress = (force = false) => {
    const t = Date.now();
    if (opts.onProgress && (force || t - lastReport >= 200)) {
      lastReport = t;
      opts.onProgress({ ...counts });
    }
  };

  for await (const r of sheet.rows) {
    if (failure) break;
    counts.rows++;
    const raw = (r.cells[cols.phone] ?? '').trim();
    const phone = normalizePhone(raw, opts.defaultRegion ?? 'CN');
    if (!phone.ok) {
      reject(r.row, raw, phone.reason);
      progress();
      continue;
    }
    const fields: Record<string, string> = {};
    for (const [i, field] of cols.fields) {
      const v = (r.cells[i] ?? '').trim();
      if (v) fields[field] = v;
    }
    const name = cols.name !== undefined ? (r.cells[cols.name] ?? '').trim() || undefined : undefined;
    const cmd: ImportLead = {
      type: 'ImportLead',
      data: { phone: raw, name, source: opts.source ?? 'file', batchId, row: r.row, fields, departmentId: opts.departmentId },
      meta: { now: clock().toISOString(), commandId: `${batchId}:row:${r.row}`, ...actor },
    };
    while (inFlight.size >= limit) await Promise.race(inFlight);
    const before = byNumber.get(phone.e164) ?? Promise.resolve();
    const task: Promise<void> = before
      .then(() => importRow(phone.e164, cmd, raw))
      .catch((e) => {
        failure ??= e;
      })
      .finally(() => {
        inFlight.delete(task);
        if (byNumber.get(phone.e164) === task) byNumber.delete(phone.e164);
        progress();
      });
    inFlight.add(task);
    byNumber.set(phone.e164, task);
  }
  await Promise.all(inFlight);
  if (failure) {
    const reason = failure instanceof Error ? failure.message : String(failure);
    throw new Error(`import stopped after ${counts.rows} rows: ${reason}. Rows already written stay; run the same import again to continue`, { cause: failure });
  }
  rejections.sort((a, b) => a.row - b.row);
  progress(true);
  return { ...counts, batchId, fileSha256: sha, rejections };
}
