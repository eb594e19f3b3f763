import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { EventStore } from '../../eventstore/types.ts';
import { importLeads, type ImportProgress, type ImportReport } from '../../import/importLeads.ts';

/** What a job needs to run: where the uploaded file lies and how to read it. */
export interface ImportJobSpec {
  importId: string;
  file: string;
  filename: string;
  campaignId?: string;
  departmentId?: string;
  phoneColumn?: string;
  nameColumn?: string;
  startedBy: string;
  actorRole: string;
  /** Batch id of an earlier import of this file (retryImport): its rows are recognised, its rejections retried. */
  retryOf?: string;
}

export const ImportJobRow = z.object({
  import_id: z.string(),
  filename: z.string(),
  campaign_id: z.string().nullable(),
  department_id: z.string().nullable(),
  started_by: z.string(),
  started_at: z.union([z.number(), z.string()]),
  started_position: z.union([z.number(), z.string()]),
  finished_at: z.union([z.number(), z.string()]).nullable(),
  file_path: z.string(),
  phone_column: z.string().nullable(),
  name_column: z.string().nullable(),
  batch_id: z.string().nullable(),
  rows_read: z.number(),
  imported: z.number(),
  duplicates: z.number(),
  already_imported: z.number(),
  rejected_count: z.number(),
  rejected: z.array(z.object({ row: z.number(), value: z.string().nullable(), reason: z.string() })),
  status: z.string(),
  error: z.string().nullable(),
});
export type ImportJobRow = z.infer<typeof ImportJobRow>;

export const importStream = (importId: string) => `import-${importId}`;

/**
 * Runs lead imports in the background and keeps their job rows and `import-<id>` events current: the
 * importProgress subscription reads those events, importJob/importJobs read the rows.
 */
export class ImportJobs {
  private readonly store: EventStore;
  private readonly pool: DatabasePool;
  private readonly running = new Set<Promise<void>>();
  /** Least time between two ImportProgressed events of one job. */
  private readonly progressEveryMs: number;

  constructor(store: EventStore, pool: DatabasePool, progressEveryMs = 1000) {
    this.store = store;
    this.pool = pool;
    this.progressEveryMs = progressEveryMs;
  }

  /** Jobs a previous process left running never finish: say so instead of showing them running forever. */
  async markInterrupted(): Promise<void> {
    await this.pool.query(sql.unsafe`
      UPDATE api.import_jobs SET status = 'interrupted', finished_at = now(),
        error = '服务重启，导入中断；可重试 / the server restarted during this import; retry it'
      WHERE status = 'running'`);
  }

  /** Records the job (row + ImportStarted) and starts it; resolves once it is recorded, not when it ends. */
  async start(spec: ImportJobSpec): Promise<{ importId: string; position: number }> {
    const at = new Date().toISOString();
    const started = await this.append(spec, 'ImportStarted', { filename: spec.filename, campaignId: spec.campaignId ?? null, departmentId: spec.departmentId ?? null, startedBy: spec.startedBy, retryOf: spec.retryOf ?? null, at });
    await this.pool.query(sql.unsafe`
      INSERT INTO api.import_jobs (import_id, filename, campaign_id, department_id, started_by, started_at, started_position, file_path, phone_column, name_column, status)
      VALUES (${spec.importId}, ${spec.filename}, ${spec.campaignId ?? null}, ${spec.departmentId ?? null}, ${spec.startedBy}, ${at}::timestamptz,
              ${started.position}, ${spec.file}, ${spec.phoneColumn ?? null}, ${spec.nameColumn ?? null}, 'running')`);
    const task = this.run(spec).finally(() => this.running.delete(task));
    this.running.add(task);
    return { importId: spec.importId, position: started.position };
  }

  /** Waits for the jobs in flight (server shutdown, tests). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  async get(importId: string): Promise<ImportJobRow | null> {
    return this.pool.maybeOne(sql.type(ImportJobRow)`SELECT * FROM api.import_jobs WHERE import_id = ${importId}`);
  }

  private async run(spec: ImportJobSpec): Promise<void> {
    let last = 0;
    let pending: Promise<unknown> = Promise.resolve();
    const onProgress = (p: ImportProgress) => {
      const t = Date.now();
      if (t - last < this.progressEveryMs) return;
      last = t;
      // Chained, so progress rows and events land in order and never after the final one.
      pending = pending.then(() => this.progress(spec, p)).catch(() => undefined);
    };
    let report: ImportReport;
    try {
      report = await importLeads({
        store: this.store,
        file: spec.file,
        campaignId: spec.campaignId,
        departmentId: spec.departmentId,
        columns: { phone: spec.phoneColumn, name: spec.nameColumn },
        actorId: spec.startedBy,
        actorRole: spec.actorRole,
        retryOf: spec.retryOf,
        onProgress,
      });
    } catch (e) {
      await pending;
      const reason = e instanceof Error ? e.message : String(e);
      await this.append(spec, 'ImportFailed', { reason, at: new Date().toISOString() });
      await this.pool.query(sql.unsafe`
        UPDATE api.import_jobs SET status = 'failed', error = ${reason}, finished_at = now() WHERE import_id = ${spec.importId}`);
      return;
    }
    await pending;
    const counts = { rowsRead: report.rows, imported: report.imported, duplicates: report.duplicates, alreadyImported: report.alreadyImported, rejected: report.rejected };
    // Row first: a client that sees ImportFinished and asks importJob gets the final report.
    await this.pool.query(sql.unsafe`
      UPDATE api.import_jobs SET status = 'finished', finished_at = now(), batch_id = ${report.batchId},
        rows_read = ${report.rows}, imported = ${report.imported}, duplicates = ${report.duplicates},
        already_imported = ${report.alreadyImported}, rejected_count = ${report.rejected},
        rejected = ${sql.jsonb(report.rejections.map((r) => ({ row: r.row, value: r.value, reason: r.reason })))}
      WHERE import_id = ${spec.importId}`);
    await this.append(spec, 'ImportFinished', { ...counts, batchId: report.batchId, fileSha256: report.fileSha256, at: new Date().toISOString() });
  }

  private async progress(spec: ImportJobSpec, p: ImportProgress): Promise<void> {
    await this.pool.query(sql.unsafe`
      UPDATE api.import_jobs SET rows_read = ${p.rows}, imported = ${p.imported}, duplicates = ${p.duplicates},
        already_imported = ${p.alreadyImported}, rejected_count = ${p.rejected}
      WHERE import_id = ${spec.importId} AND status = 'running'`);
    await this.append(spec, 'ImportProgressed', { rowsRead: p.rows, imported: p.imported, duplicates: p.duplicates, alreadyImported: p.alreadyImported, rejected: p.rejected, at: new Date().toISOString() });
  }

  private append(spec: ImportJobSpec, type: string, data: Record<string, unknown>) {
    return this.store.append(importStream(spec.importId), [
      { type, data: { importId: spec.importId, ...data }, metadata: { actorId: spec.startedBy, actorRole: spec.actorRole, occurredAt: new Date().toISOString() } },
    ]);
  }
}
