import { DEFAULT_CAMPAIGN_CONFIG, DEFAULT_CAMPAIGN_PRIORITY } from '../domain/campaign/config.ts';
import type { CallDoc } from '../projections/readModels/floor/call.ts';
import type { OrderDoc } from '../projections/readModels/orders/evolve.ts';

/** Read-model documents of src/projections in the GraphQL schema's shapes (people and campaigns come from loaders). */

export const display = (e164?: string) => (e164?.startsWith('+86') && e164.length === 14 ? `${e164.slice(3, 6)} ${e164.slice(6, 10)} ${e164.slice(10)}` : (e164 ?? ''));
const seconds = (ms?: number) => (ms == null ? null : Math.round(ms / 1000));

export function callOut(c: CallDoc, recordingUrl = (id: string) => `/recordings/${encodeURIComponent(id)}`) {
  const outcome = c.blocked?.length
    ? 'REJECTED_DNC'
    : c.abandoned
      ? 'ABANDONED'
      : c.answeredBy === 'machine'
        ? 'MACHINE'
        : c.bridgedAt || c.answeredAt
          ? 'ANSWERED'
          : !c.endedAt
            ? 'IN_PROGRESS'
            : c.cause === 'USER_BUSY'
              ? 'BUSY'
              : c.cause === 'NO_ANSWER' || c.cause === 'NO_USER_RESPONSE'
                ? 'NO_ANSWER'
                : 'FAILED';
  return {
    id: c.callId,
    direction: (c.direction ?? 'outbound').toUpperCase(),
    phone: c.phone ?? '',
    phoneDisplay: display(c.phone),
    agentId: c.agentId,
    campaignId: c.campaignId,
    queueId: c.queueId,
    startedAt: c.startedAt,
    answeredAt: c.answeredAt,
    endedAt: c.endedAt,
    talkSeconds: seconds(c.talkMs),
    holdSeconds: seconds(c.holdMs),
    outcome,
    hangupCause: c.cause,
    disposition: c.disposition?.code,
    dispositionNote: c.disposition?.notes,
    recordings: c.recordings.map((r) => ({ id: r.recordingId, callId: c.callId, startedAt: r.startedAt ?? c.startedAt, durationSeconds: seconds(r.durationMs), sha256: r.sha256, url: recordingUrl(r.recordingId) })),
    position: 0,
  };
}

export const ORDER_STATUS: Record<string, string> = { pending_review: 'PENDING_APPROVAL', reviewed: 'PENDING_APPROVAL', approved: 'APPROVED', rejected: 'REJECTED', cancelled: 'CANCELLED', shipped: 'SHIPPED', delivered: 'SHIPPED' };

export function orderOut(o: OrderDoc) {
  const paid = (o.paidTotalFen ?? 0) - (o.refundedTotalFen ?? 0); // what the customer has paid and not had back
  const status = o.status === 'approved' && paid >= o.totalFen ? 'PAID' : o.status === 'approved' && paid > 0 ? 'PARTIALLY_PAID' : (ORDER_STATUS[o.status] ?? 'PENDING_APPROVAL');
  return {
    id: o.orderId,
    leadId: o.customerPhone,
    customerPhone: o.customerPhone,
    callId: o.callId,
    agentId: o.agentId,
    campaignId: o.campaignId,
    lines: o.lines.map((l) => ({ sku: l.productId, name: l.name, quantity: l.quantity, unitPrice: l.unitPriceFen })),
    total: o.totalFen,
    paid,
    status,
    placedAt: o.placedAt,
    approvedById: o.decision?.approved ? o.decision.by : undefined,
    approvedAt: o.decision?.approved ? o.decision.at : undefined,
    rejectionReason: o.decision && !o.decision.approved ? o.decision.reason : undefined,
    payments: o.payments.map((p) => ({ id: p.paymentId, amount: p.amountFen, method: p.method, reference: p.payer, at: p.at })),
    position: 0,
  };
}


type Campaign = import('../projections/readModels/floor/campaign.ts').CampaignDoc;
type Progress = import('../projections/readModels/campaignProgress/queries.ts').CampaignProgress;

/** ISO weekdays 1..7 (the domain) to 0 = Sunday .. 6 (the schema). */
const weekday = (d: number) => (d === 7 ? 0 : d);

const rule = (r?: { delayMinutes: number; maxAttempts?: number }) => (r ? { delayMinutes: r.delayMinutes, maxAttempts: r.maxAttempts ?? null } : null);
const retryRulesOut = (r: NonNullable<Campaign['config']>['retryRules']) => ({ busy: rule(r.busy), noAnswer: rule(r.no_answer), machine: rule(r.machine), callback: rule(r.callback) });

export function campaignOut(c: Campaign, progress?: Progress) {
  const cfg = c.config;
  const retry = cfg?.retryRules?.no_answer?.delayMinutes ?? cfg?.retryRules?.busy?.delayMinutes ?? 60;
  const t = progress?.total;
  return {
    id: c.campaignId,
    name: c.name ?? c.campaignId,
    status: c.status.toUpperCase(),
    dialMode: (cfg?.mode ?? 'preview').toUpperCase(),
    maxAbandonRate: cfg?.abandonRateTarget ?? 0.03,
    maxAttempts: cfg?.maxAttempts ?? 3,
    priority: cfg?.priority ?? DEFAULT_CAMPAIGN_PRIORITY,
    retryMinutes: retry,
    retryRules: retryRulesOut(cfg?.retryRules ?? DEFAULT_CAMPAIGN_CONFIG.retryRules),
    productIds: cfg?.productIds ?? [],
    recycle: cfg?.recycle ? { ...cfg.recycle, dispositions: cfg.recycle.dispositions.map((d) => d.toUpperCase()) } : null,
    callingWindows: (cfg?.callingHours.windows ?? []).map((w) => ({ ...w, days: w.days.map(weekday) })),
    timeZone: cfg?.callingHours.timeZone ?? 'Asia/Shanghai',
    // The campaign's list; a campaign recorded before it had one offers the defaults.
    dispositions: cfg?.dispositions ?? DEFAULT_CAMPAIGN_CONFIG.dispositions,
    callerId: cfg?.callerId ?? null,
    script: cfg?.script ?? null,
    departmentId: c.departmentId,
    queueId: cfg?.queueId,
    questionnaireId: cfg?.questionnaireId,
    stats: {
      leadsTotal: progress?.leadsTotal ?? 0,
      leadsRemaining: (progress?.leadsByStatus.new ?? 0) + (progress?.leadsByStatus.attempted ?? 0),
      dials: t?.dials ?? 0,
      connects: t?.contacts ?? 0,
      abandoned: t?.abandoned ?? 0,
      abandonRate: t?.abandonRate ?? 0,
      orders: t?.orders ?? 0,
      agentsLoggedIn: 0,
      linesInFlight: 0,
    },
    position: 0,
  };
}
