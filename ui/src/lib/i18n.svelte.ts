import { en } from './messages/en.ts';
import { zh, type MessageKey } from './messages/zh.ts';

export type Locale = 'zh-CN' | 'en';
const tables: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zh, en };

/** UI language, chosen per user (remembered by user id), Chinese by default. */
export class I18n {
  locale = $state<Locale>('zh-CN');
  private storage: Pick<Storage, 'getItem' | 'setItem'> | null;

  constructor(storage: Pick<Storage, 'getItem' | 'setItem'> | null = null) {
    this.storage = storage;
  }

  /** `{name}` placeholders are replaced from params. */
  t(key: MessageKey, params: Record<string, string | number> = {}): string {
    const text = tables[this.locale][key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_, p: string) => String(params[p] ?? `{${p}}`));
  }

  /** Load the language this user chose last time on this browser. */
  useFor(userId: string | null) {
    const saved = userId ? this.storage?.getItem(`callstream.locale.${userId}`) : null;
    if (saved === 'zh-CN' || saved === 'en') this.locale = saved;
  }

  set(locale: Locale, userId: string | null) {
    this.locale = locale;
    if (userId) this.storage?.setItem(`callstream.locale.${userId}`, locale);
  }
}

export type { MessageKey };

/** Pause reasons are codes (break, meal, ...); unknown ones, e.g. set by another system, show as sent. */
export function pauseLabel(i18n: I18n, reason: string): string {
  const key = `pause.${reason}`;
  return key in tables[i18n.locale] ? i18n.t(key as MessageKey) : reason;
}

/** An API enum value (lead status, call outcome, order status) in the user's language; unknown values as sent. */
export function enumLabel(i18n: I18n, prefix: 'lead' | 'outcome' | 'order' | 'cstatus', value: string): string {
  const key = `${prefix}.${value}`;
  return key in tables[i18n.locale] ? i18n.t(key as MessageKey) : value;
}
