import { sql } from 'slonik';
import { z } from 'zod';
import { toE164 } from '../../../domain/phone/normalize.ts';
import { DomainError } from '../../../domain/decider.ts';
import { departmentSubtree } from '../../auth/scope.ts';
import type { ApiContext } from '../context.ts';
import { apiError, badInput } from '../errors.ts';
import { decodeCursor, encodeCursor } from '../results.ts';

const Rec = z.object({
  recording_id: z.string(),
  call_id: z.string(),
  started_at: z.number(),
  duration_ms: z.number().nullable(),
  sha256: z.string().nullable(),
  agent_id: z.string().nullable(),
});
const Prompt = z.object({
  prompt_id: z.string(),
  name: z.string(),
  sha256: z.string(),
  uploaded_by: z.string().nullable(),
  uploaded_at: z.number(),
});

/** Filters on the recording's call, from the call read model (rm.call): applied in the query so pages stay full. */
function callConditions(f: Record<string, any>) {
  if (f.outcome?.length)
    throw badInput('录音不支持按通话结果筛选 / recordings cannot be filtered by outcome yet', { field: 'outcome' });
  const on = [];
  if (f.campaignId) on.push(sql.fragment`c.campaign_id = ${f.campaignId}`);
  if (f.queueId) on.push(sql.fragment`c.queue_id = ${f.queueId}`);
  if (f.disposition) on.push(sql.fragment`c.disposition = ${f.disposition}`);
  if (f.direction) on.push(sql.fragment`c.direction = ${String(f.direction).toLowerCase()}`);
  if (f.minTalkSeconds != null)
    on.push(sql.fragment`coalesce((c.doc ->> 'talkMs')::numeric, 0) >= ${Number(f.minTalkSeconds) * 1000}`);
  if (f.phone) {
    const phone = toE164(String(f.phone));
    if (phone instanceof DomainError) throw badInput(phone.reason, { field: 'phone' });
    on.push(sql.fragment`c.phone = ${phone}`);
  }
  return on;
}

export const recordingResolvers = {
  Query: {
    recordings: async (
      _: unknown,
      a: { filter?: Record<string, any>; first?: number; after?: string },
      ctx: ApiContext,
    ) => {
      const scope = await ctx.scope();
      const f = a.filter ?? {};
      const first = Math.min(Math.max(a.first ?? 50, 1), 200);
      const offset = decodeCursor(a.after);
      const conds = [sql.fragment`r.stopped`];
      if (!scope.all) conds.push(sql.fragment`ca.agent_id = ANY(${sql.array(scope.userIds, 'text')})`);
      if (f.agentId) conds.push(sql.fragment`ca.agent_id = ${f.agentId}`);
      if (f.from) conds.push(sql.fragment`r.started_at >= ${f.from}`);
      if (f.to) conds.push(sql.fragment`r.started_at < ${f.to}`);
      if (f.hasRecording === false) conds.push(sql.fragment`false`); // every row here is a recording
      // A department with those under it: the recordings of its people.
      if (f.departmentId) {
        const departments = await departmentSubtree(ctx.pool, f.departmentId);
        conds.push(
          sql.fragment`ca.agent_id IN (SELECT user_id FROM api.users WHERE department_id = ANY(${sql.array(departments, 'text')}))`,
        );
      }
      const onCall = callConditions(f);
      if (onCall.length)
        conds.push(
          sql.fragment`EXISTS (SELECT 1 FROM rm.call c WHERE c.key = r.call_id AND ${sql.join(onCall, sql.fragment` AND `)})`,
        );
      if (
        onCall.length &&
        !(await ctx.pool.oneFirst(
          sql.type(z.object({ ok: z.boolean() }))`SELECT to_regclass('rm.call') IS NOT NULL AS ok`,
        ))
      )
        throw apiError(
          'NOT_AVAILABLE',
          '通话筛选尚未开放 / filtering recordings by call needs the call read model, not built on this server yet',
        );
      const rows = await ctx.pool.any(sql.type(Rec)`
        SELECT r.recording_id, r.call_id, r.started_at, r.duration_ms, r.sha256, ca.agent_id
        FROM api.recordings r LEFT JOIN api.call_agents ca ON ca.call_id = r.call_id
        WHERE ${sql.join(conds, sql.fragment` AND `)}
        ORDER BY r.started_at DESC, r.recording_id LIMIT ${first + 1} OFFSET ${offset}`);
      const more = rows.length > first;
      return {
        nodes: rows.slice(0, first).map((r) => ({
          id: r.recording_id,
          callId: r.call_id,
          startedAt: r.started_at,
          durationSeconds: r.duration_ms == null ? null : Math.round(r.duration_ms / 1000),
          sha256: r.sha256,
          url: ctx.recordingUrl(r.recording_id),
        })),
        pageInfo: { hasNextPage: more, endCursor: more ? encodeCursor(offset + first) : null, totalCount: null },
      };
    },
    prompts: async (_: unknown, __: unknown, ctx: ApiContext) => {
      const rows = await ctx.pool.any(
        sql.type(Prompt)`SELECT prompt_id, name, sha256, uploaded_by, uploaded_at FROM api.prompts ORDER BY name`,
      );
      return rows.map((p) => ({
        id: p.prompt_id,
        name: p.name,
        sha256: p.sha256,
        uploadedById: p.uploaded_by,
        uploadedAt: p.uploaded_at,
      }));
    },
  },
  Recording: {
    call: async (r: { callId: string }, _: unknown, ctx: ApiContext) => {
      if (!ctx.readModels.call)
        throw apiError(
          'NOT_AVAILABLE',
          `通话详情尚未开放 / call details are not available on this server yet (call ${r.callId})`,
        );
      return ctx.readModels.call(r.callId, await ctx.scope());
    },
  },
};
