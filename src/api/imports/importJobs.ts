import { sql, type DatabasePool, type DatabaseTransactionConnection } from 'slonik';
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
  last_position: z.union([z.number(), z.string()]),
});
export type ImportJobRow = z.infer<typeof ImportJobRow>;

export const importStream = (importId: string) => `import-${importId}`;
export const IMPORT_JOB_EVENTS = ['ImportStarted', 'ImportProgressed', 'ImportFinished', 'ImportFailed'];
/** The rows' checkpoint: every import event at or before it has been folded in. */
const CHECKPOINT = 'api.import_jobs';

type A = Record<string, any>;
const rejectedOf = (d: A) => (Array.isArray(d.rejections) ? d.rejections : null);

/**
 * Folds one import event into its job row: the only writer of `api.import_jobs`, so the rows are a
 * projection of the `import-<id>` streams. Each update names the position it applies, and a row ignores
 * events at or before the last one it took: replays (catch-up, rebuild) are harmless. Streams without an
 * ImportStarted (missed-call imports record only their result) have no job row.
 */
export async function applyImportEvent(db: DatabasePool | DatabaseTransactionConnection, e: { type: string; data: unknown; position: number }): Promise<void> {
  const d = e.data as A;
  const id = d.importId as string;
  const pos = e.position;
  switch (e.type) {
    case 'ImportStarted':
      await db.query(sql.unsafe`
        INSERT INTO api.import_jobs (import_id, filename, campaign_id, department_id, started_by, started_at, started_position, file_path, phone_column, name_column, status, last_position)
        VALUES (${id}, ${d.filename}, ${d.campaignId ?? null}, ${d.departmentId ?? null}, ${d.startedBy}, ${d.at}::timestamptz,
                ${pos}, ${d.file ?? ''}, ${d.phoneColumn ?? null}, ${d.nameColumn ?? null}, 'running', ${pos})
        ON CONFLICT (import_id) DO NOTHING`);
      return;
    case 'ImportProgressed':
      await db.query(sql.unsafe`
        UPDATE api.import_jobs SET rows_read = ${d.rowsRead}, imported = ${d.imported}, duplicates = ${d.duplicates},
          already_imported = ${d.alreadyImported}, rejected_count = ${d.rejected}, last_position = ${pos}
        WHERE import_id = ${id} AND status = 'running' AND last_position < ${pos}`);
      return;
    case 'ImportFinished': {
      const rejected = rejectedOf(d);
      await db.query(sql.unsafe`
        UPDATE api.import_jobs SET status = 'finished', finished_at = ${d.at}::timestamptz, batch_id = ${d.batchId ?? null},
          rows_read = ${d.rowsRead}, imported = ${d.imported}, duplicates = ${d.duplicates},
          already_imported = ${d.alreadyImported}, rejected_count = ${d.rejected},
          rejected = COALESCE(${rejected ? sql.jsonb(rejected) : null}::jsonb, rejected), last_position = ${pos}
        WHERE import_id = ${id} AND last_position < ${pos}`);
      return;
    }
    case 'ImportFailed':
      await db.query(sql.unsafe`
        UPDATE api.import_jobs SET status = ${d.interrupted ? 'interrupted' : 'failed'}, error = ${d.reason},
          finished_at = ${d.at}::timestamptz, last_position = ${pos}
        WHERE import_id = ${id} AND last_position < ${pos}`);
      return;
  }
}

/**
 * Runs lead imports in the background and records each step as an event on `import-<id>` (ImportStarted,
 * ImportProgressed, ImportFinished or ImportFailed), folding it into the job row at once (applyImportEvent),
 * so a client that sees ImportFinished and asks importJob gets the final report. importProgress reads the
 * events; importJob/importJobs read the rows, which `rebuild()` recreates from the events alone.
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

  /**
   * At startup: fold in events a crash left unapplied, then end the jobs a previous process left running
   * (they never finish) with an ImportFailed marked interrupted, instead of showing them running forever.
   */
  async markInterrupted(): Promise<void> {
    await this.catchUp();
    const running = await this.pool.any(sql.type(ImportJobRow)`SELECT * FROM api.import_jobs WHERE status = 'running'`);
    for (const j of running) {
      const spec = { importId: j.import_id, startedBy: j.started_by, actorRole: 'system' };
      await this.append(spec, 'ImportFailed', { reason: '服务重启，导入中断；可重试 / the server restarted during this import; retry it', interrupted: true, at: new Date().toISOString() });
    }
  }

  /**
   * Folds every import event after the checkpoint (idempotent). Not after the newest position a row has taken:
   * rows are also written as each job appends, so one job's later event says nothing of another job's earlier
   * one a crash left unapplied. Only a replay, which reads every import event in order, moves the checkpoint.
   */
  async catchUp(): Promise<void> {
    const from = await this.pool.maybeOneFirst(sql.type(z.object({ position: z.coerce.number() }))`
      SELECT position FROM projection_checkpoints WHERE name = ${CHECKPOINT}`);
    const r = await this.replay(this.pool, Number(from ?? 0));
    await this.saveCheckpoint(this.pool, r.last);
  }

  /** Drops the job rows and folds them again from the `import-<id>` streams, in one transaction. */
  async rebuild(): Promise<number> {
    return this.pool.transaction(async (tx) => {
      await tx.query(sql.unsafe`DELETE FROM api.import_jobs`);
      const r = await this.replay(tx, 0);
      await tx.query(sql.unsafe`DELETE FROM projection_checkpoints WHERE name = ${CHECKPOINT}`);
      await this.saveCheckpoint(tx, r.last);
      return r.n;
    });
  }

  private async saveCheckpoint(db: DatabasePool | DatabaseTransactionConnection, position: number): Promise<void> {
    await db.query(sql.unsafe`
      INSERT INTO projection_checkpoints (name, version, position) VALUES (${CHECKPOINT}, 1, ${position})
      ON CONFLICT (name) DO UPDATE SET position = GREATEST(projection_checkpoints.position, EXCLUDED.position), updated_at = now()`);
  }

  private async replay(db: DatabasePool | DatabaseTransactionConnection, after: number): Promise<{ n: number; last: number }> {
    let n = 0;
    for (let from = after; ; ) {
      const page = await this.store.readAll({ after: from, maxCount: 1000, filter: { streamPrefix: 'import-', eventTypes: IMPORT_JOB_EVENTS } });
      for (const e of page) await applyImportEvent(db, e);
      n += page.length;
      if (page.length > 0) from = page[page.length - 1].position;
      if (page.length < 1000) return { n, last: from };
    }
  }

  /** Records the job (ImportStarted, and so its row) and starts it; resolves once it is recorded, not when it ends. */
  async start(spec: ImportJobSpec): Promise<{ importId: string; position: number }> {
    const at = new Date().toISOString();
    const started = await this.append(spec, 'ImportStarted', {
      filename: spec.filename,
      campaignId: spec.campaignId ?? null,
      departmentId: spec.departmentId ?? null,
      startedBy: spec.startedBy,
      retryOf: spec.retryOf ?? null,
      file: spec.file,
      phoneColumn: spec.phoneColumn ?? null,
      nameColumn: spec.nameColumn ?? null,
      at,
    });
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
      // Chained, so progress events land in order and never after the final one.
      pending = pending.then(() => this.append(spec, 'ImportProgressed', { rowsRead: p.rows, imported: p.imported, duplicates: p.duplicates, alreadyImported: p.alreadyImported, rejected: p.rejected, at: new Date().toISOString() })).catch(() => undefined);
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
      return;
    }
    await pending;
    const counts = { rowsRead: report.rows, imported: report.imported, duplicates: report.duplicates, alreadyImported: report.alreadyImported, rejected: report.rejected };
    const rejections = report.rejections.map((r) => ({ row: r.row, value: r.value, reason: r.reason }));
    await this.append(spec, 'ImportFinished', { ...counts, rejections, batchId: report.batchId, fileSha256: report.fileSha256, at: new Date().toISOString() });
  }

  /** Appends one event of the job and folds it into the job row. */
  private async append(spec: Pick<ImportJobSpec, 'importId' | 'startedBy' | 'actorRole'>, type: string, data: Record<string, unknown>) {
    const full = { importId: spec.importId, ...data };
    const r = await this.store.append(importStream(spec.importId), [
      { type, data: full, metadata: { actorId: spec.startedBy, actorRole: spec.actorRole, occurredAt: new Date().toISOString() } },
    ]);
    await applyImportEvent(this.pool, { type, data: full, position: r.position });
    return r;
  }
}
