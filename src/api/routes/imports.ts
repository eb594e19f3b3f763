import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DatabasePool } from 'slonik';
import type { EventStore } from '../../eventstore/types.ts';
import { resolveColumns } from '../../import/columns.ts';
import { ImportFileError, openSheet } from '../../import/rows.ts';
import type { Auth } from '../auth/auth.ts';
import { departmentInScope } from '../auth/principal.ts';
import { scopeOf } from '../auth/scope.ts';
import type { ImportJobs } from '../imports/importJobs.ts';

export interface ImportRoutesOptions {
  store: EventStore;
  pool: DatabasePool;
  auth: Auth;
  jobs: ImportJobs;
  importsDir: string;
  /** Largest upload accepted, bytes (default 512 MiB: a million rows of CSV with a few columns). */
  maxBytes?: number;
}

class TooLarge extends Error {}

/** The department of a campaign, from its CampaignCreated event; undefined when there is no such campaign. */
export async function campaignDepartment(store: EventStore, campaignId: string): Promise<string | null | undefined> {
  const events = await store.readStream(`campaign-${campaignId}`, { maxCount: 20 });
  const created = events.find((e) => e.type === 'CampaignCreated');
  return created ? ((created.data as { departmentId?: string }).departmentId ?? null) : undefined;
}

/**
 * POST /imports?filename=…&campaignId=…&phoneColumn=…[&nameColumn=…] with the raw CSV or XLSX as the body.
 * The body is streamed to a file (never held whole), checked for a readable header and phone column, then
 * imported in the background; the answer is `{ importId }` at once, progress comes through importProgress.
 */
export async function importRoutes(app: FastifyInstance, opts: ImportRoutesOptions): Promise<void> {
  const maxBytes = opts.maxBytes ?? 512 * 1024 * 1024;
  // This plugin is encapsulated: here every content type arrives as the raw stream.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
  const fail = (reply: FastifyReply, status: number, code: string, reason: string) => reply.code(status).send({ code, reason, message: reason });

  app.post('/imports', async (req: FastifyRequest, reply) => {
    const principal = await opts.auth.fromHeader(req.headers.authorization).catch(() => undefined);
    if (!principal) return fail(reply, 401, 'UNAUTHENTICATED', '请先登录 / log in first');
    if (!['supervisor', 'admin'].includes(principal.role)) return fail(reply, 403, 'FORBIDDEN', '无权导入 / only supervisors and admins import lead files');
    const q = req.query as Record<string, string | undefined>;
    const filename = String(q.filename ?? '').trim() || 'upload';
    const campaignId = q.campaignId?.trim() || undefined;
    if (filename.length > 255) return fail(reply, 400, 'BAD_USER_INPUT', '文件名过长 / filename is longer than 255 characters');
    if (!campaignId) return fail(reply, 400, 'BAD_USER_INPUT', '请选择活动 / give the campaign (?campaignId=…)');
    const departmentId = await campaignDepartment(opts.store, campaignId);
    if (departmentId === undefined) return fail(reply, 404, 'NOT_FOUND', `活动不存在 / campaign ${campaignId} not found`);
    if (!departmentInScope(await scopeOf(opts.pool, principal), departmentId)) return fail(reply, 403, 'FORBIDDEN', `无权访问 / you may not import into campaign ${campaignId}`);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBytes) return fail(reply, 413, 'PAYLOAD_TOO_LARGE', `文件过大 / the file is larger than ${maxBytes} bytes`);
    const body = req.body as NodeJS.ReadableStream | undefined;
    if (!body || typeof (body as { pipe?: unknown }).pipe !== 'function') return fail(reply, 400, 'BAD_USER_INPUT', '请上传文件 / send the CSV or XLSX file as the request body');

    const importId = randomUUID();
    await fs.mkdir(opts.importsDir, { recursive: true });
    const ext = path.extname(filename).toLowerCase() === '.xlsx' ? '.xlsx' : '.csv';
    const file = path.join(opts.importsDir, `${importId}${ext}`);
    let bytes = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(bytes > maxBytes ? new TooLarge() : null, chunk);
      },
    });
    try {
      await pipeline(body, limit, createWriteStream(file));
    } catch (e) {
      await fs.rm(file, { force: true });
      if (e instanceof TooLarge) {
        reply.header('connection', 'close');
        return fail(reply, 413, 'PAYLOAD_TOO_LARGE', `文件过大 / the file is larger than ${maxBytes} bytes`);
      }
      throw e;
    }
    if (bytes === 0) {
      await fs.rm(file, { force: true });
      return fail(reply, 400, 'BAD_FILE', '文件为空 / the file is empty');
    }
    // Header and phone column checked now, so a wrong file is a clear 400 rather than a failed job later.
    try {
      const sheet = await openSheet(file);
      resolveColumns(sheet.headers, { phone: q.phoneColumn?.trim() || undefined, name: q.nameColumn?.trim() || undefined });
      await closeRows(sheet.rows);
    } catch (e) {
      await fs.rm(file, { force: true });
      const reason = e instanceof Error ? e.message : String(e);
      return fail(reply, 400, e instanceof ImportFileError ? e.code : 'BAD_FILE', `无法读取文件 / cannot read the file: ${reason}`);
    }
    const started = await opts.jobs.start({
      importId,
      file,
      filename,
      campaignId,
      departmentId: departmentId ?? undefined,
      phoneColumn: q.phoneColumn?.trim() || undefined,
      nameColumn: q.nameColumn?.trim() || undefined,
      startedBy: principal.userId,
      actorRole: principal.role,
    });
    return reply.code(202).send({ importId, id: importId, position: started.position });
  });
}

/** Lets go of a sheet's file handle when only its header was wanted. */
async function closeRows(rows: AsyncIterable<unknown>): Promise<void> {
  const it = rows[Symbol.asyncIterator]();
  // A generator not yet started skips its finally (which closes the file) on return(): start it first.
  await it.next();
  await it.return?.(undefined);
}
