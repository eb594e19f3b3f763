/**
 * The agent console's extras: the questionnaire of a call's campaign (and the answers it got), and
 * loyalty points on orders. Read from the streams that own them, so they need no read model of their own.
 */
import { campaignDecider } from '../../../domain/campaign/decider.ts';
import { callStreamId } from '../../../domain/call/streams.ts';
import { fold } from '../../../domain/decider.ts';
import type { LoyaltyEvent } from '../../../domain/loyalty/events.ts';
import { loyaltyStreamId } from '../../../domain/loyalty/streams.ts';
import type { ProductEvent } from '../../../domain/product/events.ts';
import { answersDecider } from '../../../domain/questionnaire/decider.ts';
import type { Answer, AnswersRecorded, QuestionnaireDefined } from '../../../domain/questionnaire/events.ts';
import { answersStreamId, questionnaireStreamId } from '../../../domain/questionnaire/streams.ts';
import type { RecordedEvent } from '../../../eventstore/types.ts';
import { inScope } from '../../auth/principal.ts';
import type { ApiContext } from '../context.ts';
import { apiError, badInput, forbidden, notFound } from '../errors.ts';
import { leadKey, run } from '../run.ts';

type A = Record<string, any>;

/** What the call's own stream says about it: its agent (last bridge, offer or dial), campaign and number. */
async function callFacts(ctx: ApiContext, callId: string) {
  const events = await ctx.store.readStream(callStreamId(callId));
  if (!events.length) throw notFound(`call ${callId}`);
  let agentId: string | undefined;
  let campaignId: string | undefined;
  let phone: string | undefined;
  for (const e of events) {
    const d = e.data as A;
    if (e.type === 'CallBridged' || e.type === 'CallDialAttempted') agentId = d.agentId ?? agentId;
    if (e.type === 'CallOffered') agentId = d.winner ?? d.agentId ?? agentId;
    campaignId ??= d.campaignId;
    phone ??= d.phone;
  }
  return { agentId, campaignId, phone };
}

/** Agents see their own calls' questionnaires; team leaders, supervisors and QA their people's. */
async function requireCall(ctx: ApiContext, callId: string) {
  const facts = await callFacts(ctx, callId);
  const me = ctx.principal!;
  const mine = facts.agentId === me.userId;
  if (!mine && (me.role === 'agent' || !inScope(await ctx.scope(), facts.agentId))) throw forbidden(`call ${callId}`);
  return facts;
}

/** Every version of a questionnaire as defined (answers name the version they were given against). */
async function definitions(ctx: ApiContext, questionnaireId: string): Promise<QuestionnaireDefined['data'][]> {
  const events = await ctx.store.readStream(questionnaireStreamId(questionnaireId));
  return events.filter((e) => e.type === 'QuestionnaireDefined').map((e) => e.data as QuestionnaireDefined['data']);
}

async function questionnaireOfCampaign(ctx: ApiContext, campaignId: string | undefined): Promise<string | undefined> {
  if (!campaignId) return undefined;
  const campaign = fold(campaignDecider, (await ctx.store.readStream(`campaign-${campaignId}`)) as any) as A;
  return campaign.config?.questionnaireId;
}

const questionnaireOut = (q: QuestionnaireDefined['data']) => ({
  id: q.questionnaireId,
  name: q.name,
  version: q.version,
  questions: q.questions.map((x) => ({ id: x.id, text: x.text, kind: x.kind.toUpperCase(), required: x.required, choices: x.choices ?? [] })),
});

/** Points each product unit earns, by product id and by sku (order lines carry the sku as product id). */
async function catalogPoints(ctx: ApiContext): Promise<Map<string, number>> {
  const points = new Map<string, number>();
  for (let after = 0; ; ) {
    const page = await ctx.store.readAll({ after, maxCount: 5000, filter: { eventTypes: ['ProductAdded'] } });
    for (const e of page) {
      const d = (e as unknown as ProductEvent & RecordedEvent).data as A;
      points.set(d.productId, d.points ?? 0);
      points.set(d.sku, d.points ?? 0);
    }
    if (page.length < 5000) return points;
    after = page[page.length - 1].position;
  }
}

const linePoints = (catalog: Map<string, number>, lines: { sku: string; quantity: number }[]) =>
  lines.reduce((n, l) => n + (catalog.get(l.sku) ?? 0) * l.quantity, 0);

async function loyaltyEvents(ctx: ApiContext, phone: string): Promise<LoyaltyEvent[]> {
  return (await ctx.store.readStream(loyaltyStreamId(phone))) as unknown as LoyaltyEvent[];
}

/** The customer (screen pop) is in the caller's scope: the lead's owner, an agent of one of its calls, or its department. */
async function customerVisible(ctx: ApiContext, phone: string): Promise<boolean> {
  const scope = await ctx.scope();
  if (scope.all) return true;
  const customer = ctx.readModels.customer;
  return customer ? (await customer(phone, scope)) !== null : false;
}

export const consoleResolvers = {
  Query: {
    callQuestionnaire: async (_: unknown, a: A, ctx: ApiContext) => {
      const call = await requireCall(ctx, a.callId);
      const questionnaireId = await questionnaireOfCampaign(ctx, call.campaignId);
      if (!questionnaireId) return null;
      const versions = await definitions(ctx, questionnaireId);
      const recorded = (await ctx.store.readStream(answersStreamId(a.callId))).find((e) => e.type === 'AnswersRecorded')?.data as AnswersRecorded['data'] | undefined;
      // Answered calls show the version they were answered against; others the latest.
      const shown = (recorded && versions.find((v) => v.version === recorded.version)) ?? versions.at(-1);
      if (!shown) return null;
      return {
        callId: a.callId,
        questionnaire: questionnaireOut(shown),
        answers: recorded ? recorded.answers : null,
        answeredAt: recorded?.at ?? null,
      };
    },
    orderPoints: async (_: unknown, a: A, ctx: ApiContext) => {
      const catalog = await catalogPoints(ctx);
      const lines = (a.lines as A[]).map((l) => ({ sku: String(l.sku), quantity: Number(l.quantity) }));
      if (lines.some((l) => !Number.isInteger(l.quantity) || l.quantity < 0)) throw badInput('数量须为非负整数 / quantities are whole numbers, 0 or more');
      const phone = a.customerPhone ? leadKey(a.customerPhone) : undefined;
      // Every loyalty event carries the balance after it; shown only for a customer the caller may see (as their leads).
      const balance = phone && (await customerVisible(ctx, phone)) ? ((await loyaltyEvents(ctx, phone)).at(-1)?.data.balance ?? 0) : null;
      return { earned: linePoints(catalog, lines), balance };
    },
  },
  Mutation: {
    submitAnswers: async (_: unknown, a: A, ctx: ApiContext) => {
      const call = await requireCall(ctx, a.callId);
      const questionnaireId = await questionnaireOfCampaign(ctx, call.campaignId);
      if (!questionnaireId) throw apiError('NO_QUESTIONNAIRE', '该通话的活动没有问卷 / this call’s campaign has no questionnaire');
      const versions = await definitions(ctx, questionnaireId);
      const q = a.version != null ? versions.find((v) => v.version === a.version) : versions.at(-1);
      if (!q) throw apiError('NO_QUESTIONNAIRE', `问卷 ${questionnaireId} 没有版本 ${a.version ?? ''} / questionnaire ${questionnaireId} has no such version`);
      const answers: Answer[] = (a.answers as A[]).map((x) => ({ questionId: x.questionId, value: x.value }));
      return run(ctx, answersDecider, a.callId, 'RecordAnswers', {
        callId: a.callId,
        questionnaire: { questionnaireId, version: q.version, questions: q.questions },
        answers,
        agentId: call.agentId,
        leadPhone: call.phone,
      }, a.commandId);
    },
  },
};

/** Order.pointsEarned for a page of orders: one loyalty read per customer, one catalog read per page. */
export const consoleLoaders = {
  Order: {
    pointsEarned: async (queries: { obj: A }[], ctx: ApiContext) => {
      const phones = [...new Set(queries.map((q) => q.obj.customerPhone).filter((p): p is string => typeof p === 'string'))];
      const accrued = new Map<string, number>();
      for (const phone of phones) {
        for (const e of await loyaltyEvents(ctx, phone)) {
          if (e.type === 'LoyaltyPointsAccrued' && e.data.orderId) accrued.set(e.data.orderId, (accrued.get(e.data.orderId) ?? 0) + e.data.points);
        }
      }
      const needCatalog = queries.some((q) => !accrued.has(q.obj.id));
      const catalog = needCatalog ? await catalogPoints(ctx) : new Map<string, number>();
      // Points recorded on the customer's account for the order; until they are, what its products earn.
      return queries.map((q) => accrued.get(q.obj.id) ?? linePoints(catalog, q.obj.lines ?? []));
    },
  },
};
