import { agentDecider } from '../../../domain/agent/decider.ts';
import { campaignDecider } from '../../../domain/campaign/decider.ts';
import type { RetryRulesPatch } from '../../../domain/campaign/commands.ts';
import { DEFAULT_CAMPAIGN_CONFIG, patchRetryRules } from '../../../domain/campaign/config.ts';
import type { CampaignConfig, CampaignEvent, RetryDisposition } from '../../../domain/campaign/events.ts';
import { fold } from '../../../domain/decider.ts';
import { normalizePhone } from '../../../domain/phone/normalize.ts';
import { leadDecider } from '../../../domain/lead/decider.ts';
import { orderDecider } from '../../../domain/order/decider.ts';
import { evaluationDecider } from '../../../domain/qa/evaluationDecider.ts';
import { departmentInScope, inScope } from '../../auth/principal.ts';
import type { ApiContext } from '../context.ts';
import { checkProductIds } from './catalogue.ts';
import { apiError, badInput, forbidden, notFound } from '../errors.ts';
import { leadKey, newIdFor, run } from '../run.ts';

type A = Record<string, any>;
const DAY_MS = 24 * 3600_000;
/** How long a claimed lead stays private to its agent before it may be recycled. */
export const CLAIM_PROTECTION_MS = 3 * DAY_MS;

async function firstData(ctx: ApiContext, streamId: string, type: string): Promise<A | undefined> {
  const events = await ctx.store.readStream(streamId, { maxCount: 50 });
  return events.find((e) => e.type === type)?.data as A | undefined;
}

async function requireAgentInScope(ctx: ApiContext, agentId: string) {
  if (!inScope(await ctx.scope(), agentId)) throw forbidden(`agent ${agentId}`);
}

async function requireCampaignInScope(ctx: ApiContext, campaignId: string) {
  const created = await firstData(ctx, `campaign-${campaignId}`, 'CampaignCreated');
  if (!created) throw notFound(`campaign ${campaignId}`);
  if (!departmentInScope(await ctx.scope(), created.departmentId)) throw forbidden(`campaign ${campaignId}`);
}

/**
 * The schema's CampaignInput in the campaign decider's terms (ISO weekdays 1..7, fractions, minutes), as a patch:
 * fields left out are not in it, so the campaign keeps them.
 */
export function campaignConfig(i: A): Partial<CampaignConfig> {
  const c: Partial<CampaignConfig> = {};
  if (i.dialMode) c.mode = String(i.dialMode).toLowerCase() as CampaignConfig['mode'];
  if (i.maxAbandonRate != null) c.abandonRateTarget = i.maxAbandonRate;
  if (i.maxAttempts != null) c.maxAttempts = i.maxAttempts;
  if (i.priority != null) c.priority = i.priority;
  if (i.callingWindows || i.timeZone) {
    const hours: Partial<CampaignConfig['callingHours']> = {};
    if (i.callingWindows) hours.windows = i.callingWindows.map((w: A) => ({ ...w, days: w.days.map((d: number) => (d === 0 ? 7 : d)) }));
    if (i.timeZone) hours.timeZone = i.timeZone;
    c.callingHours = hours as CampaignConfig['callingHours']; // the decider lays it over the campaign's hours
  }
  if (i.questionnaireId !== undefined) c.questionnaireId = i.questionnaireId || undefined;
  if (i.queueId !== undefined) c.queueId = i.queueId || undefined;
  // Text fields: null or blank clears them (the floor then shows no script / the trunk's number); left out keeps them.
  if (i.script !== undefined) c.script = i.script?.trim() ? i.script : undefined;
  if (i.callerId !== undefined) c.callerId = i.callerId?.trim() ? callerE164(i.callerId) : undefined;
  if (i.dispositions != null) c.dispositions = i.dispositions.map((d: string) => d.trim()).filter(Boolean);
  if (i.productIds != null) c.productIds = [...new Set<string>(i.productIds)];
  // Explicit null turns recycling off (the merge then drops the old rule); left out keeps it.
  if (i.recycle === null) c.recycle = undefined;
  else if (i.recycle) c.recycle = { ...i.recycle, dispositions: i.recycle.dispositions.map((d: string) => d.toLowerCase()) };
  return c;
}

const OUTCOMES: Record<string, RetryDisposition> = { busy: 'busy', noAnswer: 'no_answer', machine: 'machine', callback: 'callback' };

/** The retry rules CampaignInput changes, per outcome (null: no retry after it); undefined when it names none. */
export function retryRulesPatch(i: A): RetryRulesPatch | undefined {
  const patch: RetryRulesPatch = {};
  // retryMinutes: the one-number shorthand for the two outcomes people mean by it; their caps stay.
  if (i.retryMinutes != null) patch.busy = patch.no_answer = { delayMinutes: i.retryMinutes };
  for (const [field, outcome] of Object.entries(OUTCOMES)) {
    const r = i.retryRules?.[field];
    if (r !== undefined) patch[outcome] = r === null ? null : { delayMinutes: r.delayMinutes, maxAttempts: r.maxAttempts ?? undefined };
  }
  return Object.keys(patch).length ? patch : undefined;
}

/** The campaign's configuration now (defaults for a campaign not yet created). */
async function currentConfig(ctx: ApiContext, campaignId: string): Promise<CampaignConfig> {
  const events = await ctx.store.readStream(`campaign-${campaignId}`);
  return fold(campaignDecider, events as unknown as CampaignEvent[]).config;
}

/** A caller id as typed (021 6000 1234, +86 21 ...) in E.164 when it parses; as given otherwise, for the decider to refuse. */
function callerE164(raw: string): string {
  const p = normalizePhone(raw, 'CN');
  return p.ok ? p.e164 : raw.trim();
}

/** The phone and campaign of a call, from its first event. */
async function callFacts(ctx: ApiContext, callId: string): Promise<A> {
  const events = await ctx.store.readStream(`call-${callId}`, { maxCount: 20 });
  const first = events.find((e) => (e.data as A).phone);
  if (!first) throw notFound(`call ${callId}`);
  const agentId = [...events].reverse().find((e) => e.type === 'CallBridged' || (e.data as A).agentId)?.data as A | undefined;
  return { ...(first.data as A), agentId: agentId?.agentId ?? (first.data as A).agentId };
}

export const commandResolvers = {
  Mutation: {
    claimLead: async (_: unknown, a: A, ctx: ApiContext) => {
      const privateUntil = new Date(Date.now() + CLAIM_PROTECTION_MS).toISOString();
      return run(ctx, leadDecider, leadKey(a.leadId), 'ClaimLead', { agentId: ctx.principal!.userId, privateUntil }, a.commandId);
    },
    releaseLead: async (_: unknown, a: A, ctx: ApiContext) =>
      run(ctx, leadDecider, leadKey(a.leadId), 'ReleaseLead', { agentId: ctx.principal!.userId, reason: a.reason ?? '主动释放 / released by the agent' }, a.commandId),
    assignLead: async (_: unknown, a: A, ctx: ApiContext) => {
      await requireAgentInScope(ctx, a.agentId);
      return run(ctx, leadDecider, leadKey(a.leadId), 'AssignLead', { assignee: { kind: 'agent', id: a.agentId }, by: 'person', reason: '主管分配 / assigned by a supervisor' }, a.commandId);
    },
    updateLead: async (_: unknown, a: A, ctx: ApiContext) => {
      const fields: Record<string, string> = { ...(a.customFields ?? {}) };
      if (a.name) fields.name = a.name;
      return run(ctx, leadDecider, leadKey(a.leadId), 'SetLeadFields', { fields }, a.commandId);
    },
    addToDnc: async (_: unknown, a: A, ctx: ApiContext) => {
      if (a.scope === 'CAMPAIGN') throw badInput('按活动的免打扰尚未支持 / campaign-scoped do-not-call is not supported yet; use GLOBAL');
      return run(ctx, leadDecider, leadKey(a.phone), 'AddDoNotCall', { reason: a.reason, source: `api:${ctx.principal!.role}` }, a.commandId);
    },
    removeFromDnc: async (_: unknown, a: A, ctx: ApiContext) => run(ctx, leadDecider, leadKey(a.phone), 'RemoveDoNotCall', { reason: a.reason }, a.commandId),
    scheduleCallback: async (_: unknown, a: A, ctx: ApiContext) => {
      const callbackId = newIdFor(ctx, 'callback', a.commandId);
      const data = { callbackId, owner: ctx.principal!.userId, dueAt: a.dueAt, visibility: a.scope === 'ANYONE' ? 'public' : 'private', note: a.note ?? undefined } as const;
      return run(ctx, leadDecider, leadKey(a.leadId), 'ScheduleCallback', data, a.commandId);
    },
    setDisposition: async (_: unknown, a: A, ctx: ApiContext) => {
      const call = await callFacts(ctx, a.callId);
      const me = ctx.principal!.userId;
      if (call.agentId !== me && !inScope(await ctx.scope(), call.agentId)) throw forbidden(`call ${a.callId}`);
      // A campaign call takes one of the campaign's dispositions: reports and the dialer's retry decisions read them.
      if (call.campaignId) {
        const events = await ctx.store.readStream(`campaign-${call.campaignId}`);
        const allowed = events.length ? fold(campaignDecider, events as never).config.dispositions : undefined;
        if (allowed?.length && !allowed.includes(a.disposition)) {
          throw apiError('DISPOSITION_UNKNOWN', `“${a.disposition}”不是本活动的通话结果，可选：${allowed.join('、')} / not one of this campaign's dispositions: ${allowed.join(', ')}`, { allowed });
        }
      }
      const data = { dispositionId: `${a.callId}`, code: a.disposition, notes: a.note ?? undefined, callId: a.callId, agentId: call.agentId ?? me, campaignId: call.campaignId };
      return run(ctx, leadDecider, leadKey(call.phone), 'RecordDisposition', data, a.commandId);
    },

    agentLogin: async (_: unknown, a: A, ctx: ApiContext) => run(ctx, agentDecider, ctx.principal!.userId, 'LogInAgent', { extension: a.extension }, a.commandId),
    agentLogout: async (_: unknown, a: A, ctx: ApiContext) => run(ctx, agentDecider, ctx.principal!.userId, 'LogOutAgent', { reason: 'logout' }, a.commandId),
    setAgentAvailable: async (_: unknown, a: A, ctx: ApiContext) => run(ctx, agentDecider, ctx.principal!.userId, 'SetAgentReady', {}, a.commandId),
    pauseAgent: async (_: unknown, a: A, ctx: ApiContext) => run(ctx, agentDecider, ctx.principal!.userId, 'SetAgentNotReady', { reasonCode: a.reason }, a.commandId),
    forceAgentState: async (_: unknown, a: A, ctx: ApiContext) => {
      await requireAgentInScope(ctx, a.agentId);
      if (a.status === 'LOGGED_OUT') return run(ctx, agentDecider, a.agentId, 'LogOutAgent', { reason: a.reason }, a.commandId);
      if (a.status === 'AVAILABLE') return run(ctx, agentDecider, a.agentId, 'SetAgentReady', {}, a.commandId);
      if (a.status === 'PAUSED') return run(ctx, agentDecider, a.agentId, 'SetAgentNotReady', { reasonCode: a.reason }, a.commandId);
      throw badInput(`只能强制为 LOGGED_OUT、AVAILABLE 或 PAUSED / an agent can be forced to LOGGED_OUT, AVAILABLE or PAUSED, not ${a.status}`);
    },
    /** Supervisors and admins (permissions); a supervisor only for the agents of their departments. */
    setAgentSkills: async (_: unknown, a: A, ctx: ApiContext) => {
      await requireAgentInScope(ctx, a.agentId);
      const skills = (a.skills as A[]).map((x) => ({ skill: x.skill, level: x.level }));
      return run(ctx, agentDecider, a.agentId, 'SetAgentSkills', { skills }, a.commandId);
    },

    createCampaign: async (_: unknown, a: A, ctx: ApiContext) => {
      const departmentId = a.input.departmentId ?? ctx.principal!.departmentId;
      if (!departmentId) throw badInput('请指定部门 / give the campaign a department');
      if (!departmentInScope(await ctx.scope(), departmentId)) throw forbidden(`department ${departmentId}`);
      if (a.input.productIds) await checkProductIds(ctx, a.input.productIds);
      const campaignId = a.id ?? newIdFor(ctx, 'campaign', a.commandId);
      const config = campaignConfig(a.input);
      const retry = retryRulesPatch(a.input);
      if (retry) config.retryRules = patchRetryRules(DEFAULT_CAMPAIGN_CONFIG.retryRules, retry);
      return run(ctx, campaignDecider, campaignId, 'CreateCampaign', { campaignId, name: a.input.name ?? '', departmentId, config }, a.commandId);
    },
    updateCampaign: async (_: unknown, a: A, ctx: ApiContext) => {
      await requireCampaignInScope(ctx, a.id);
      if (a.input.productIds) await checkProductIds(ctx, a.input.productIds, (await currentConfig(ctx, a.id)).productIds);
      // Retry rules go as a patch, laid over the campaign's rules when the command is decided.
      return run(ctx, campaignDecider, a.id, 'ConfigureCampaign', { config: campaignConfig(a.input), retryRules: retryRulesPatch(a.input) }, a.commandId);
    },
    startCampaign: async (_: unknown, a: A, ctx: ApiContext) => {
      await requireCampaignInScope(ctx, a.id);
      return run(ctx, campaignDecider, a.id, 'StartCampaign', {}, a.commandId);
    },
    pauseCampaign: async (_: unknown, a: A, ctx: ApiContext) => {
      await requireCampaignInScope(ctx, a.id);
      return run(ctx, campaignDecider, a.id, 'PauseCampaign', { reason: a.reason ?? '主管暂停 / paused' }, a.commandId);
    },
    stopCampaign: async (_: unknown, a: A, ctx: ApiContext) => {
      await requireCampaignInScope(ctx, a.id);
      return run(ctx, campaignDecider, a.id, 'StopCampaign', { reason: a.reason ?? '主管停止 / stopped' }, a.commandId);
    },

    // `items`: { criterionId: points } or [{ criterionId, score, comment }], against the scorecard's latest version.
    scoreCall: async (_: unknown, a: A, ctx: ApiContext) => {
      const defs = (await ctx.store.readStream(`scorecard-${a.scorecard}`)).filter((e) => e.type === 'ScorecardDefined');
      const card = defs.at(-1)?.data as A | undefined;
      if (!card) throw notFound(`scorecard ${a.scorecard}`);
      const scores = Array.isArray(a.items) ? a.items : Object.entries(a.items ?? {}).map(([criterionId, score]) => ({ criterionId, score }));
      const agentId = (await firstData(ctx, `call-${a.callId}`, 'CallBridged'))?.agentId;
      if (!inScope(await ctx.scope(), agentId)) throw forbidden(`call ${a.callId}`);
      const data = { callId: a.callId, scorecard: { scorecardId: card.scorecardId, version: card.version, criteria: card.criteria }, scores, evaluatorId: ctx.principal!.userId, agentId };
      return run(ctx, evaluationDecider, a.callId, 'ScoreCall', data, a.commandId);
    },
    placeOrder: async (_: unknown, a: A, ctx: ApiContext) => {
      const orderId = newIdFor(ctx, 'order', a.commandId);
      const lines = (a.lines as A[]).map((l) => ({ productId: l.sku, name: l.name, quantity: l.quantity, unitPriceFen: l.unitPrice }));
      const data = { orderId, customerPhone: leadKey(a.leadId), agentId: ctx.principal!.userId, callId: a.callId ?? undefined, lines };
      return run(ctx, orderDecider, orderId, 'PlaceOrder', data, a.commandId);
    },
    /**
     * Approver is always the signed-in user (never an argument). The API has no separate review step, so
     * an order still only placed is reviewed by the approver in the same action; both facts are recorded.
     */
    approveOrder: async (_: unknown, a: A, ctx: ApiContext) => {
      await requireOrderInScope(ctx, a.orderId);
      const me = ctx.principal!.userId;
      const events = await ctx.store.readStream(`order-${a.orderId}`);
      const reviewed = events.some((e) => e.type === 'OrderReviewed' || e.type === 'OrderApproved');
      const review = reviewed ? undefined : await run(ctx, orderDecider, a.orderId, 'ReviewOrder', { reviewerId: me, notes: '审核并批准 / reviewed on approval' }, a.commandId ? `${a.commandId}:review` : undefined);
      const approved = await run(ctx, orderDecider, a.orderId, 'ApproveOrder', { approverId: me }, a.commandId);
      return review && !approved.repeated ? { ...approved, events: [...review.events, ...approved.events] } : approved;
    },
    rejectOrder: async (_: unknown, a: A, ctx: ApiContext) => {
      await requireOrderInScope(ctx, a.orderId);
      return run(ctx, orderDecider, a.orderId, 'RejectOrder', { rejectedBy: ctx.principal!.userId, reason: a.reason }, a.commandId);
    },
    /** The decider keeps it to the agent who took the order (before approval) or a supervisor, and refuses while money is held. */
    cancelOrder: async (_: unknown, a: A, ctx: ApiContext) => {
      await requireOrderInScope(ctx, a.orderId);
      return run(ctx, orderDecider, a.orderId, 'CancelOrder', { reason: a.reason }, a.commandId);
    },
    recordRefund: async (_: unknown, a: A, ctx: ApiContext) => {
      await requireOrderInScope(ctx, a.orderId);
      const refundId = newIdFor(ctx, 'refund', a.commandId);
      return run(ctx, orderDecider, a.orderId, 'RecordRefund', { refundId, amountFen: a.amount, method: a.method, reason: a.reason }, a.commandId);
    },
    recordPayment: async (_: unknown, a: A, ctx: ApiContext) => {
      await requireOrderInScope(ctx, a.orderId);
      const paymentId = newIdFor(ctx, 'payment', a.commandId);
      return run(ctx, orderDecider, a.orderId, 'RecordPayment', { paymentId, payer: a.reference ?? 'customer', method: a.method, amountFen: a.amount }, a.commandId);
    },
  },
};

async function requireOrderInScope(ctx: ApiContext, orderId: string) {
  const placed = await firstData(ctx, `order-${orderId}`, 'OrderPlaced');
  if (!placed) throw notFound(`order ${orderId}`);
  if (!inScope(await ctx.scope(), placed.agentId)) throw forbidden(`order ${orderId}`);
}
