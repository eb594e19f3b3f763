import type { ComplianceDecision } from '../call/events.ts';
import type { CallingHours, CampaignConfig } from './events.ts';

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export interface LocalTime {
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  hhmm: string;
  /** 'YYYY-MM-DDTHH:MM' wall-clock time in the zone, for audit. */
  wall: string;
}

/** Wall-clock time of an instant in an IANA zone (Intl carries the zone rules; no clock is read). */
export function localTimeIn(zone: string, instant: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const hhmm = `${get('hour')}:${get('minute')}`;
  return { weekday: WEEKDAYS[get('weekday')], hhmm, wall: `${get('year')}-${get('month')}-${get('day')}T${hhmm}` };
}

export function withinCallingHours(hours: CallingHours, zone: string, instant: string): boolean {
  const t = localTimeIn(zone, instant);
  return hours.windows.some((w) => w.days.includes(t.weekday) && t.hhmm >= w.start && t.hhmm < w.end);
}

export interface ComplianceFacts {
  config: CampaignConfig;
  /** The callee's zone from the number (normalizePhone().timeZone), when known. */
  leadTimeZone?: string;
  doNotCall: boolean;
  /** Dial attempts already made to this lead in this campaign. */
  attempts: number;
  now: string;
}

/**
 * The decision a dialer records with every dial attempt (see DialCall). Under the 'lead' policy hours are
 * checked in the callee's zone, falling back to the campaign's zone when the number's zone is unknown.
 */
export function checkCompliance(f: ComplianceFacts): ComplianceDecision {
  const hours = f.config.callingHours;
  const zone = hours.timeZonePolicy === 'lead' && f.leadTimeZone ? f.leadTimeZone : hours.timeZone;
  const within = withinCallingHours(hours, zone, f.now);
  const reasons: string[] = [];
  if (f.doNotCall) reasons.push('DO_NOT_CALL');
  if (!within) reasons.push('OUTSIDE_CALLING_HOURS');
  if (f.attempts >= f.config.maxAttempts) reasons.push('MAX_ATTEMPTS');
  return {
    allowed: reasons.length === 0,
    reasons,
    inputs: {
      localTime: localTimeIn(zone, f.now).wall,
      timeZone: zone,
      timeZonePolicy: hours.timeZonePolicy,
      withinCallingHours: within,
      doNotCall: f.doNotCall,
      attempts: f.attempts,
      maxAttempts: f.config.maxAttempts,
      checkedAt: f.now,
    },
  };
}
