import type { DatabasePool } from 'slonik';
import type { CallbackDoc, OwnerChange } from '../projections/readModels/leads/evolve.ts';
import { screenPop, type ScreenPop } from '../projections/readModels/customer360/queries.ts';
import { departmentInScope, inScope, type Scope } from './auth/principal.ts';
import { callOut, display, orderOut } from './readModelShapes.ts';

const STATUS: Record<string, string> = { new: 'NEW', attempted: 'IN_PROGRESS', do_not_call: 'DNC' };
const page = <T>(nodes: T[]) => ({ nodes, pageInfo: { hasNextPage: false, endCursor: null, totalCount: nodes.length } });
const agentOf = (owner?: string) => (owner?.startsWith('agent:') ? owner.slice(6) : undefined);

function leadOut(p: ScreenPop) {
  const c = p.customer!;
  const holder = p.ownership?.holder;
  const lastDisposition = p.dispositions.at(-1)?.code;
  return {
    id: p.phone,
    phone: p.phone,
    phoneDisplay: display(p.phone),
    name: c.name,
    status: p.doNotCall ? 'DNC' : (STATUS[c.status] ?? (lastDisposition ? 'IN_PROGRESS' : 'NEW')),
    ownerId: p.ownership?.owner?.kind === 'agent' ? p.ownership.owner.id : undefined,
    ownedSince: p.ownership?.history.at(-1)?.at,
    ownershipExpiresAt: holder && !holder.lapsed ? holder.privateUntil : undefined,
    attempts: c.attempts,
    lastDisposition,
    lastCalledAt: p.calls[0]?.startedAt,
    customFields: p.fields,
    departmentId: c.departmentId,
    createdAt: c.importedAt ?? new Date(0).toISOString(),
    position: 0,
  };
}

function spans(history: OwnerChange[]) {
  return history.map((h, i) => ({ ownerId: agentOf(h.owner), from: h.at, to: history[i + 1]?.at ?? null, reason: h.reason ?? h.change }));
}

const callbackOut = (cb: CallbackDoc, lead: unknown) => ({
  id: cb.callbackId,
  lead,
  agentId: cb.owner,
  scope: cb.visibility === 'public' ? 'ANYONE' : 'AGENT',
  dueAt: cb.dueAt,
  note: cb.note,
  status: cb.status === 'scheduled' ? (Date.parse(cb.dueAt) <= Date.now() ? 'DUE' : 'SCHEDULED') : cb.status === 'done' ? 'DONE' : cb.status === 'cancelled' ? 'CANCELLED' : 'MISSED',
});

/**
 * Customer 360 (screen pop) for one number, cut to the caller's scope: a caller sees the customer when
 * the lead's owner, or an agent who handled one of its calls, is in scope (supervisors also by the lead's
 * department); calls, orders and callbacks of people outside the scope are left out.
 */
export async function customer360(pool: DatabasePool, phone: string, scope: Scope, schema?: string) {
  const p = await screenPop(pool, phone, { schema });
  const owner = p.ownership?.owner?.kind === 'agent' ? p.ownership.owner.id : undefined;
  const calls = p.calls.filter((c) => inScope(scope, c.agentId) || c.agents.some((a) => inScope(scope, a)));
  const visible = scope.all || inScope(scope, owner) || calls.length > 0 || (p.customer?.departmentId !== undefined && departmentInScope(scope, p.customer.departmentId) && scope.userIds.length > 1);
  if (!visible || (!p.known && !calls.length)) return null;
  const lead = p.known ? leadOut(p) : null;
  return {
    phone: p.phone,
    leads: lead ? [lead] : [],
    calls: page(calls.map((c) => callOut(c))),
    orders: page(p.orders.filter((o) => inScope(scope, o.agentId)).map(orderOut)),
    callbacks: p.callbacks.filter((cb) => inScope(scope, cb.owner) || cb.visibility === 'public').map((cb) => callbackOut(cb, lead)),
    dnc: p.doNotCall ? { phone: p.phone, scope: 'GLOBAL', reason: p.doNotCall.reason, source: p.doNotCall.source, addedById: p.doNotCall.by, addedAt: p.doNotCall.at } : null,
    ownership: spans(p.ownership?.history ?? []),
  };
}

export async function leadFor(pool: DatabasePool, phone: string, scope: Scope, schema?: string) {
  const c = await customer360(pool, phone, scope, schema);
  return c?.leads[0] ?? null;
}
