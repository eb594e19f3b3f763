import type { ComplianceDecision } from '../../domain/call/events.ts';
import type { CallingHours } from '../../domain/campaign/events.ts';
import { calleeZone, localTime, withinHours } from './localTime.ts';

/** The rules a campaign dials under; `version` goes on every receipt so an audit can find the exact rule set. */
export interface ComplianceRules {
  version: string;
  callingHours: CallingHours;
  maxAttempts: number;
  /** Dials to one number in any rolling 24 h, across campaigns. */
  maxDialsPerDay?: number;
  /** Minutes that must pass between two dials to one number. */
  minMinutesBetweenDials?: number;
  /** Share of live answers that may be abandoned (0.03). */
  abandonRateTarget: number;
  /** Answers needed before the rolling abandon rate is trusted enough to stop predictive dialing. */
  abandonMinAnswers?: number;
}

/** A versioned list of numbers (do-not-call register, blacklist). */
export interface NumberList {
  version: string;
  has(phone: string): boolean;
}

export interface DialRequest {
  phone: string;
  now: string;
  /** Dials already made to this lead in this campaign. */
  attempts: number;
  /** When this number was dialed before, any campaign (ISO instants). */
  recentDials: string[];
  leadTimeZone?: string;
  /** A predictive dial may be abandoned; a preview or progressive dial has its agent waiting. */
  predictive: boolean;
  /** The campaign's rolling counts (24 h under Ofcom, 30 days under the TSR). */
  campaignAbandons: { answers: number; abandons: number; window: string };
}

export interface DialLists {
  doNotCall: NumberList;
  blacklist: NumberList;
}

/**
 * The gate every outbound dial passes at dial time (not at list load: lists and hours change).
 * Returns the decision with every input it used: the receipt that CallDialAttempted/Blocked records.
 */
export function checkDial(request: DialRequest, rules: ComplianceRules, lists: DialLists): ComplianceDecision {
  const reasons: string[] = [];
  const now = new Date(request.now);
  const doNotCall = lists.doNotCall.has(request.phone);
  if (doNotCall) reasons.push('DO_NOT_CALL');
  const blacklisted = lists.blacklist.has(request.phone);
  if (blacklisted) reasons.push('BLACKLISTED');

  const zone = calleeZone(request.phone, rules.callingHours, request.leadTimeZone);
  const local = zone.zone ? localTime(now, zone.zone) : undefined;
  const inHours = local ? withinHours(local, rules.callingHours) : false;
  if (!zone.zone) reasons.push('UNKNOWN_TIME_ZONE');
  else if (!inHours) reasons.push('OUTSIDE_CALLING_HOURS');

  if (request.attempts >= rules.maxAttempts) reasons.push('MAX_ATTEMPTS');

  const times = request.recentDials.map((d) => Date.parse(d)).filter((t) => Number.isFinite(t) && t <= now.getTime());
  const dayAgo = now.getTime() - 24 * 3600_000;
  const dialsLast24h = times.filter((t) => t > dayAgo).length;
  if (rules.maxDialsPerDay !== undefined && dialsLast24h >= rules.maxDialsPerDay) reasons.push('DAILY_DIAL_CAP');
  const last = times.length ? Math.max(...times) : undefined;
  const minutesSinceLastDial = last === undefined ? null : Math.floor((now.getTime() - last) / 60_000);
  if (rules.minMinutesBetweenDials !== undefined && minutesSinceLastDial !== null && minutesSinceLastDial < rules.minMinutesBetweenDials) {
    reasons.push('TOO_SOON_AFTER_LAST_DIAL');
  }

  const { answers, abandons, window } = request.campaignAbandons;
  const abandonRate = answers > 0 ? abandons / answers : 0;
  const trusted = answers >= (rules.abandonMinAnswers ?? 100);
  // Over the ceiling, only dials with an agent already on the line may go out.
  if (request.predictive && trusted && abandonRate >= rules.abandonRateTarget) reasons.push('ABANDON_RATE_EXCEEDED');

  return {
    allowed: reasons.length === 0,
    reasons,
    inputs: {
      rulesVersion: rules.version,
      localTime: local?.wall ?? '',
      timeZone: zone.zone ?? '',
      timeZoneSource: zone.source,
      withinCallingHours: inHours,
      doNotCall,
      dncListVersion: lists.doNotCall.version,
      blacklisted,
      blacklistVersion: lists.blacklist.version,
      attempts: request.attempts,
      maxAttempts: rules.maxAttempts,
      dialsLast24h,
      maxDialsPerDay: rules.maxDialsPerDay ?? null,
      minutesSinceLastDial,
      minMinutesBetweenDials: rules.minMinutesBetweenDials ?? null,
      predictive: request.predictive,
      abandonRate,
      abandonAnswers: answers,
      abandonWindow: window,
      abandonRateTarget: rules.abandonRateTarget,
    },
  };
}

/** A list from a set of E.164 numbers. */
export function numberList(version: string, phones: Iterable<string>): NumberList {
  const set = new Set(phones);
  return { version, has: (phone) => set.has(phone) };
}
