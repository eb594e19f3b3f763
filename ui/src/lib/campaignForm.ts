export interface CampaignDraft {
  name: string;
  dialMode: 'PREVIEW' | 'PROGRESSIVE' | 'PREDICTIVE';
  /** Percent as typed, e.g. "3". */
  maxAbandonPercent: string;
  maxAttempts: string;
  /** When to dial again after each outcome: off (never), delay in minutes, attempt cap ('' = the campaign's). */
  retry: Record<RetryOutcome, RetryDraft>;
  /** 0 = Sunday .. 6 = Saturday */
  days: number[];
  start: string;
  end: string;
  dispositions: string;
  script: string;
  /** As typed (021 6000 1234 or +86...); the API records it in E.164. */
  callerId: string;
  productIds: string[];
  questionnaireId: string;
  queueId: string;
  /** List recycling: leads out of attempts after these outcomes get another pass after a pause. */
  recycleOn: boolean;
  recycleAfterMinutes: string;
  recyclePasses: string;
  recycleOutcomes: RecycleOutcome[];
}

export const RECYCLE_OUTCOMES = ['NO_ANSWER', 'BUSY', 'MACHINE', 'CALLBACK'] as const;
export type RecycleOutcome = (typeof RECYCLE_OUTCOMES)[number];

/** The outcomes a lead may be dialed again after, as RetryRules names them. */
export const RETRY_OUTCOMES = ['busy', 'noAnswer', 'machine', 'callback'] as const;
export type RetryOutcome = (typeof RETRY_OUTCOMES)[number];
export interface RetryDraft {
  on: boolean;
  delayMinutes: string;
  maxAttempts: string;
}
type RetryRule = { delayMinutes: number; maxAttempts: number | null } | null;

/** The campaign defaults: busy 10, no answer 60, machine 240 minutes, a callback when it is due. */
const defaultRetry = (): Record<RetryOutcome, RetryDraft> => ({
  busy: { on: true, delayMinutes: '10', maxAttempts: '' },
  noAnswer: { on: true, delayMinutes: '60', maxAttempts: '' },
  machine: { on: true, delayMinutes: '240', maxAttempts: '' },
  callback: { on: true, delayMinutes: '0', maxAttempts: '' },
});

export function emptyCampaign(): CampaignDraft {
  return { name: '', dialMode: 'PREDICTIVE', maxAbandonPercent: '3', maxAttempts: '3', retry: defaultRetry(), days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00', dispositions: '成交,考虑中,无意向,预约回访,空号', script: '', callerId: '', productIds: [], questionnaireId: '', queueId: '',
    recycleOn: false, recycleAfterMinutes: '240', recyclePasses: '1', recycleOutcomes: ['NO_ANSWER', 'BUSY'] };
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Form -> CampaignInput, or the first problem found (as a field name) so the form can point at it. */
export function toCampaignInput(d: CampaignDraft): { input: Record<string, unknown> } | { field: keyof CampaignDraft } {
  if (!d.name.trim()) return { field: 'name' };
  const pct = Number(d.maxAbandonPercent);
  if (!Number.isFinite(pct) || pct < 0 || pct > 100) return { field: 'maxAbandonPercent' };
  const attempts = Number(d.maxAttempts);
  if (!Number.isInteger(attempts) || attempts < 1) return { field: 'maxAttempts' };
  // Per-outcome rules within the bounds RETRY_RULE_INVALID holds: whole minutes, a cap from 1 to the campaign's attempts.
  const retryRules: Record<string, RetryRule> = {};
  for (const o of RETRY_OUTCOMES) {
    const r = d.retry[o];
    if (!r.on) { retryRules[o] = null; continue; }
    const delay = Number(r.delayMinutes);
    const cap = r.maxAttempts.trim() === '' ? null : Number(r.maxAttempts);
    if (r.delayMinutes.trim() === '' || !Number.isInteger(delay) || delay < 0) return { field: 'retry' };
    if (cap !== null && (!Number.isInteger(cap) || cap < 1 || cap > attempts)) return { field: 'retry' };
    retryRules[o] = { delayMinutes: delay, maxAttempts: cap };
  }
  if (!d.days.length) return { field: 'days' };
  if (!HHMM.test(d.start) || !HHMM.test(d.end) || d.start >= d.end) return { field: 'start' };
  // The same bounds the campaign decider holds (RECYCLE_RULE_INVALID), checked here to point at the field.
  const after = Number(d.recycleAfterMinutes);
  const passes = Number(d.recyclePasses);
  if (d.recycleOn) {
    if (!Number.isInteger(after) || after < 0) return { field: 'recycleAfterMinutes' };
    if (!Number.isInteger(passes) || passes < 1 || passes > 20) return { field: 'recyclePasses' };
    if (!d.recycleOutcomes.length) return { field: 'recycleOutcomes' };
  }
  return {
    input: {
      name: d.name.trim(),
      dialMode: d.dialMode,
      maxAbandonRate: pct / 100,
      maxAttempts: attempts,
      retryRules,
      callingWindows: [{ days: [...d.days].sort(), start: d.start, end: d.end }],
      timeZone: 'Asia/Shanghai',
      dispositions: d.dispositions.split(/[,，、]/).map((s) => s.trim()).filter(Boolean),
      script: d.script || null,
      callerId: d.callerId.trim() || null,
      productIds: d.productIds,
      questionnaireId: d.questionnaireId || null,
      queueId: d.queueId || null,
      recycle: d.recycleOn ? { afterMinutes: after, maxPasses: passes, dispositions: RECYCLE_OUTCOMES.filter((o) => d.recycleOutcomes.includes(o)) } : null,
    },
  };
}

/** A campaign as the API shows it, for editing. */
export interface CampaignForEdit {
  name: string;
  dialMode: CampaignDraft['dialMode'];
  maxAbandonRate: number;
  maxAttempts: number;
  retryRules: Record<RetryOutcome, RetryRule>;
  callingWindows: { days: number[]; start: string; end: string }[];
  recycle: { afterMinutes: number; maxPasses: number; dispositions: RecycleOutcome[] } | null;
  queue: { id: string } | null;
  questionnaireId: string | null;
  script: string | null;
  callerId: string | null;
  productIds: string[];
  dispositions: string[];
}

export const CAMPAIGN_FOR_EDIT = `query EditCampaign($id: ID!) { campaign(id: $id) { id name dialMode maxAbandonRate maxAttempts
  retryRules { busy { delayMinutes maxAttempts } noAnswer { delayMinutes maxAttempts } machine { delayMinutes maxAttempts } callback { delayMinutes maxAttempts } }
  callerId productIds callingWindows { days start end } recycle { afterMinutes maxPasses dispositions } queue { id } questionnaireId script dispositions } }`;

/**
 * The form filled from a campaign, so an admin changes its rules in place (updateCampaign); the form holds one
 * calling window, so the first one is edited. Percent is shown as typed, without float noise (0.025 -> "2.5").
 */
export function fromCampaign(c: CampaignForEdit): CampaignDraft {
  const w = c.callingWindows[0];
  const base = emptyCampaign();
  return {
    ...base,
    name: c.name,
    dialMode: c.dialMode,
    maxAbandonPercent: String(Math.round(c.maxAbandonRate * 10_000) / 100),
    maxAttempts: String(c.maxAttempts),
    retry: Object.fromEntries(RETRY_OUTCOMES.map((o) => {
      const r = c.retryRules[o];
      return [o, { on: r != null, delayMinutes: String(r?.delayMinutes ?? base.retry[o].delayMinutes), maxAttempts: r?.maxAttempts == null ? '' : String(r.maxAttempts) }];
    })) as Record<RetryOutcome, RetryDraft>,
    days: w ? [...w.days] : base.days,
    start: w?.start ?? base.start,
    end: w?.end ?? base.end,
    dispositions: c.dispositions.length ? c.dispositions.join(',') : base.dispositions,
    script: c.script ?? '',
    callerId: c.callerId ?? '',
    productIds: [...c.productIds],
    questionnaireId: c.questionnaireId ?? '',
    queueId: c.queue?.id ?? '',
    recycleOn: c.recycle != null,
    recycleAfterMinutes: String(c.recycle?.afterMinutes ?? base.recycleAfterMinutes),
    recyclePasses: String(c.recycle?.maxPasses ?? base.recyclePasses),
    recycleOutcomes: c.recycle ? [...c.recycle.dispositions] : base.recycleOutcomes,
  };
}
