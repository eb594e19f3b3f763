// Chinese call floors read ¥1,234.50, 2026/03/01 09:30 and 1.2万; English gets the same instants in its own style.
import type { Locale } from './i18n.svelte.ts';

const TZ = 'Asia/Shanghai';

/** Integer fen -> ¥ display, without float drift (1 yuan = 100 fen). */
export function formatMoney(fen: number, locale: Locale): string {
  if (!Number.isFinite(fen)) return '—';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}¥${new Intl.NumberFormat(locale).format(yuan)}.${cents}`;
}

/** "12.50" / "12" (yuan typed by a person) -> integer fen; null when not a valid amount. */
export function parseYuan(text: string): number | null {
  const m = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export function formatNumber(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale).format(n);
}

/** Large counts the way a Chinese wallboard shows them: 12,345 -> 1.2万. */
export function formatCompact(n: number, locale: Locale): string {
  if (!Number.isFinite(n)) return '—';
  return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}

export function formatPercent(ratio: number | null | undefined, locale: Locale): string {
  if (ratio == null || Number.isNaN(ratio)) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}

export function formatDateTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, {
    timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(new Date(iso));
}

export function formatTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, { timeZone: TZ, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(new Date(iso));
}

/** Seconds -> m:ss or h:mm:ss (same in both languages; agents read it at a glance). */
export function formatDuration(totalSeconds: number | null | undefined): string {
  if (totalSeconds == null) return '—';
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A Chinese mobile in the 3-4-4 groups people read aloud: +8613800138000 -> 138 0013 8000. */
export function formatPhone(e164: string): string {
  const m = /^\+86(1\d{2})(\d{4})(\d{4})$/.exec(e164);
  return m ? `${m[1]} ${m[2]} ${m[3]}` : e164;
}
