export interface CampaignDraft {
  name: string;
  dialMode: 'PREVIEW' | 'PROGRESSIVE' | 'PREDICTIVE';
  /** Percent as typed, e.g. "3". */
  maxAbandonPercent: string;
  maxAttempts: string;
  retryMinutes: string;
  /** 0 = Sunday .. 6 = Saturday */
  days: number[];
  start: string;
  end: string;
  dispositions: string;
  script: string;
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

export function emptyCampaign(): CampaignDraft {
  return { name: '', dialMode: 'PREDICTIVE', maxAbandonPercent: '3', maxAttempts: '3', retryMinutes: '60', days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00', dispositions: '成交,考虑中,无意向,预约回访,空号', script: '', questionnaireId: '', queueId: '',
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
  const retry = Number(d.retryMinutes);
  if (!Number.isInteger(retry) || retry < 0) return { field: 'retryMinutes' };
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
      retryMinutes: retry,
      callingWindows: [{ days: [...d.days].sort(), start: d.start, end: d.end }],
      timeZone: 'Asia/Shanghai',
      dispositions: d.dispositions.split(/[,，、]/).map((s) => s.trim()).filter(Boolean),
      script: d.script || null,
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
  retryMinutes: number;
  callingWindows: { days: number[]; start: string; end: string }[];
  recycle: { afterMinutes: number; maxPasses: number; dispositions: RecycleOutcome[] } | null;
  queue: { id: string } | null;
  questionnaireId: string | null;
  script: string | null;
  dispositions: string[];
}

export const CAMPAIGN_FOR_EDIT = `query EditCampaign($id: ID!) { campaign(id: $id) { id name dialMode maxAbandonRate maxAttempts retryMinutes
  callingWindows { days start end } recycle { afterMinutes maxPasses dispositions } queue { id } questionnaireId script dispositions } }`;

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
    retryMinutes: String(c.retryMinutes),
    days: w ? [...w.days] : base.days,
    start: w?.start ?? base.start,
    end: w?.end ?? base.end,
    dispositions: c.dispositions.length ? c.dispositions.join(',') : base.dispositions,
    script: c.script ?? '',
    questionnaireId: c.questionnaireId ?? '',
    queueId: c.queue?.id ?? '',
    recycleOn: c.recycle != null,
    recycleAfterMinutes: String(c.recycle?.afterMinutes ?? base.recycleAfterMinutes),
    recyclePasses: String(c.recycle?.maxPasses ?? base.recyclePasses),
    recycleOutcomes: c.recycle ? [...c.recycle.dispositions] : base.recycleOutcomes,
  };
}
