import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { EventStore } from '../../eventstore/types.ts';
import type { Auth } from '../auth/auth.ts';
import { inScope, type Principal } from '../auth/principal.ts';
import { scopeOf } from '../auth/scope.ts';

export interface RecordingRoutesOptions {
  store: EventStore;
  pool: DatabasePool;
  auth: Auth;
  /** Every recording file must resolve (after symlinks) to a file inside this directory. */
  recordingsDir: string;
}

const Rec = z.object({ recording_id: z.string(), call_id: z.string(), file: z.string(), sha256: z.string().nullable(), agent_id: z.string().nullable() });
const ID = /^[\w.:-]{1,128}$/;

/**
 * The file of a recording, or undefined when it would lie outside the recordings directory: a path taken
 * from an event is never trusted, absolute or relative, `..` or symlink.
 */
export async function safeRecordingPath(recordingsDir: string, file: string): Promise<string | undefined> {
  const root = await fs.realpath(recordingsDir).catch(() => undefined);
  if (!root || !file || file.includes('\0')) return undefined;
  const candidate = path.resolve(root, file);
  const real = await fs.realpath(candidate).catch(() => undefined);
  if (!real || (real !== root && !real.startsWith(root + path.sep))) return undefined;
  const stat = await fs.stat(real).catch(() => undefined);
  return stat?.isFile() ? real : undefined;
}

/** One `bytes=` range (players ask for one); undefined when there is no header; 'bad' when unsatisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined | 'bad' {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'bad';
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'bad';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return 'bad';
  return { start, end };
}

const contentType = (file: string) => ({ '.wav': 'audio/wav', '.mp3': 'audio/mpeg', '.ogg': 'audio/ogg', '.opus': 'audio/ogg' })[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

async function principalOf(auth: Auth, req: FastifyRequest): Promise<Principal | undefined> {
  const q = req.query as Record<string, string | undefined>;
  try {
    // <audio src> cannot send headers: the token may come as ?access_token=.
    if (req.headers.authorization) return await auth.fromHeader(req.headers.authorization);
    if (q.access_token) return await auth.authenticate(q.access_token);
  } catch {
    return undefined;
  }
  return undefined;
}

/** GET /recordings/:id — authorized, scoped, range-capable; every access is appended as RecordingAccessed. */
export async function recordingRoutes(app: FastifyInstance, opts: RecordingRoutesOptions): Promise<void> {
  app.get('/recordings/:id', async (req: FastifyRequest, reply: FastifyReply) => {
    const { id } = req.params as { id: string };
    const q = req.query as Record<string, string | undefined>;
    const principal = await principalOf(opts.auth, req);
    if (!principal) return reply.code(401).send({ code: 'UNAUTHENTICATED', reason: '请先登录 / log in first' });
    if (!ID.test(id)) return reply.code(400).send({ code: 'BAD_USER_INPUT', reason: 'bad recording id' });
    const rec = await opts.pool.maybeOne(sql.type(Rec)`
      SELECT r.recording_id, r.call_id, r.file, r.sha256, a.agent_id
      FROM api.recordings r LEFT JOIN api.call_agents a ON a.call_id = r.call_id
      WHERE r.recording_id = ${id}`);
    // The same answer for "does not exist" and "not yours": ids of others' recordings are not confirmed.
    if (!rec) return reply.code(404).send({ code: 'NOT_FOUND', reason: '录音不存在 / recording not found' });
    const scope = await scopeOf(opts.pool, principal);
    if (!inScope(scope, rec.agent_id)) return reply.code(404).send({ code: 'NOT_FOUND', reason: '录音不存在 / recording not found' });
    const file = await safeRecordingPath(opts.recordingsDir, rec.file);
    if (!file) return reply.code(404).send({ code: 'NOT_FOUND', reason: '录音文件不存在 / recording file is missing' });
    const size = (await fs.stat(file)).size;
    const range = parseRange(req.headers.range, size);
    if (range === 'bad') return reply.code(416).header('content-range', `bytes */${size}`).send({ code: 'RANGE_NOT_SATISFIABLE', reason: 'bad range' });
    const reason = (q.reason ?? '').slice(0, 500) || undefined;
    await opts.store.append(`recording-${id}`, [
      {
        type: 'RecordingAccessed',
        data: {
          recordingId: id,
          callId: rec.call_id,
          userId: principal.userId,
          role: principal.role,
          reason,
          range: req.headers.range ?? null,
          download: q.download === '1',
          ip: req.ip,
          at: new Date().toISOString(),
        },
        metadata: { actorId: principal.userId, actorRole: principal.role, occurredAt: new Date().toISOString() },
      },
    ]);
    reply
      .header('accept-ranges', 'bytes')
      .header('content-type', contentType(file))
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff');
    if (rec.sha256) reply.header('x-recording-sha256', rec.sha256);
    if (q.download === '1') reply.header('content-disposition', `attachment; filename="${id}${path.extname(file)}"`);
    if (!range) return reply.header('content-length', size).send(createReadStream(file));
    return reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
      .header('content-length', range.end - range.start + 1)
      .send(createReadStream(file, { start: range.start, end: range.end }));
  });
}
