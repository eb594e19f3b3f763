import { callDecider } from '../../../domain/call/decider.ts';
import { inScope } from '../../auth/principal.ts';
import type { CallControlPort } from '../../telephony.ts';
import type { ApiContext } from '../context.ts';
import { apiError, badInput, forbidden, notFound } from '../errors.ts';
import { leadKey, newIdFor, run } from '../run.ts';

type A = Record<string, any>;

/** The agent handling a call, from the call's own stream (its last bridge, else its dial). */
async function callAgent(ctx: ApiContext, callId: string): Promise<string | undefined> {
  const events = await ctx.store.readStream(`call-${callId}`);
  if (!events.length) throw notFound(`call ${callId}`);
  const last = [...events].reverse().find((e) => e.type === 'CallBridged' || (e.type === 'CallDialAttempted' && (e.data as A).agentId));
  return (last?.data as A | undefined)?.agentId;
}

/** Agents control their own calls; supervisors and team leaders the calls of their people. */
async function requireCallInScope(ctx: ApiContext, callId: string) {
  const agentId = await callAgent(ctx, callId);
  if (agentId !== ctx.principal!.userId && !inScope(await ctx.scope(), agentId)) throw forbidden(`call ${callId}`);
}

/** The switch acts later; the facts it produces arrive on myCalls and in the call's history. */
async function requested(ctx: ApiContext, callId: string) {
  return { streamId: `call-${callId}`, events: [], position: await ctx.store.headPosition(), repeated: false };
}

const targetOf = (a: A) => {
  if (a.toAgentId) return { kind: 'agent' as const, id: a.toAgentId };
  if (a.toQueueId) return { kind: 'queue' as const, id: a.toQueueId };
  if (a.toNumber) return { kind: 'number' as const, id: leadKey(a.toNumber) };
  throw badInput('请指定转接目标 / give toAgentId, toQueueId or toNumber');
};

export function callResolvers(telephony: CallControlPort | undefined) {
  const port = () => {
    if (!telephony) throw apiError('NOT_AVAILABLE', '电话系统未连接 / call control is not connected to a switch on this server');
    return telephony;
  };
  return {
    Mutation: {
      finishWrapUp: async (_: unknown, a: A, ctx: ApiContext) => {
        const p = port();
        if (!p.finishWrapUp) throw apiError('NOT_AVAILABLE', '本系统暂不支持提前结束话后处理 / this switch session cannot end wrap-up early yet');
        const agentId = ctx.principal!.userId;
        // Namespaced by user like every command id, so a retry is recognised and nobody else's id collides.
        await p.finishWrapUp(agentId, a.commandId ? `${agentId}:${a.commandId}` : undefined);
        return { streamId: `agent-${agentId}`, events: [], position: await ctx.store.headPosition(), repeated: false };
      },
      answerCall: async (_: unknown, a: A, ctx: ApiContext) => {
        const p = port();
        if (!p.answer) throw apiError('NOT_AVAILABLE', '本系统暂不支持在控制台接听 / this switch session cannot answer from the console');
        const callId = await p.answer(ctx.principal!.userId, a.callId ?? undefined);
        return requested(ctx, callId);
      },
      dial: async (_: unknown, a: A, ctx: ApiContext) => {
        const p = port();
        const callId = newIdFor(ctx, 'call', a.commandId);
        await p.dial({ callId, phone: leadKey(a.phone), agentId: ctx.principal!.userId, campaignId: a.campaignId ?? undefined });
        return requested(ctx, callId);
      },
      hangUp: async (_: unknown, a: A, ctx: ApiContext) => {
        const p = port();
        await requireCallInScope(ctx, a.callId);
        await p.hangUp(a.callId, { by: ctx.principal!.userId });
        return requested(ctx, a.callId);
      },
      hold: async (_: unknown, a: A, ctx: ApiContext) => {
        const p = port();
        await requireCallInScope(ctx, a.callId);
        await p.hold(a.callId);
        return requested(ctx, a.callId);
      },
      unhold: async (_: unknown, a: A, ctx: ApiContext) => {
        const p = port();
        await requireCallInScope(ctx, a.callId);
        await p.unhold(a.callId);
        return requested(ctx, a.callId);
      },
      transfer: async (_: unknown, a: A, ctx: ApiContext) => {
        const p = port();
        await requireCallInScope(ctx, a.callId);
        await p.transfer(a.callId, targetOf(a), a.kind === 'ATTENDED' ? 'attended' : 'blind');
        return requested(ctx, a.callId);
      },
      forceTransfer: async (_: unknown, a: A, ctx: ApiContext) => {
        const p = port();
        await requireCallInScope(ctx, a.callId);
        await p.transfer(a.callId, targetOf(a), 'blind');
        return requested(ctx, a.callId);
      },
      // Supervisor interventions are facts in their own right (who, why), recorded before the switch acts.
      forceHangUp: async (_: unknown, a: A, ctx: ApiContext) => {
        const p = port();
        await requireCallInScope(ctx, a.callId);
        const r = await run(ctx, callDecider, a.callId, 'ForceHangUp', { by: ctx.principal!.userId, reason: a.reason }, a.commandId);
        if (!r.repeated) await p.hangUp(a.callId, { by: ctx.principal!.userId, cause: 'SUPERVISOR_FORCED' });
        return r;
      },
      monitorCall: async (_: unknown, a: A, ctx: ApiContext) => {
        const p = port();
        await requireCallInScope(ctx, a.callId);
        const mode = String(a.mode).toLowerCase() as 'listen' | 'whisper' | 'barge';
        const r = await run(ctx, callDecider, a.callId, 'MonitorCall', { mode, supervisorId: ctx.principal!.userId }, a.commandId);
        if (r.events.length && !r.repeated) await p.monitor(a.callId, ctx.principal!.userId, mode);
        return r;
      },
      stopMonitoring: async (_: unknown, a: A, ctx: ApiContext) => {
        const p = port();
        await requireCallInScope(ctx, a.callId);
        const r = await run(ctx, callDecider, a.callId, 'EndMonitor', { supervisorId: ctx.principal!.userId }, a.commandId);
        if (!r.repeated) await p.stopMonitoring(a.callId, ctx.principal!.userId);
        return r;
      },
    },
  };
}
