import { DomainError } from './decider.ts';

/** Roles allowed to approve corrections and override protections. Kept here so every aggregate agrees. */
export const SUPERVISOR_ROLES: readonly string[] = ['supervisor', 'manager', 'admin'];

export function isSupervisor(role: string | undefined): boolean {
  return role !== undefined && SUPERVISOR_ROLES.includes(role);
}

export function reject(code: string, reason: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError(code, reason, details);
}

/** ISO-8601 instants compare by their epoch milliseconds; strings with different offsets do not sort. */
export function ms(iso: string): number {
  return Date.parse(iso);
}

export function isInstant(iso: unknown): iso is string {
  return typeof iso === 'string' && !Number.isNaN(Date.parse(iso));
}

export function isNonEmpty(s: unknown): s is string {
  return typeof s === 'string' && s.trim().length > 0;
}

/** Money is integer fen (cents); a float here would drift on totals. */
export function isFen(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}
