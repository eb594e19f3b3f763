import { describe, expect, it } from 'vitest';
import { nextOpening } from '../../src/inbound/callbackWhenFree.ts';

const hours = (days: number[], start: string, end: string, timeZone = 'Asia/Shanghai') => ({ windows: [{ days, start, end }], timeZonePolicy: 'lead' as const, timeZone });

// A kept callback refused outside its queue's hours is tried again when they next open, in the callee's zone.
describe('when callback hours next open', () => {
  it('later today, or tomorrow once today\'s window has passed', () => {
    const h = hours([1, 2, 3, 4, 5, 6, 7], '10:00', '12:00');
    expect(new Date(nextOpening(Date.parse('2026-11-23T00:30:00Z'), 'Asia/Shanghai', h)!).toISOString()).toBe('2026-11-23T02:00:00.000Z'); // 08:30 -> 10:00
    expect(new Date(nextOpening(Date.parse('2026-11-23T05:00:00Z'), 'Asia/Shanghai', h)!).toISOString()).toBe('2026-11-24T02:00:00.000Z'); // 13:00 -> tomorrow 10:00
  });

  it('skips the days the window is not open: Friday afternoon to Monday morning', () => {
    // 2026-11-27 is a Friday; 14:00 in Beijing.
    const h = hours([1, 2, 3, 4, 5], '10:00', '12:00');
    expect(new Date(nextOpening(Date.parse('2026-11-27T06:00:00Z'), 'Asia/Shanghai', h)!).toISOString()).toBe('2026-11-30T02:00:00.000Z');
  });

  it('in the callee\'s own zone (New York, 09:00 local is 14:00 UTC in winter)', () => {
    const h = hours([1, 2, 3, 4, 5, 6, 7], '09:00', '17:00');
    expect(new Date(nextOpening(Date.parse('2026-11-23T03:00:00Z'), 'America/New_York', h)!).toISOString()).toBe('2026-11-23T14:00:00.000Z');
  });

  it('none when the zone is unknown or no window has a day', () => {
    expect(nextOpening(Date.parse('2026-11-23T03:00:00Z'), '', hours([1], '09:00', '10:00'))).toBeUndefined();
    expect(nextOpening(Date.parse('2026-11-23T03:00:00Z'), 'Asia/Shanghai', hours([], '09:00', '10:00'))).toBeUndefined();
  });
});
