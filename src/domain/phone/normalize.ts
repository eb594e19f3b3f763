import { parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js/max';
import { DomainError } from '../decider.ts';
import { timeZoneForCountry } from './timeZones.ts';

export type PhoneType =
  'mobile' | 'fixed' | 'fixed_or_mobile' | 'toll_free' | 'shared_cost' | 'premium' | 'voip' | 'other';

export interface Phone {
  ok: true;
  /** E.164, e.g. +8613800138000: the one key a lead is known by. */
  e164: string;
  country: string | undefined;
  type: PhoneType;
  /** Representative IANA zone for calling hours; undefined when the country is not in our table. */
  timeZone: string | undefined;
  /** False when the country spans several zones and `timeZone` is only representative. */
  timeZoneExact: boolean;
  extension?: string;
  national: string;
  international: string;
}

export type PhoneRejectionCode =
  | 'PHONE_EMPTY'
  | 'PHONE_BAD_CHARACTERS'
  | 'PHONE_MULTIPLE_NUMBERS'
  | 'PHONE_TOO_SHORT'
  | 'PHONE_TOO_LONG'
  | 'PHONE_UNKNOWN_COUNTRY'
  | 'PHONE_INVALID';

export interface PhoneRejection {
  ok: false;
  code: PhoneRejectionCode;
  reason: string;
  input: string;
}

const TYPES: Record<string, PhoneType> = {
  MOBILE: 'mobile',
  FIXED_LINE: 'fixed',
  FIXED_LINE_OR_MOBILE: 'fixed_or_mobile',
  TOLL_FREE: 'toll_free',
  SHARED_COST: 'shared_cost',
  PREMIUM_RATE: 'premium',
  VOIP: 'voip',
};

// Spreadsheet cells bring full-width digits, ideographic spaces and assorted dashes; NFKC plus this folds them.
const DASHES = /[\u2010-\u2015\u2212\u30fc\uff70]/g;
const EXTENSION = /\s*(?:转|轉|分机|分機|ext\.?|x|#)\s*(\d{1,6})\s*$/i;
const ALLOWED = /^[\d\s\-.()+]+$/;
const SEPARATORS = /[,;/、，；|]/;

function rejection(code: PhoneRejectionCode, reason: string, input: string): PhoneRejection {
  return { ok: false, code, reason, input };
}

/**
 * Normalize a phone number as typed by people or exported by other systems to E.164.
 * Default region CN: 13800138000, 0086…, (0755)12345678, 400-… all work. Never guesses: anything that is
 * not a valid number comes back as a rejection with a code and a reason, so an import can report the row.
 */
export function normalizePhone(input: string, defaultRegion: string = 'CN'): Phone | PhoneRejection {
  const raw = typeof input === 'string' ? input : String(input ?? '');
  let s = raw.normalize('NFKC').replace(DASHES, '-').trim();
  if (!s) return rejection('PHONE_EMPTY', '号码为空 / The phone number is empty', raw);
  if (SEPARATORS.test(s)) {
    return rejection(
      'PHONE_MULTIPLE_NUMBERS',
      `一个单元格里有多个号码 / More than one number in "${raw}"; split them into rows`,
      raw,
    );
  }
  let extension: string | undefined;
  const ext = EXTENSION.exec(s);
  if (ext) {
    extension = ext[1];
    s = s.slice(0, ext.index);
  }
  if (!ALLOWED.test(s) || s.replace(/[\s(]/g, '').lastIndexOf('+') > 0) {
    return rejection(
      'PHONE_BAD_CHARACTERS',
      `号码含有非法字符 / "${raw}" contains characters that are not part of a phone number`,
      raw,
    );
  }
  s = s.replace(/^\(\s*\+(\d{1,3})\s*\)/, '+$1 '); // '(+86)138…' as printed on cards
  const region = defaultRegion as CountryCode;
  const parsed = parsePhoneNumberFromString(s, region);
  if (!parsed || !parsed.isValid()) {
    const length = validatePhoneNumberLength(s, region);
    if (length === 'TOO_SHORT') return rejection('PHONE_TOO_SHORT', `号码位数不足 / "${raw}" has too few digits`, raw);
    if (length === 'TOO_LONG') return rejection('PHONE_TOO_LONG', `号码位数过多 / "${raw}" has too many digits`, raw);
    if (length === 'INVALID_COUNTRY') {
      return rejection('PHONE_UNKNOWN_COUNTRY', `无法识别国家代码 / "${raw}" has no country code we know`, raw);
    }
    return rejection('PHONE_INVALID', `不是有效号码 / "${raw}" is not a valid phone number`, raw);
  }
  const tz = timeZoneForCountry(parsed.country);
  return {
    ok: true,
    e164: parsed.number,
    country: parsed.country,
    type: TYPES[parsed.getType() ?? ''] ?? 'other',
    timeZone: tz?.zone,
    timeZoneExact: tz?.exact ?? false,
    ...(extension ? { extension } : {}),
    national: parsed.formatNational(),
    international: parsed.formatInternational(),
  };
}

/** For deciders: the E.164 form, or a DomainError with the rejection's code and reason. */
export function toE164(input: string, defaultRegion: string = 'CN'): string | DomainError {
  const r = normalizePhone(input, defaultRegion);
  return r.ok ? r.e164 : new DomainError(r.code, r.reason, { input: r.input });
}

export function isE164(s: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(s);
}
