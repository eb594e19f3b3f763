import { sql } from 'slonik';
import { DocRow } from '../shared/rows.ts';
import { e164, QueryInputError, tableIn, type Db } from '../shared/query.ts';
import { dialKey, type DialAttemptsDoc } from './projection.ts';

export type { DialAttemptsDoc, DialOutcome } from './projection.ts';

export interface DialAttempts extends DialAttemptsDoc {
  /** When this phone was dialed in any campaign, newest first (up to 20 per campaign). */
  recentDialsAnyCampaign: string[];
}

/**
 * Dial attempts of a phone in a campaign (omit `campaignId` for dials outside any campaign): attempts, the
 * last dial and its outcome, and the recent dial times across campaigns. A number never dialed has 0 attempts.
 */
export async function dialAttemptsFor(db: Db, q: { phone: string; campaignId?: string | null }, schema?: string): Promise<DialAttempts> {
  if (typeof q?.phone !== 'string' || !q.phone.trim()) throw new QueryInputError('BAD_PHONE', 'phone is required / 需要电话号码');
  const phone = e164(q.phone);
  const campaignId = q.campaignId ?? '';
  const rows = await db.any(sql.type(DocRow)`SELECT key, doc FROM ${tableIn({ schema }, 'dial_attempt')} WHERE phone = ${phone}`);
  const docs = rows.map((r) => r.doc as DialAttemptsDoc);
  const mine = docs.find((x) => x.campaignId === campaignId);
  const recentDialsAnyCampaign = docs.flatMap((x) => x.recentDials).sort().reverse();
  return { ...(mine ?? { phone, campaignId, attempts: 0, blocked: 0, recentDials: [] }), recentDialsAnyCampaign };
}

export { dialKey };
