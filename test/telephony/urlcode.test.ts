import { describe, expect, it } from 'vitest';
import { fsUrlEncode, safeDecode } from '../../src/telephony/esl/urlcode.ts';

describe('FreeSWITCH url encoding', () => {
  it('encodes the unsafe set and non-ASCII bytes, keeps / , ( ) ! $ \' * - . _ ~', () => {
    expect(fsUrlEncode('a b:c@d')).toBe('a%20b%3Ac%40d');
    expect(fsUrlEncode("/,()!$'*-._~")).toBe("/,()!$'*-._~");
    expect(fsUrlEncode('张三')).toBe('%E5%BC%A0%E4%B8%89');
    expect(fsUrlEncode('{x=1}&park()')).toBe('%7Bx%3D1%7D%26park()');
  });
  it('writes an empty value as _undef_ and passes an existing %XX through', () => {
    expect(fsUrlEncode('')).toBe('_undef_');
    expect(fsUrlEncode('%41 %zz')).toBe('%41%20%25zz');
  });
  it('decodes without throwing on a malformed %', () => {
    expect(safeDecode('100%25')).toBe('100%');
    expect(safeDecode('bad%ZZ%E5%BC%A0')).toBe('bad%ZZ张');
    expect(safeDecode('%E5%BC')).toBe('%E5%BC');
  });
});
