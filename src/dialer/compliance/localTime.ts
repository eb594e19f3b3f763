import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CallingHours } from '../../domain/campaign/events.ts';
import { timeZoneForCountry } from '../../domain/phone/timeZones.ts';

export type ZoneSource = 'lead' | 'campaign' | 'number' | 'number-representative';

export interface CalleeZone {
  zone: string | undefined;
  source: ZoneSource | 'unknown';
}

/** The callee's zone: the lead's own zone wins, then the campaign's policy, then the number's country. */
export function calleeZone(phone: string, hours: CallingHours, leadTimeZone?: string): CalleeZone {
  if (leadTimeZone && isZone(leadTimeZone)) return { zone: leadTimeZone, source: 'lead' };
  if (hours.timeZonePolicy === 'campaign') return { zone: hours.timeZone, source: 'campaign' };
  const country = parsePhoneNumberFromString(phone)?.country;
  const found = timeZoneForCountry(country);
  if (!found) return { zone: undefined, source: 'unknown' };
  return { zone: found.zone, source: found.exact ? 'number' : 'number-representative' };
}

/** Lead fields that override the callee's time zone (an IANA name such as America/New_York). */
export const LEAD_TIME_ZONE_FIELDS = ['timeZone', 'time_zone', 'timezone', '时区'];

/** The time zone a lead's fields name, when it is a real one. */
export function leadTimeZoneOf(fields: Record<string, unknown> | undefined): string | undefined {
  for (const key of LEAD_TIME_ZONE_FIELDS) {
    const v = fields?.[key];
    if (typeof v === 'string' && v.trim() && isZone(v.trim())) return v.trim();
  }
  return undefined;
}

/** Names found to be zones: checking one builds a formatter (about 50 µs), and a million-lead list names a few zones a million times. */
const knownZones = new Set<string>();

export function isZone(zone: string): boolean {
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    if (knownZones.size < 10_000) knownZones.add(zone); // bounded: spellings differing in case are zones too
    return true;
  } catch {
    return false;
  }
}

export interface LocalTime {
  /** 'YYYY-MM-DDTHH:MM' wall-clock time in the zone. */
  wall: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** 'HH:MM'. */
  hhmm: string;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function localTime(instant: Date, zone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const hhmm = `${get('hour')}:${get('minute')}`;
  return { wall: `${get('year')}-${get('month')}-${get('day')}T${hhmm}`, weekday: WEEKDAYS[get('weekday')], hhmm };
}

/** Windows are [start, end) in local wall time; an end before the start runs past midnight. */
export function withinHours(local: LocalTime, hours: CallingHours): boolean {
  return hours.windows.some((w) => {
    if (w.start <= w.end) return w.days.includes(local.weekday) && local.hhmm >= w.start && local.hhmm < w.end;
    const yesterday = local.weekday === 1 ? 7 : local.weekday - 1;
    return (w.days.includes(local.weekday) && local.hhmm >= w.start) || (w.days.includes(yesterday) && local.hhmm < w.end);
  });
}
