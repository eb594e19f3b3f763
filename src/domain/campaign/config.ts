import type { DomainError } from '../decider.ts';
import { isE164 } from '../phone/normalize.ts';
import { isNonEmpty, reject } from '../rules.ts';
import type { RetryRulesPatch } from './commands.ts';
import type { CallingHours, CallingWindow, CampaignConfig, DialMode, RetryDisposition, RetryRule } from './events.ts';

const MODES: readonly DialMode[] = ['preview', 'progressive', 'predictive'];
const RETRY_DISPOSITIONS: readonly RetryDisposition[] = ['busy', 'no_answer', 'machine', 'callback'];
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A window may end at 24:00, the end of its day: 00:00-24:00 is the whole day, with no minute left out. */
const END_HHMM = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

export const DEFAULT_CAMPAIGN_CONFIG: CampaignConfig = {
  mode: 'preview',
  abandonRateTarget: 0.03,
  callingHours: {
    windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '09:00', end: '21:00' }],
    timeZonePolicy: 'lead',
    timeZone: 'Asia/Shanghai',
  },
  maxAttempts: 3,
  retryRules: {
    busy: { delayMinutes: 10 },
    no_answer: { delayMinutes: 60 },
    machine: { delayMinutes: 240 },
    callback: { delayMinutes: 0 },
  },
  productIds: [],
  dispositions: ['成交', '考虑中', '无意向', '预约回访', '空号'],
};

/** A campaign's priority when its config sets none: the same as a queue's default, so inbound callers go first. */
export const DEFAULT_CAMPAIGN_PRIORITY = 5;

const MAX_SCRIPT_CHARS = 20_000;
const MAX_DISPOSITIONS = 30;

export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || !zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function checkWindow(w: CallingWindow): DomainError | undefined {
  const days = Array.isArray(w?.days) ? w.days : [];
  if (days.length === 0 || days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    return reject('CALLING_HOURS_INVALID', 'Calling days are weekdays 1 (Monday) to 7 (Sunday)');
  }
  if (!HHMM.test(w.start) || !END_HHMM.test(w.end) || w.start >= w.end) {
    return reject('CALLING_HOURS_INVALID', `Calling window ${w.start}-${w.end} must be HH:MM to a later HH:MM`);
  }
  return undefined;
}

/** Calling hours as campaigns (and queues' callback hours) take them: windows, the zone policy, a known zone. */
export function checkCallingHours(hours: CallingHours): DomainError | undefined {
  if (!Array.isArray(hours?.windows) || hours.windows.length === 0)
    return reject('CALLING_HOURS_INVALID', 'Give at least one calling window');
  for (const w of hours.windows) {
    const bad = checkWindow(w);
    if (bad) return bad;
  }
  if (hours.timeZonePolicy !== 'lead' && hours.timeZonePolicy !== 'campaign') {
    return reject('TIME_ZONE_POLICY_INVALID', "Time-zone policy is 'lead' (callee's zone) or 'campaign'");
  }
  if (!isTimeZone(hours.timeZone)) return reject('TIME_ZONE_INVALID', `Unknown time zone "${hours.timeZone}"`);
  return undefined;
}

/** The rules with `patch` laid over them; validation happens on the merged config. */
export function patchRetryRules(rules: CampaignConfig['retryRules'], patch: RetryRulesPatch = {}): CampaignConfig['retryRules'] {
  const out = { ...rules };
  for (const [key, p] of Object.entries(patch) as [RetryDisposition, RetryRulesPatch[RetryDisposition]][]) {
    if (p === null) delete out[key];
    else if (p !== undefined) out[key] = { ...out[key], ...p } as RetryRule;
  }
  return out;
}

/** Overlay a partial config on the current one and check the result as a whole. */
export function mergeConfig(
  current: CampaignConfig,
  patch: Partial<CampaignConfig> = {},
): CampaignConfig | DomainError {
  const c: CampaignConfig = {
    ...current,
    ...patch,
    callingHours: { ...current.callingHours, ...patch.callingHours },
    retryRules: patch.retryRules ?? current.retryRules,
  };
  if (!MODES.includes(c.mode)) return reject('CAMPAIGN_MODE_INVALID', `Dial mode must be one of ${MODES.join(', ')}`);
  if (typeof c.abandonRateTarget !== 'number' || !(c.abandonRateTarget >= 0 && c.abandonRateTarget <= 0.5)) {
    return reject('ABANDON_TARGET_INVALID', 'The abandon-rate target is a fraction between 0 and 0.5 (0.03 = 3%)');
  }
  if (!Number.isInteger(c.maxAttempts) || c.maxAttempts < 1 || c.maxAttempts > 50) {
    return reject('MAX_ATTEMPTS_INVALID', 'Max attempts must be a whole number from 1 to 50');
  }
  const badHours = checkCallingHours(c.callingHours);
  if (badHours) return badHours;
  for (const [key, rule] of Object.entries(c.retryRules ?? {})) {
    if (!RETRY_DISPOSITIONS.includes(key as RetryDisposition)) {
      return reject('RETRY_RULE_INVALID', `Retry rules exist for ${RETRY_DISPOSITIONS.join(', ')}, not "${key}"`);
    }
    if (!rule || !Number.isInteger(rule.delayMinutes) || rule.delayMinutes < 0) {
      return reject('RETRY_RULE_INVALID', `Retry delay for ${key} must be whole minutes, 0 or more`);
    }
    if (
      rule.maxAttempts !== undefined &&
      (!Number.isInteger(rule.maxAttempts) || rule.maxAttempts < 1 || rule.maxAttempts > c.maxAttempts)
    ) {
      return reject('RETRY_RULE_INVALID', `Attempts for ${key} must be from 1 to the campaign's ${c.maxAttempts}`);
    }
  }
  if (c.priority !== undefined && (!Number.isInteger(c.priority) || c.priority < 1 || c.priority > 10)) {
    return reject('CAMPAIGN_PRIORITY_INVALID', `项目优先级为 1 到 10 的整数 / Campaign priority is a whole number from 1 to 10 (default ${DEFAULT_CAMPAIGN_PRIORITY}), not ${c.priority}`);
  }
  if (c.recording !== undefined && !['always', 'never', 'on-demand'].includes(c.recording)) {
    return reject('RECORDING_POLICY_INVALID', "Recording is 'always', 'never' or 'on-demand'");
  }
  const r = c.recycle;
  if (r !== undefined) {
    if (!Number.isInteger(r.afterMinutes) || r.afterMinutes < 0) return reject('RECYCLE_RULE_INVALID', 'Recycling waits whole minutes, 0 or more');
    if (!Number.isInteger(r.maxPasses) || r.maxPasses < 1 || r.maxPasses > 20) return reject('RECYCLE_RULE_INVALID', 'Recycling passes must be a whole number from 1 to 20');
    if (!Array.isArray(r.dispositions) || r.dispositions.length === 0 || r.dispositions.some((d) => !RETRY_DISPOSITIONS.includes(d))) {
      return reject('RECYCLE_RULE_INVALID', `Recycle after ${RETRY_DISPOSITIONS.join(', ')} outcomes only`);
    }
  }
  if (!Array.isArray(c.productIds) || c.productIds.some((p) => !isNonEmpty(p)))
    return reject('PRODUCTS_INVALID', 'Products are given by id');
  if (!Array.isArray(c.dispositions) || c.dispositions.length === 0 || c.dispositions.length > MAX_DISPOSITIONS)
    return reject('DISPOSITIONS_INVALID', `请给出 1 到 ${MAX_DISPOSITIONS} 个通话结果 / Give 1 to ${MAX_DISPOSITIONS} dispositions for agents to pick from`);
  if (c.dispositions.some((d) => !isNonEmpty(d) || d !== d.trim() || d.length > 40))
    return reject('DISPOSITIONS_INVALID', '通话结果须为 1 到 40 个字符 / Each disposition is a short name (1 to 40 characters, no surrounding spaces)');
  if (new Set(c.dispositions).size !== c.dispositions.length)
    return reject('DISPOSITIONS_INVALID', '通话结果不能重复 / Each disposition appears once');
  if (c.callerId !== undefined && !isE164(c.callerId))
    return reject('CALLER_ID_INVALID', `主叫号码须为有效号码 / Caller id must be an E.164 number (+8621...), not "${c.callerId}"`);
  if (c.script !== undefined && (typeof c.script !== 'string' || c.script.length > MAX_SCRIPT_CHARS))
    return reject('SCRIPT_INVALID', `话术最多 ${MAX_SCRIPT_CHARS} 字 / The script is text of at most ${MAX_SCRIPT_CHARS} characters`);
  for (const key of ['questionnaireId', 'scriptId', 'queueId'] as const) {
    if (c[key] !== undefined && !isNonEmpty(c[key]))
      return reject('CAMPAIGN_BINDING_INVALID', `${key} must be an id when given`);
  }
  return c;
}
