import mercurius from 'mercurius';
import { ConcurrencyConflictError } from '../../commands/handleCommand.ts';
import { DomainError } from '../../domain/decider.ts';
import { TokenError } from '../auth/tokens.ts';

const { ErrorWithProps } = mercurius;

/** A GraphQL error whose `extensions` carry a stable `code`, the human `reason` and `details`. */
export function apiError(code: string, reason: string, details: Record<string, unknown> = {}): Error {
  return new ErrorWithProps(reason, { code, reason, details });
}

export const unauthenticated = () => apiError('UNAUTHENTICATED', '请先登录 / log in first');
export const forbidden = (what = 'this') => apiError('FORBIDDEN', `无权访问 / you may not access ${what}`);
export const badInput = (reason: string, details: Record<string, unknown> = {}) => apiError('BAD_USER_INPUT', reason, details);
export const notFound = (what: string) => apiError('NOT_FOUND', `不存在 / ${what} not found`);

/** Turns whatever a resolver threw into a typed GraphQL error; unknown errors keep their message out of the response. */
export function toApiError(e: unknown): Error {
  if (e instanceof ErrorWithProps) return e;
  if (e instanceof DomainError) return apiError(e.code, e.reason, e.details);
  if (e instanceof TokenError) return apiError('UNAUTHENTICATED', e.message);
  if (e instanceof ConcurrencyConflictError) return apiError('CONCURRENCY_CONFLICT', e.message);
  if (e instanceof TypeError && /must|required|not an ISO|give exactly/.test(e.message)) return badInput(e.message);
  return e instanceof Error ? e : new Error(String(e));
}
