import { DomainError } from '../decider.ts';
import { toE164 } from '../phone/normalize.ts';

export const LEAD_CATEGORY = 'lead';

/** A lead's id is its E.164 number, so the same person imported twice lands on one stream. */
export function leadId(rawPhone: string, defaultRegion = 'CN'): string | DomainError {
  return toE164(rawPhone, defaultRegion);
}

export function leadStreamId(e164: string): string {
  return `${LEAD_CATEGORY}-${e164}`;
}
