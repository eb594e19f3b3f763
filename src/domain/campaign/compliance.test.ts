import { describe, expect, it } from 'vitest';
import { checkCompliance, localTimeIn, withinCallingHours } from './compliance.ts';
import { DEFAULT_CAMPAIGN_CONFIG, mergeConfig } from './config.ts';
import type { CampaignConfig } from './events.ts';
import { nextAttemptAt } from './retry.ts';

const config = DEFAULT_CAMPAIGN_CONFIG; // every day 09:00-21:00, callee's zone, 3 attempts
// 2026-03-02 is a Monday. 12:59Z = 20:59 in Shanghai, 13:00Z = 21:00.
const shanghai2059 = '2026-03-02T12:59:00.000Z';
const shanghai2100 = '2026-03-02T13:00:00.000Z';

describe('calling hours', () => {
  it('reads wall-clock time and weekday in the zone', () => {
    expect(localTimeIn('Asia/Shanghai', shanghai2059)).toEqual({ weekday: 1, hhmm: '20:59', wall: '2026-03-02T20:59' });
    expect(localTimeIn('America/New_York', '2026-03-02T03:30:00.000Z')).toEqual({
      weekday: 7,
      hhmm: '22:30',
      wall: '2026-03-01T22:30',
    });
  });

  it('treats the window end as exclusive', () => {
    expect(withinCallingHours(config.callingHours, 'Asia/Shanghai', shanghai2059)).toBe(true);
    expect(withinCallingHours(config.callingHours, 'Asia/Shanghai', shanghai2100)).toBe(false);
    expect(withinCallingHours(config.callingHours, 'Asia/Shanghai', '2026-03-02T00:59:00.000Z')).toBe(false); // 08:59
  });

  it('respects weekdays', () => {
    const weekdays = mergeConfig(config, {
      callingHours: { ...config.callingHours, windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }] },
    }) as CampaignConfig;
    expect(withinCallingHours(weekdays.callingHours, 'Asia/Shanghai', '2026-03-07T03:00:00.000Z')).toBe(false); // Saturday 11:00
    expect(withinCallingHours(weekdays.callingHours, 'Asia/Shanghai', '2026-03-06T03:00:00.000Z')).toBe(true); // Friday 11:00
  });
});

describe('compliance decision', () => {
  it('allows a call in hours, records its inputs', () => {
    const d = checkCompliance({
      config,
      leadTimeZone: 'Asia/Shanghai',
      doNotCall: false,
      attempts: 0,
      now: shanghai2059,
    });
    expect(d).toMatchObject({
      allowed: true,
      reasons: [],
      inputs: {
        localTime: '2026-03-02T20:59',
        timeZone: 'Asia/Shanghai',
        withinCallingHours: true,
        attempts: 0,
        maxAttempts: 3,
      },
    });
  });

  it("uses the callee's zone under the lead policy: 20:59 in Shanghai is 12:59 in London", () => {
    const d = checkCompliance({
      config,
      leadTimeZone: 'Europe/London',
      doNotCall: false,
      attempts: 0,
      now: shanghai2059,
    });
    expect(d.allowed).toBe(true);
    const late = checkCompliance({
      config,
      leadTimeZone: 'America/New_York',
      doNotCall: false,
      attempts: 0,
      now: shanghai2059,
    }); // 07:59
    expect(late).toMatchObject({
      allowed: false,
      reasons: ['OUTSIDE_CALLING_HOURS'],
      inputs: { timeZone: 'America/New_York' },
    });
  });

  it("uses the campaign's zone under the campaign policy", () => {
    const c = mergeConfig(config, {
      callingHours: { ...config.callingHours, timeZonePolicy: 'campaign' },
    }) as CampaignConfig;
    const d = checkCompliance({
      config: c,
      leadTimeZone: 'America/New_York',
      doNotCall: false,
      attempts: 0,
      now: shanghai2059,
    });
    expect(d).toMatchObject({ allowed: true, inputs: { timeZone: 'Asia/Shanghai' } });
  });

  it('refuses do-not-call and exhausted leads, listing every reason', () => {
    const d = checkCompliance({
      config,
      leadTimeZone: 'Asia/Shanghai',
      doNotCall: true,
      attempts: 3,
      now: shanghai2100,
    });
    expect(d).toMatchObject({ allowed: false, reasons: ['DO_NOT_CALL', 'OUTSIDE_CALLING_HOURS', 'MAX_ATTEMPTS'] });
  });
});

describe('retry rules', () => {
  it('schedules the next attempt after the rule delay until attempts run out', () => {
    expect(nextAttemptAt(config, 'busy', 1, '2026-03-02T02:00:00.000Z')).toBe('2026-03-02T02:10:00.000Z');
    expect(nextAttemptAt(config, 'no_answer', 2, '2026-03-02T02:00:00.000Z')).toBe('2026-03-02T03:00:00.000Z');
    expect(nextAttemptAt(config, 'no_answer', 3, '2026-03-02T02:00:00.000Z')).toBeNull();
  });

  it('honours a per-disposition attempt limit and a missing rule', () => {
    const c = mergeConfig(config, { retryRules: { machine: { delayMinutes: 30, maxAttempts: 1 } } }) as CampaignConfig;
    expect(nextAttemptAt(c, 'machine', 1, '2026-03-02T02:00:00.000Z')).toBeNull();
    expect(nextAttemptAt(c, 'busy', 1, '2026-03-02T02:00:00.000Z')).toBeNull();
  });
});
