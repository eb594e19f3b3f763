import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EventStore } from '../../eventstore/types.ts';
import type { Auth } from '../auth/auth.ts';

export interface PromptRoutesOptions {
  store: EventStore;
  auth: Auth;
  promptsDir: string;
  /** Largest prompt accepted, bytes (default 20 MiB). */
  maxBytes?: number;
}

/** A RIFF/WAVE file with a PCM-ish fmt chunk; returns its duration in seconds, or a reason it is not one. */
export function inspectWav(buf: Buffer): { ok: true; durationSeconds?: number } | { ok: false; reason: string } {
  if (buf.length < 44 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE')
    return { ok: false, reason: '不是WAV文件 / not a WAV (RIFF/WAVE) file' };
  let off = 12;
  let byteRate = 0;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const len = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') byteRate = buf.readUInt32LE(off + 16);
    if (id === 'data') return { ok: true, durationSeconds: byteRate ? Math.min(len, buf.length - off - 8) / byteRate : undefined };
    off += 8 + len + (len % 2);
  }
  return { ok: false, reason: 'WAV文件缺少音频数据 / the WAV file has no data chunk' };
}

/** POST /prompts?name=… with a raw audio/wav body: stored by content hash, recorded as PromptUploaded. */
export async function promptRoutes(app: FastifyInstance, opts: PromptRoutesOptions): Promise<void> {
  const maxBytes = opts.maxBytes ?? 20 * 1024 * 1024;
  app.addContentTypeParser(['audio/wav', 'audio/x-wav', 'audio/wave'], { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) => done(null, body));
  app.post('/prompts', { bodyLimit: maxBytes }, async (req: FastifyRequest, reply) => {
    let principal;
    try {
      principal = await opts.auth.fromHeader(req.headers.authorization);
    } catch {
      principal = undefined;
    }
    if (!principal) return reply.code(401).send({ code: 'UNAUTHENTICATED', reason: '请先登录 / log in first' });
    if (!['supervisor', 'admin'].includes(principal.role)) return reply.code(403).send({ code: 'FORBIDDEN', reason: '无权上传语音 / only supervisors and admins upload prompts' });
    const name = String((req.query as Record<string, string>).name ?? '').trim();
    if (!name || name.length > 200) return reply.code(400).send({ code: 'BAD_USER_INPUT', reason: '请提供名称 / give the prompt a name (?name=…)' });
    if (!Buffer.isBuffer(req.body)) return reply.code(415).send({ code: 'BAD_USER_INPUT', reason: 'send the WAV as the body with Content-Type: audio/wav' });
    const wav = inspectWav(req.body);
    if (!wav.ok) return reply.code(400).send({ code: 'INVALID_WAV', reason: wav.reason });
    const sha256 = createHash('sha256').update(req.body).digest('hex');
    await fs.mkdir(opts.promptsDir, { recursive: true });
    const file = `${sha256}.wav`;
    const tmp = path.join(opts.promptsDir, `.${randomUUID()}.tmp`);
    await fs.writeFile(tmp, req.body);
    await fs.rename(tmp, path.join(opts.promptsDir, file));
    const promptId = (req.query as Record<string, string>).id ?? randomUUID();
    const at = new Date().toISOString();
    const result = await opts.store.append(`prompt-${promptId}`, [
      { type: 'PromptUploaded', data: { promptId, name, file, sha256, bytes: req.body.length, durationSeconds: wav.durationSeconds ?? null, uploadedBy: principal.userId, at }, metadata: { actorId: principal.userId, actorRole: principal.role, occurredAt: at } },
    ]);
    return reply.code(201).send({ id: promptId, name, sha256, bytes: req.body.length, durationSeconds: wav.durationSeconds ?? null, position: result.position });
  });
}
