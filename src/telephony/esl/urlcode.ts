/**
 * FreeSWITCH's header value encoding (switch_url_encode in switch_utils.c) and a
 * decoder that never throws: a malformed `%` from the wire must not take the process down.
 */

const UNSAFE = new Set(Buffer.from('\r\n #%&+:;<=>?@[\\]^`{|}"', 'latin1'));
const HEX = '0123456789ABCDEF';

function isUpperHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46));
}

/** Encode like switch_url_encode: bytes < 0x20, > 0x7E and the UNSAFE set; `%XX` passes through. */
export function fsUrlEncode(value: string): string {
  if (value === '') return '_undef_';
  const bytes = Buffer.from(value, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    // FreeSWITCH keeps an existing %XX (uppercase hex) as is, so it decodes to a different value.
    if (b === 0x25 && isUpperHex(bytes[i + 1]) && isUpperHex(bytes[i + 2])) {
      out += '%';
      continue;
    }
    if (b < 0x20 || b > 0x7e || UNSAFE.has(b)) out += '%' + HEX[b >> 4] + HEX[b & 15];
    else out += String.fromCharCode(b);
  }
  return out;
}

/** decodeURIComponent that leaves malformed sequences as they are instead of throwing. */
export function safeDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    // Decode the valid runs only; a stray `%` stays literal.
    return value.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}
