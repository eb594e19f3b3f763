import { randomUUID } from 'node:crypto';
import { handleCommand } from '../../../commands/handleCommand.ts';
import { campaignDecider } from '../../../domain/campaign/decider.ts';
import type { RoutingStrategy } from '../../../domain/call/events.ts';
import type { QueueConfig } from '../../../domain/queue/events.ts';
import { DEFAULT_CALLBACK_HOURS, queueDecider } from '../../../domain/queue/decider.ts';
import type { ImportLead } from '../../../domain/lead/commands.ts';
import { LeadWriter } from '../../../import/leadWriter.ts';
import { missedCallsSince } from '../../../projections/readModels/callDetail/missedCalls.ts';
import { departmentSubtree } from '../../auth/scope.ts';
import { departmentInScope } from '../../auth/principal.ts';
import { campaignDepartment } from '../../routes/imports.ts';
import type { ApiContext } from '../context.ts';
import { apiError, badInput, forbidden, notFound } from '../errors.ts';
import { newIdFor, run } from '../run.ts';

type A = Record<string, any>;

const STRATEGY: Record<string, RoutingStrategy> = {
  RING_ALL: 'ring_all',
  LONGEST_IDLE: 'longest_idle',
  ROUND_ROBIN: 'round_robin',
  FEWEST_CALLS: 'fewest_calls',
  RANDOM: 'random',
  STICKY_LAST_AGENT: 'sticky',
  LEAST_TALK_TIME: 'least_talk_time',
};

/**
 * QueueInput in the queue decider's terms; what the domain does not model is refused, not dropped. A new queue
 * gets longest idle and a 120 s wait unless told; an update leaves out what the input leaves out (unchanged).
 */
function queueConfig(i: A, creating: boolean): Partial<QueueConfig> {
  const c: Partial<QueueConfig> = {};
  const given = i.strategy ?? (creating ? 'LONGEST_IDLE' : undefined);
  if (given != null) {
    const strategy = STRATEGY[given];
    if (!strategy) throw badInput(`振铃策略 ${given} 尚不支持 / ring strategy ${given} is not supported yet`);
    c.strategy = strategy;
  }
  if (i.agentIds?.length) throw badInput('队列成员由坐席技能决定 / queue members come from agent skills; agentIds is not supported');
  if (creating) c.maxWaitSeconds = 120;
  // Checked by the queue decider (QUEUE_PRIORITY_INVALID); left out on update keeps the queue's.
  if (i.priority != null) c.priority = i.priority;
  if (i.maxWaitSeconds != null) c.maxWaitSeconds = i.maxWaitSeconds;
  if (i.skills) c.skills = (i.skills as A[]).map((x) => ({ skill: x.skill, minLevel: x.minLevel ?? 1 }));
  if (i.overflow !== undefined) {
    const o = i.overflow as A | null;
    const kind = String(o?.kind ?? '').toLowerCase() as 'queue' | 'voicemail' | 'callback' | 'number';
    // Voicemail needs no target: the queue's own mailbox.
    c.overflow = o ? { afterSeconds: o.afterSeconds, target: { kind, id: o.targetId ?? (kind === 'voicemail' ? 'mailbox' : '') } } : undefined;
  }
  if (i.serviceLevel) c.serviceLevel = { percent: i.serviceLevel.percent, withinSeconds: i.serviceLevel.withinSeconds };
  if (i.announceEverySeconds != null) c.announceEverySeconds = i.announceEverySeconds;
  if (i.callbackHours) {
    const h = i.callbackHours as A;
    const windows = (h.windows as A[]).map((w) => ({ days: (w.days as number[]).map((d) => (d === 0 ? 7 : d)), start: w.start, end: w.end }));
    c.callbackHours = { windows, timeZonePolicy: 'lead', timeZone: h.timeZone ?? DEFAULT_CALLBACK_HOURS.timeZone };
  }
  return c;
}

async function queueDepartment(ctx: ApiContext, queueId: string): Promise<string | undefined> {
  const events = await ctx.store.readStream(`queue-${queueId}`, { maxCount: 5 });
  return (events.find((e) => e.type === 'QueueCreated')?.data as A | undefined)?.departmentId;
}

export const floorAdminResolvers = {
  Query: {
    agentState: async (_: unknown, a: { agentId: string; asOf?: A }, ctx: ApiContext) => {
      if (a.asOf && (a.asOf.at != null || a.asOf.position != null)) throw badInput('agentState 不支持 asOf；请用 agentStates(asOf) / use agentStates(asOf:) for past states');
      const read = ctx.readModels.agentStates;
      if (!read) throw apiError('NOT_AVAILABLE', '尚未开放 / the agentStates read model is not wired into this server yet');
      // Scoped by the read model: an agent outside the caller's scope is simply not found.
      const states = await read({ filter: {} }, await ctx.scope());
      return states.find((s) => s.agentId === a.agentId) ?? null;
    },
  },
  Mutation: {
    createQueue: async (_: unknown, a: A, ctx: ApiContext) => {
      const departmentId = a.input.departmentId ?? ctx.principal!.departmentId;
      if (!departmentId) throw badInput('请指定部门 / give the queue a department');
      if (!departmentInScope(await ctx.scope(), departmentId)) throw forbidden(`department ${departmentId}`);
      const queueId = a.id ?? newIdFor(ctx, 'queue', a.commandId);
      return run(ctx, queueDecider, queueId, 'CreateQueue', { queueId, name: a.input.name, departmentId, config: queueConfig(a.input, true) }, a.commandId);
    },
    updateQueue: async (_: unknown, a: A, ctx: ApiContext) => {
      const departmentId = await queueDepartment(ctx, a.id);
      if (!departmentId) throw notFound(`queue ${a.id}`);
      if (!departmentInScope(await ctx.scope(), departmentId)) throw forbidden(`queue ${a.id}`);
      if (a.input.departmentId && a.input.departmentId !== departmentId) throw badInput('队列不能换部门 / a queue cannot move to another department');
      return run(ctx, queueDecider, a.id, 'ConfigureQueue', { config: queueConfig(a.input, false) }, a.commandId);
    },
    /** Callers who hung up unanswered since an instant become leads of the campaign's missed-call list. */
    importMissedCalls: async (_: unknown, a: { since: string; campaignId: string; commandId?: string }, ctx: ApiContext) => {
      const departmentId = await campaignDepartment(ctx.store, a.campaignId);
      if (departmentId === undefined) throw notFound(`campaign ${a.campaignId}`);
      if (!departmentInScope(await ctx.scope(), departmentId)) throw forbidden(`campaign ${a.campaignId}`);
      const since = new Date(a.since);
      if (Number.isNaN(since.getTime())) throw badInput(`since is not an instant: ${a.since}`);
      const p = ctx.principal!;
      const listId = `missed-${a.campaignId}`;
      const now = new Date().toISOString();
      await handleCommand(ctx.store, campaignDecider, a.campaignId, {
        type: 'AttachList',
        data: { listId },
        meta: { now, commandId: `${listId}:attach`, actorId: p.userId, actorRole: p.role },
      });
      const importId = a.commandId ? newIdFor(ctx, 'import-missed', a.commandId) : randomUUID();
      const streamId = `import-${importId}`;
      const earlier = await ctx.store.readStream(streamId, { maxCount: 1 });
      if (earlier.length) {
        const e = earlier[0];
        return { streamId, events: [{ id: e.id, streamId, revision: e.revision, position: e.position, type: e.type }], position: e.position, repeated: true };
      }
      // From the floor's call records (scoped to the campaign's departments in SQL), not a scan of the log.
      const missed = await missedCallsSince(ctx.pool, ctx.store, { since: since.toISOString(), departmentIds: departmentId ? await departmentSubtree(ctx.pool, departmentId) : undefined });
      const writer = new LeadWriter({ store: ctx.store, actorId: p.userId, actorRole: p.role });
      let row = 0;
      for (const c of missed) {
        const fields: Record<string, string> = { callId: c.callId, callAt: c.at };
        if (c.did) fields.did = c.did;
        // Same command id as the CLI's call import: a caller is taken once whichever way they are imported.
        const cmd: ImportLead = {
          type: 'ImportLead',
          data: { phone: c.phone, source: 'missed_call', row: ++row, fields, batchId: listId, departmentId: departmentId ?? undefined },
          meta: { now, commandId: `missed_call:${c.callId}`, actorId: p.userId, actorRole: p.role },
        };
        await writer.submit(cmd, c.phone);
        if (writer.failed) break;
      }
      await writer.finish('missed_call import');
      const r = writer.counts;
      const data = { importId, source: 'missed_call', campaignId: a.campaignId, departmentId: departmentId ?? null, since: since.toISOString(), rowsRead: r.rows, imported: r.imported, duplicates: r.duplicates, alreadyImported: r.alreadyImported, rejected: r.rejected, at: new Date().toISOString() };
      const appended = await ctx.store.append(streamId, [{ type: 'ImportFinished', data, metadata: { actorId: p.userId, actorRole: p.role, occurredAt: data.at } }], 'no-stream');
      const [e] = await ctx.store.readStream(streamId, { maxCount: 1 });
      return { streamId, events: [{ id: e.id, streamId, revision: e.revision, position: e.position, type: e.type }], position: appended.position, repeated: false };
    },
  },
};
