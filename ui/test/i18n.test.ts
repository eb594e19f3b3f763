import { describe, expect, it } from 'vitest';
import { I18n, pauseLabel } from '../src/lib/i18n.svelte.ts';
import { en } from '../src/lib/messages/en.ts';
import { zh } from '../src/lib/messages/zh.ts';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
}

describe('i18n', () => {
  it('speaks Chinese by default and fills placeholders', () => {
    const i18n = new I18n();
    expect(i18n.t('login.submit')).toBe('登录');
    expect(i18n.t('callback.remind', { count: 3 })).toBe('3 个回访即将到期');
  });

  it('remembers the language per user, not per browser', () => {
    const storage = memoryStorage();
    const i18n = new I18n(storage);
    i18n.set('en', 'u-alice');
    expect(i18n.t('login.submit')).toBe('Log in');

    const next = new I18n(storage);
    next.useFor('u-bob');
    expect(next.locale).toBe('zh-CN');
    next.useFor('u-alice');
    expect(next.locale).toBe('en');
  });

  it('every English text carries the same placeholders as the Chinese one', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const mismatched = Object.keys(zh).filter((k) => names(zh[k as keyof typeof zh]).join() !== names(en[k as keyof typeof zh]).join());
    expect(mismatched).toEqual([]);
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });

  it('labels known pause codes and shows unknown ones as sent', () => {
    const i18n = new I18n();
    expect(pauseLabel(i18n, 'meal')).toBe('用餐');
    expect(pauseLabel(i18n, '外出培训')).toBe('外出培训');
  });
});
