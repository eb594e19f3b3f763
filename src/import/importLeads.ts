import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { handleCommand } from '../commands/handleCommand.ts';
import { campaignDecider } from '../domain/campaign/decider.ts';
import type { ImportLead } from '../domain/lead/commands.ts';
import type { LeadSource } from '../domain/lead/events.ts';
import type { EventStore } from '../eventstore/types.ts';
import { resolveColumns, type ColumnMapping } from './columns.ts';
import { LeadWriter, type ImportProgress, type RowRejection } from './leadWriter.ts';
import { detectKind, ImportFileError, openSheet } from './rows.ts';

export type { ImportProgress, RowRejection } from './leadWriter.ts';

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
  /** Lead appends kept in flight (default 256). */
  concurrency?: number;
  onProgress?: (p: ImportProgress) => void;
  clock?: () => Date;
  /**
   * Retry of an earlier import after the file was corrected: pass that import's batch id. Rows it already
   * imported are recognised by their command ids and skipped; rows it rejected are imported now.
   */
  retryOf?: string;
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
  if (opts.retryOf !== undefined && !/^import-[0-9a-f]{24}$/.test(opts.retryOf)) {
    throw new ImportFileError('BATCH_ID_INVALID', `"${opts.retryOf}" is not an import batch id (import- and 24 hex digits, as printed by the first import)`);
  }
  const sha = await fileSha256(opts.file);
  const batchId = opts.retryOf ?? `import-${sha.slice(0, 24)}`;
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

  const writer = new LeadWriter({ store, ...actor, concurrency: opts.concurrency, onProgress: opts.onProgress });
  for await (const r of sheet.rows) {
    if (writer.failed) break;
    const raw = (r.cells[cols.phone] ?? '').trim();
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
    await writer.submit(cmd, raw);
  }
  await writer.finish('import');
  return { ...writer.counts, batchId, fileSha256: sha, rejections: writer.rejections };
}
