import { sql } from 'slonik';
import type { CallDoc } from '../floor/call.ts';
import type { CallbackDoc, LeadDoc } from '../leads/evolve.ts';
import type { OrderDoc } from '../orders/evolve.ts';
import { ownershipOf, type LeadOwnership } from '../leadOwnership/queries.ts';
import { DocRow } from '../shared/rows.ts';
import { e164, tableIn, type Db, type ReadOptions } from '../shared/query.ts';

export interface ScreenPop {
  phone: string;
  known: boolean;
  customer: { name?: string; source?: string; departmentId?: string; importedAt?: string; status: string; attempts: number } | null;
  fields: Record<string, string>;
  ownership: LeadOwnership | null;
  doNotCall: LeadDoc['dnc'];
  lastAgentId?: string;
  calls: CallDoc[];
  dispositions: LeadDoc['dispositions'];
  orders: OrderDoc[];
  callbacks: CallbackDoc[];
  answers: (CallDoc['answers'][number] & { callId: string })[];
}

/**
 * Everything an agent needs when a number rings or is dialed: the customer, custom fields, last agent,
 * call history with dispositions, orders, callbacks and questionnaire answers. Needs the leads, floor
 * and orders read models in the same schema.
 */
export async function screenPop(db: Db, rawPhone: string, opts: ReadOptions & { now?: string; callLimit?: number } = {}): Promise<ScreenPop> {
  const phone = e164(rawPhone);
  const lead = await db.maybeOne(sql.type(DocRow)`SELECT key, doc FROM ${tableIn(opts, 'lead')} WHERE key = ${phone}`);
  const calls = await db.any(sql.type(DocRow)`
    SELECT key, doc FROM ${tableIn(opts, 'call')} WHERE phone = ${phone} ORDER BY started_at DESC NULLS LAST LIMIT ${opts.callLimit ?? 50}`);
  const orders = await db.any(sql.type(DocRow)`SELECT key, doc FROM ${tableIn(opts, 'orders')} WHERE customer_phone = ${phone} ORDER BY placed_at DESC`);
  const callbacks = await db.any(sql.type(DocRow)`SELECT key, doc FROM ${tableIn(opts, 'callback')} WHERE phone = ${phone} ORDER BY due_at DESC`);
  const doc = lead?.doc as LeadDoc | undefined;
  const callDocs = calls.map((c) => c.doc as CallDoc);
  const lastAgentId = callDocs.find((c) => c.agentId)?.agentId ?? doc?.lastAgentId;
  return {
    phone,
    known: !!doc,
    customer: doc ? { name: doc.name, source: doc.source, departmentId: doc.departmentId, importedAt: doc.importedAt, status: doc.status, attempts: doc.attempts } : null,
    fields: doc?.fields ?? {},
    ownership: doc ? ownershipOf(doc, opts.now ?? new Date().toISOString()) : null,
    doNotCall: doc?.dnc ?? null,
    lastAgentId,
    calls: callDocs,
    dispositions: doc?.dispositions ?? [],
    orders: orders.map((o) => o.doc as OrderDoc),
    callbacks: callbacks.map((c) => c.doc as CallbackDoc),
    answers: callDocs.flatMap((c) => c.answers.map((a) => ({ ...a, callId: c.callId }))),
  };
}
