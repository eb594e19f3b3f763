import type { Customer360 } from './customer.ts';

export type EntryKind = 'ownership' | 'call' | 'recording' | 'disposition' | 'order' | 'callback';

export interface TimelineEntry {
  at: string;
  kind: EntryKind;
  /** Message params for the entry's line. */
  text: Record<string, string | number>;
  refId: string;
}

/**
 * One phone number's life in time order: who owned it, every call with its recordings and
 * dispositions, orders and callbacks. Ties keep the causal order (call before its disposition).
 */
export function buildTimeline(c: Customer360): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (const o of c.ownership) out.push({ at: o.from, kind: 'ownership', text: { owner: o.owner?.displayName ?? '—', reason: o.reason ?? '' }, refId: o.owner?.id ?? '' });
  for (const call of c.calls.nodes) {
    out.push({ at: call.startedAt, kind: 'call', text: { outcome: call.outcome, agent: call.agent?.displayName ?? '' }, refId: call.id });
    for (const r of call.recordings) out.push({ at: call.answeredAt ?? call.startedAt, kind: 'recording', text: { hash: (r.sha256 ?? '').slice(0, 12) }, refId: r.id });
    if (call.disposition) out.push({ at: call.endedAt ?? call.startedAt, kind: 'disposition', text: { dispo: call.disposition, note: call.dispositionNote ?? '' }, refId: call.id });
  }
  for (const o of c.orders.nodes) out.push({ at: o.placedAt, kind: 'order', text: { amount: o.total, status: o.status }, refId: o.id });
  for (const cb of c.callbacks) out.push({ at: cb.dueAt, kind: 'callback', text: { status: cb.status }, refId: cb.id });
  const rank: Record<EntryKind, number> = { ownership: 0, call: 1, recording: 2, disposition: 3, order: 4, callback: 5 };
  return out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || rank[a.kind] - rank[b.kind]);
}
