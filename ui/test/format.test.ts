import { describe, expect, it } from 'vitest';
import { formatCompact, formatDateTime, formatDuration, formatMoney, formatPercent, formatPhone, parseYuan } from '../src/lib/format.ts';

describe('Chinese formats', () => {
  it('shows integer fen as yuan with thousands separators, without float drift', () => {
    expect(formatMoney(123450, 'zh-CN')).toBe('¥1,234.50');
    expect(formatMoney(1, 'zh-CN')).toBe('¥0.01');
    expect(formatMoney(-2599, 'en')).toBe('-¥25.99');
    // 0.1 + 0.2 style drift would show up here if fen were divided as floats.
    expect(formatMoney(1_000_000_07, 'zh-CN')).toBe('¥1,000,000.07');
  });

  it('reads typed yuan into integer fen and refuses anything else', () => {
    expect(parseYuan('12.5')).toBe(1250);
    expect(parseYuan(' 199 ')).toBe(19900);
    expect(parseYuan('0.07')).toBe(7);
    expect(parseYuan('1.234')).toBeNull();
    expect(parseYuan('-3')).toBeNull();
    expect(parseYuan('abc')).toBeNull();
  });

  it('shows big counts in 万 for Chinese and K for English', () => {
    expect(formatCompact(12345, 'zh-CN')).toBe('1.2万');
    expect(formatCompact(12345, 'en')).toBe('12.3K');
    expect(formatCompact(NaN, 'zh-CN')).toBe('—');
  });

  it('shows instants in China time, whatever the browser zone', () => {
    expect(formatDateTime('2026-03-01T01:30:05Z', 'zh-CN')).toBe('2026/03/01 09:30:05');
    expect(formatDateTime(null, 'zh-CN')).toBe('—');
  });

  it('groups mobile numbers 3-4-4 and leaves others alone', () => {
    expect(formatPhone('+8613800138000')).toBe('138 0013 8000');
    expect(formatPhone('+862161234567')).toBe('+862161234567');
  });

  it('formats durations and percentages', () => {
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatPercent(0.034, 'zh-CN')).toBe('3.4%');
    expect(formatPercent(null, 'en')).toBe('—');
  });
});
