import { describe, expect, it } from 'vitest';
import type { DialCall } from '../../src/domain/call/commands.ts';
import { callDecider } from '../../src/domain/call/decider.ts';
import type { CallEvent } from '../../src/domain/call/events.ts';
import { given } from '../../src/domain/testing/spec.ts';
import { checkDial, numberList, type ComplianceRules, type DialRequest } from '../../src/dialer/compliance/checkDial.ts';

const rules: ComplianceRules = {
  version: 'rules-7',
  callingHours: { windows: [{ days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '21:00' }], timeZonePolicy: 'lead', timeZone: 'Asia/Shanghai' },
  maxAttempts: 3,
  maxDialsPerDay: 2,
  minMinutesBetweenDials: 60,
  abandonRateTarget: 0.03,
};
const lists = { doNotCall: numberList('dnc-2026-11-20', ['+8613900000000']), blacklist: numberList('bl-3', ['+8613700000000']) };
const CN = '+8613800138000';
// Monday 2026-11-23 10:00 in Shanghai.
const mondayMorning = '2026-11-23T02:00:00.000Z';

function request(over: Partial<DialRequest> = {}): DialRequest {
  return { phone: CN, now: mondayMorning, attempts: 0, recentDials: [], predictive: true, campaignAbandons: { answers: 0, abandons: 0, window: '24h' }, ...over };
}

/** The dialer's step: check at dial time, then hand the receipt to the Call decider. */
function dial(req: DialRequest): DialCall {
  return { type: 'DialCall', data: { callId: 'c1', phone: req.phone, campaignId: 'camp1', compliance: checkDial(req, rules, lists) }, meta: { now: req.now } };
}

function blockedFor(events: CallEvent[]): string[] {
  expect(events).toHaveLength(1);
  expect(events[0].type).toBe('CallDialBlocked');
  return (events[0].data as { compliance: { reasons: string[] } }).compliance.reasons;
}

describe('compliance gate at dial time', () => {
  it('lets a clean dial through with a receipt of everything it checked', () => {
    given(callDecider).when(dial(request({ attempts: 1, recentDials: ['2026-11-22T01:00:00.000Z'] }))).then((events) => {
      expect(events[0].type).toBe('CallDialAttempted');
      const c = (events[0] as Extract<CallEvent, { type: 'CallDialAttempted' }>).data.compliance;
      expect(c).toMatchObject({ allowed: true, reasons: [] });
      expect(c.inputs).toMatchObject({
        rulesVersion: 'rules-7',
        localTime: '2026-11-23T10:00',
        timeZone: 'Asia/Shanghai',
        timeZoneSource: 'number',
        dncListVersion: 'dnc-2026-11-20',
        blacklistVersion: 'bl-3',
        attempts: 1,
        maxAttempts: 3,
        dialsLast24h: 0,
        minutesSinceLastDial: 1500,
      });
    });
  });

  it('refuses a number on the do-not-call register and records the list version', () => {
    given(callDecider).when(dial(request({ phone: '+8613900000000' }))).then((events) => {
      expect(blockedFor(events)).toEqual(['DO_NOT_CALL']);
      expect((events[0].data as any).compliance.inputs.dncListVersion).toBe('dnc-2026-11-20');
    });
  });

  it('refuses a blacklisted number', () => {
    given(callDecider).when(dial(request({ phone: '+8613700000000' }))).then((events) => expect(blockedFor(events)).toEqual(['BLACKLISTED']));
  });

  it('refuses outside calling hours in the callee local time, and says what time it was there', () => {
    // 21:30 in Shanghai.
    given(callDecider).when(dial(request({ now: '2026-11-23T13:30:00.000Z' }))).then((events) => {
      expect(blockedFor(events)).toEqual(['OUTSIDE_CALLING_HOURS']);
      expect((events[0].data as any).compliance.inputs).toMatchObject({ localTime: '2026-11-23T21:30', withinCallingHours: false });
    });
  });

  it('refuses on Sunday when the campaign only calls Monday to Saturday', () => {
    given(callDecider).when(dial(request({ now: '2026-11-22T03:00:00.000Z' }))).then((events) => expect(blockedFor(events)).toEqual(['OUTSIDE_CALLING_HOURS']));
  });

  it("uses the lead's own zone over the number's country", () => {
    // 02:00Z on Monday is 18:00 on Sunday in Los Angeles.
    const d = checkDial(request({ phone: '+12125550123', leadTimeZone: 'America/Los_Angeles' }), rules, lists);
    expect(d.inputs).toMatchObject({ timeZone: 'America/Los_Angeles', timeZoneSource: 'lead', localTime: '2026-11-22T18:00' });
    expect(d.reasons).toEqual(['OUTSIDE_CALLING_HOURS']);
  });

  it('refuses when no zone is known for the number rather than guessing', () => {
    const d = checkDial(request({ phone: '+27215550123' }), rules, lists);
    expect(d.reasons).toEqual(['UNKNOWN_TIME_ZONE']);
    expect(d.inputs.timeZoneSource).toBe('unknown');
  });

  it('refuses after the maximum number of attempts', () => {
    given(callDecider).when(dial(request({ attempts: 3 }))).then((events) => expect(blockedFor(events)).toEqual(['MAX_ATTEMPTS']));
  });

  it('enforces the daily cap and the gap between dials to one number', () => {
    const d = checkDial(request({ recentDials: ['2026-11-22T20:00:00.000Z', '2026-11-23T01:30:00.000Z'] }), rules, lists);
    expect(d.reasons).toEqual(['DAILY_DIAL_CAP', 'TOO_SOON_AFTER_LAST_DIAL']);
    expect(d.inputs).toMatchObject({ dialsLast24h: 2, minutesSinceLastDial: 30 });
  });

  it('stops predictive dials once the rolling abandon rate reaches the target, but not dials with an agent waiting', () => {
    const over = { answers: 1000, abandons: 31, window: '24h' };
    expect(checkDial(request({ campaignAbandons: over }), rules, lists).reasons).toEqual(['ABANDON_RATE_EXCEEDED']);
    expect(checkDial(request({ campaignAbandons: over, predictive: false }), rules, lists).allowed).toBe(true);
    // Too few answers to judge a rate: 1 of 10 is not a 10 % campaign yet.
    expect(checkDial(request({ campaignAbandons: { answers: 10, abandons: 1, window: '24h' } }), rules, lists).allowed).toBe(true);
  });

  it('lists every reason when several rules refuse', () => {
    const d = checkDial(request({ phone: '+8613900000000', attempts: 5, now: '2026-11-23T15:00:00.000Z' }), rules, lists);
    expect(d.reasons).toEqual(['DO_NOT_CALL', 'OUTSIDE_CALLING_HOURS', 'MAX_ATTEMPTS']);
  });

  it('handles a window that runs past midnight', () => {
    const night = { ...rules, callingHours: { ...rules.callingHours, windows: [{ days: [1], start: '22:00', end: '02:00' }] } };
    expect(checkDial(request({ now: '2026-11-23T17:00:00.000Z' }), night, lists).allowed).toBe(true); // Tue 01:00, window opened Monday
    expect(checkDial(request({ now: '2026-11-24T17:00:00.000Z' }), night, lists).allowed).toBe(false); // Wed 01:00
  });
  it('a window ending at 24:00 takes the last minute before midnight', () => {
    const allDay = { ...rules, callingHours: { ...rules.callingHours, windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }] } };
    const beforeMidnight = '2026-11-23T15:59:30.000Z'; // Monday 23:59:30 in Shanghai
    expect(checkDial(request({ now: beforeMidnight }), allDay, lists).allowed).toBe(true);
    const upTo2359 = { ...rules, callingHours: { ...rules.callingHours, windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' }] } };
    expect(checkDial(request({ now: beforeMidnight }), upTo2359, lists).reasons).toEqual(['OUTSIDE_CALLING_HOURS']);
  });
});
