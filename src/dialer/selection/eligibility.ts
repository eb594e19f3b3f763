import type { LeadView, SelectionPolicy } from './types.ts';

const MINUTE = 60_000;

export type Eligibility = { ok: true; kind: 'callback' | 'retry' | 'new' | 'recycle'; dueAt: number } | { ok: false; why: string };

/** Whether `agentId` (or the campaign, when undefined) may dial this lead now, and as what. */
export function eligibility(lead: LeadView, policy: SelectionPolicy, now: number, agentId: string | undefined, dialing: ReadonlySet<string>): Eligibility {
  if (lead.status === 'closed') return { ok: false, why: 'closed' };
  if (dialing.has(lead.phone)) return { ok: false, why: 'already_dialing' };
  if (lead.owner && lead.privateUntil && Date.parse(lead.privateUntil) > now && lead.owner !== agentId) return { ok: false, why: 'private' };

  const cb = lead.callback;
  if (cb) {
    const due = Date.parse(cb.dueAt);
    if (due > now) return { ok: false, why: 'callback_not_due' };
    if (cb.owner === agentId) return { ok: true, kind: 'callback', dueAt: due };
    if (cb.visibility === 'private') return { ok: false, why: 'private_callback' };
    const grace = (policy.callbackOwnerGraceMinutes ?? 15) * MINUTE;
    if (now < due + grace) return { ok: false, why: 'callback_owner_first' };
    return { ok: true, kind: 'callback', dueAt: due + grace };
  }

  const last = lead.lastDialAt ? Date.parse(lead.lastDialAt) : undefined;
  if (lead.attempts === 0 || last === undefined) return { ok: true, kind: 'new', dueAt: -Infinity };

  const rule = lead.lastDisposition && lead.lastDisposition !== 'other' ? policy.retryRules[lead.lastDisposition] : undefined;
  const cap = Math.min(rule?.maxAttempts ?? policy.maxAttempts, policy.maxAttempts);
  if (lead.attempts >= cap || !rule) return recyclable(lead, policy, last, now);
  const due = last + rule.delayMinutes * MINUTE;
  if (due > now) return { ok: false, why: 'retry_not_due' };
  return { ok: true, kind: 'retry', dueAt: due };
}

function recyclable(lead: LeadView, policy: SelectionPolicy, last: number, now: number): Eligibility {
  const r = policy.recycle;
  if (!r || lead.passes >= r.maxPasses) return { ok: false, why: 'attempts_exhausted' };
  if (!lead.lastDisposition || lead.lastDisposition === 'other' || !r.dispositions.includes(lead.lastDisposition)) return { ok: false, why: 'final_disposition' };
  const due = last + r.afterMinutes * MINUTE;
  if (due > now) return { ok: false, why: 'recycle_not_due' };
  return { ok: true, kind: 'recycle', dueAt: due };
}
