import { describe, expect, it } from 'vitest';
import { DomainError } from '../decider.ts';
import { isE164, normalizePhone, toE164 } from './normalize.ts';

// Formats seen in real call-floor spreadsheets, CRM exports and switch CDRs.
const valid: [input: string, e164: string, type: string][] = [
  ['13800138000', '+8613800138000', 'mobile'],
  ['138 0013 8000', '+8613800138000', 'mobile'],
  ['138-0013-8000', '+8613800138000', 'mobile'],
  [' 13800138000 ', '+8613800138000', 'mobile'],
  ['+86 138 0013 8000', '+8613800138000', 'mobile'],
  ['+86-13800138000', '+8613800138000', 'mobile'],
  ['008613800138000', '+8613800138000', 'mobile'],
  ['0086 138 0013 8000', '+8613800138000', 'mobile'],
  ['8613800138000', '+8613800138000', 'mobile'],
  ['013800138000', '+8613800138000', 'mobile'],
  ['１３８００１３８０００', '+8613800138000', 'mobile'],
  ['＋８６　１３８－００１３－８０００', '+8613800138000', 'mobile'],
  ['138\u20140013\u20148000', '+8613800138000', 'mobile'],
  ['(+86)13800138000', '+8613800138000', 'mobile'],
  ['17012345678', '+8617012345678', 'mobile'],
  ['19912345678', '+8619912345678', 'mobile'],
  ['15912345678', '+8615912345678', 'mobile'],
  ['010-12345678', '+861012345678', 'fixed'],
  ['(010)12345678', '+861012345678', 'fixed'],
  ['（０１０）１２３４５６７８', '+861012345678', 'fixed'],
  ['+86 (10) 1234 5678', '+861012345678', 'fixed'],
  ['(0755)12345678', '+8675512345678', 'fixed'],
  ['0755 1234 5678', '+8675512345678', 'fixed'],
  ['021 6123 4567', '+862161234567', 'fixed'],
  ['02112345678', '+862112345678', 'fixed'],
  ['0571-88888888', '+8657188888888', 'fixed'],
  ['0086-571-88888888', '+8657188888888', 'fixed'],
  ['800-810-8888', '+868008108888', 'toll_free'],
  ['8008108888', '+868008108888', 'toll_free'],
  ['400-812-3123', '+864008123123', 'shared_cost'],
  ['400 820 8820', '+864008208820', 'shared_cost'],
  ['+852 2123 4567', '+85221234567', 'fixed'],
  ['+886 2 2345 6789', '+886223456789', 'fixed'],
  ['+1 650 253 0000', '+16502530000', 'fixed_or_mobile'],
  ['001 212 555 0123', '+12125550123', 'fixed_or_mobile'],
  ['+44 20 7946 0958', '+442079460958', 'fixed'],
  ['+81 3-1234-5678', '+81312345678', 'fixed'],
];

describe('normalizePhone: real-world formats to E.164', () => {
  it.each(valid)('%s → %s (%s)', (input, e164, type) => {
    const r = normalizePhone(input);
    if (!r.ok) throw new Error(`${input} rejected: ${r.code} ${r.reason}`);
    expect(r.e164).toBe(e164);
    expect(r.type).toBe(type);
    expect(isE164(r.e164)).toBe(true);
  });
});

const invalid: [input: string, code: string][] = [
  ['', 'PHONE_EMPTY'],
  ['   ', 'PHONE_EMPTY'],
  ['abc', 'PHONE_BAD_CHARACTERS'],
  ['1380013800a', 'PHONE_BAD_CHARACTERS'],
  ['138*0013*8000', 'PHONE_BAD_CHARACTERS'],
  ['138+00138000', 'PHONE_BAD_CHARACTERS'],
  ['13800138000/13900139000', 'PHONE_MULTIPLE_NUMBERS'],
  ['13800138000，13900139000', 'PHONE_MULTIPLE_NUMBERS'],
  ['13800138000、13900139000', 'PHONE_MULTIPLE_NUMBERS'],
  ['12345', 'PHONE_TOO_SHORT'],
  ['10086', 'PHONE_TOO_SHORT'],
  ['1380013800', 'PHONE_INVALID'],
  ['138001380001', 'PHONE_INVALID'],
  ['0755-1234567', 'PHONE_INVALID'],
  ['12800138000', 'PHONE_INVALID'],
  ['6502530000', 'PHONE_INVALID'],
  ['+999 1234 5678', 'PHONE_UNKNOWN_COUNTRY'],
];

describe('normalizePhone: invalid numbers are rejected with a reason, never changed', () => {
  it.each(invalid)('%j → %s', (input, code) => {
    const r = normalizePhone(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe(code);
    expect(r.reason.length).toBeGreaterThan(5);
    expect(r.input).toBe(input);
  });
});

describe('normalizePhone: time zone and extension', () => {
  it('gives Chinese numbers Asia/Shanghai, exactly', () => {
    const r = normalizePhone('13800138000');
    expect(r.ok && [r.country, r.timeZone, r.timeZoneExact]).toEqual(['CN', 'Asia/Shanghai', true]);
  });

  it('gives other countries a representative zone and says when it is only representative', () => {
    const gb = normalizePhone('+44 20 7946 0958');
    expect(gb.ok && [gb.timeZone, gb.timeZoneExact]).toEqual(['Europe/London', true]);
    const us = normalizePhone('+1 212 555 0123');
    expect(us.ok && [us.timeZone, us.timeZoneExact]).toEqual(['America/New_York', false]);
  });

  it('leaves the zone unknown for countries not in the table', () => {
    const r = normalizePhone('+354 551 2345');
    expect(r.ok).toBe(true);
    expect(r.ok && r.timeZone).toBeUndefined();
  });

  it('keeps a Chinese extension (转) apart from the E.164 number', () => {
    const r = normalizePhone('010-12345678转8001');
    expect(r.ok && [r.e164, r.extension]).toEqual(['+861012345678', '8001']);
  });

  it('honours another default region for numbers without a country code', () => {
    const r = normalizePhone('020 7946 0958', 'GB');
    expect(r.ok && r.e164).toBe('+442079460958');
  });
});

describe('toE164', () => {
  it('returns the E.164 string or a DomainError with the rejection code', () => {
    expect(toE164('0086 138 0013 8000')).toBe('+8613800138000');
    const e = toE164('12345');
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('PHONE_TOO_SHORT');
  });
});
