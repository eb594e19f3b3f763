import { sql } from 'slonik';
import { z } from 'zod';
import { toE164 } from '../../../domain/phone/normalize.ts';
import { DomainError } from '../../../domain/decider.ts';
import type { RecordedEvent } from '../../../eventstore/types.ts';
import { verifyAll, verifyStream } from '../../../eventstore/verify.ts';
import { usersByIds } from '../../auth/identity.ts';
import { departmentInScope, inScope } from '../../auth/principal.ts';
import type { ApiContext } from '../context.ts';
import { annotationEventsOf } from './annotations.ts';
import { badInput, forbidden, notFound } from '../errors.ts';
import { userOut } from './identity.ts';

interface AsOf {
  at?: string | null;
  position?: number | null;
}

function checkAsOf(asOf?: AsOf | null): AsOf | undefined {
  // An empty asOf (e.g. a query variable left unset) means "now".
  if (!asOf || (asOf.at == null && asOf.position == null)) return undefined;
  if (asOf.at != null && asOf.position != null)
    throw badInput('asOf 只能给 at 或 position 之一 / give asOf.at or asOf.position, not both');
  return asOf;
}

/** Events at or before the instant (by when they were stored) or the position. */
export function upTo(events: RecordedEvent[], asOf?: AsOf): RecordedEvent[] {
  if (!asOf) return events;
  if (asOf.position != null) return events.filter((e) => e.position <= asOf.position!);
  const t = Date.parse(asOf.at!);
  return events.filter((e) => Date.parse(e.recordedAt) <= t);
}

const eventOut = (e: RecordedEvent) => ({ ...e });

/** May this caller read this stream? Admins and auditors: any. Others: streams of people and calls in their scope. */
async function mayReadStream(ctx: ApiContext, streamId: string): Promise<boolean> {
  const p = ctx.principal!;
  if (p.role === 'admin' || p.role === 'auditor') return true;
  const scope = await ctx.scope();
  const dash = streamId.indexOf('-');
  const [category, id] = dash < 0 ? [streamId, ''] : [streamId.slice(0, dash), streamId.slice(dash + 1)];
  if (category === 'user' || category === 'agent') return inScope(scope, id);
  if (category === 'department') return departmentInScope(scope, id);
  if (category === 'call' || category === 'evaluation' || category === 'answers') {
    const agent = await ctx.pool.maybeOneFirst(
      sql.type(z.object({ agent_id: z.string() }))`SELECT agent_id FROM api.call_agents WHERE call_id = ${id}`,
    );
    return inScope(scope, agent);
  }
  if (category === 'lead') {
    const events = await ctx.store.readStream(streamId);
    const owner = [...events].reverse().find((e) => e.type === 'LeadClaimed' || e.type === 'LeadAssigned');
    const ownerId = owner ? ((owner.data as any).agentId ?? (owner.data as any).assignee?.id) : undefined;
    const dept = (events.find((e) => e.type === 'LeadImported')?.data as any)?.departmentId;
    return inScope(scope, ownerId) || (p.role === 'supervisor' && departmentInScope(scope, dept));
  }
  return false;
}

export const auditResolvers = {
  Query: {
    serverInfo: async (_: unknown, __: unknown, ctx: ApiContext) => ({
      now: new Date().toISOString(),
      headPosition: await ctx.store.headPosition(),
      version: '0.1.0',
    }),
    history: async (_: unknown, args: { stream: string; asOf?: AsOf }, ctx: ApiContext) => {
      if (!args.stream) throw badInput('stream is required');
      if (!(await mayReadStream(ctx, args.stream))) throw forbidden(`stream ${args.stream}`);
      const events = upTo(await ctx.store.readStream(args.stream), checkAsOf(args.asOf));
      return { streamId: args.stream, events: events.map(eventOut), version: events.length };
    },
    verify: async (_: unknown, args: { stream?: string }, ctx: ApiContext) => {
      const p = ctx.principal!;
      if (!args.stream) {
        if (p.role !== 'admin' && p.role !== 'auditor') throw forbidden('verify of the whole log');
        return verifyAll(ctx.store);
      }
      if (!(await mayReadStream(ctx, args.stream))) throw forbidden(`stream ${args.stream}`);
      return verifyStream(ctx.store, args.stream);
    },
    evidenceBundle: async (_: unknown, args: { phone: string; asOf?: AsOf }, ctx: ApiContext) => {
      const phone = toE164(args.phone);
      if (phone instanceof DomainError) throw phone;
      const leadStream = `lead-${phone}`;
      if (!(await mayReadStream(ctx, leadStream))) throw forbidden(`the evidence of ${phone}`);
      const asOf = checkAsOf(args.asOf);
      const bundle = await buildEvidence(ctx, phone, asOf);
      const p = ctx.principal!;
      // Who exported what, and when: an export of personal data is a fact of its own.
      await ctx.store.append(`evidence-${phone}`, [
        {
          type: 'EvidenceBundleExported',
          data: {
            phone,
            at: new Date().toISOString(),
            userId: p.userId,
            role: p.role,
            events: bundle.eventCount,
            asOf: asOf ?? null,
          },
          metadata: { actorId: p.userId, actorRole: p.role },
        },
      ]);
      return bundle;
    },
    // Why a call went where it went, and why it was (or was not) dialed: straight from the call's own facts.
    callReceipts: async (_: unknown, args: { callId: string }, ctx: ApiContext) => {
      const streamId = `call-${args.callId}`;
      if (!(await mayReadStream(ctx, streamId))) throw forbidden(`call ${args.callId}`);
      const events = await ctx.store.readStream(streamId);
      const when = (e: RecordedEvent) => (e.data as any).at ?? e.recordedAt;
      const compliance = events
        .filter((e) => e.type === 'CallDialAttempted' || e.type === 'CallDialBlocked')
        .map((e) => {
          const c = (e.data as any).compliance ?? {};
          return {
            position: e.position,
            at: when(e),
            check: c.reasons?.length ? c.reasons.join(',') : 'ALL_CHECKS',
            passed: e.type === 'CallDialAttempted' && c.allowed !== false,
            details: c,
          };
        });
      const routing = events
        .filter((e) =>
          ['CallOffered', 'CallTransferred', 'CallBridged', 'CallInboundReceived', 'CallReceived'].includes(e.type),
        )
        .map((e) => ({ position: e.position, at: when(e), decision: e.type, details: e.data }));
      return { callId: args.callId, routing, compliance };
    },
    isDnc: async (_: unknown, args: { phone: string }, ctx: ApiContext) => {
      const phone = toE164(args.phone);
      if (phone instanceof DomainError) throw phone;
      const last = (await ctx.store.readStream(`lead-${phone}`))
        .filter((e) => e.type === 'LeadDoNotCallAdded' || e.type === 'LeadDoNotCallRemoved')
        .at(-1);
      return last?.type === 'LeadDoNotCallAdded';
    },
    recordingAccesses: async (_: unknown, args: { recordingId: string }, ctx: ApiContext) => {
      const p = ctx.principal!;
      if (!['admin', 'auditor', 'supervisor', 'qa'].includes(p.role)) throw forbidden('recording accesses');
      // Scoped as the recording itself (GET /recordings/:id): out of scope it does not exist for the caller.
      const scope = await ctx.scope();
      if (!scope.all) {
        const agentId = await ctx.pool.maybeOneFirst(sql.type(z.object({ agent_id: z.string().nullable() }))`
          SELECT a.agent_id FROM api.recordings r LEFT JOIN api.call_agents a ON a.call_id = r.call_id WHERE r.recording_id = ${args.recordingId}`);
        if (!inScope(scope, agentId)) throw notFound(`recording ${args.recordingId}`);
      }
      const events = await ctx.store.readStream(`recording-${args.recordingId}`);
      return events
        .filter((e) => e.type === 'RecordingAccessed')
        .map((e) => ({
          recordingId: args.recordingId,
          userId: (e.data as any).userId,
          reason: (e.data as any).reason,
          at: (e.data as any).at,
          range: (e.data as any).range,
        }));
    },
  },
  RecordingAccess: {
    user: async (a: { userId?: string }, _: unknown, ctx: ApiContext) => {
      if (!a.userId) return null;
      const { findUser } = await import('../../auth/identity.ts');
      const u = await findUser(ctx.pool, a.userId);
      return (
        u && {
          id: u.user_id,
          username: u.username,
          displayName: u.display_name,
          role: u.role.toUpperCase(),
          departmentId: u.department_id,
          teamId: u.team_id,
          disabled: u.disabled,
        }
      );
    },
  },
};

/** Calls to or from this number: found through their dial and offer events (a read model would index this). */
async function callIdsFor(ctx: ApiContext, phone: string): Promise<string[]> {
  const ids = new Set<string>();
  let after = 0;
  for (;;) {
    const page = await ctx.store.readAll({
      after,
      maxCount: 5000,
      filter: { eventTypes: ['CallDialAttempted', 'CallDialBlocked', 'CallInboundReceived', 'CallArrived'] },
    });
    if (!page.length) break;
    for (const e of page) if ((e.data as any).phone === phone) ids.add((e.data as any).callId);
    after = page[page.length - 1].position;
  }
  return [...ids];
}

async function buildEvidence(ctx: ApiContext, phone: string, asOf?: AsOf) {
  const link = (e: RecordedEvent) => ({
    streamId: e.streamId,
    revision: e.revision,
    position: e.position,
    type: e.type,
    recordedAt: e.recordedAt,
    occurredAt: e.metadata.occurredAt,
    actorId: e.metadata.actorId,
    hash: e.hash,
    prevHash: e.prevHash,
    data: e.data,
  });
  const lead = upTo(await ctx.store.readStream(`lead-${phone}`), asOf);
  const calls = [];
  for (const callId of await callIdsFor(ctx, phone))
    calls.push({ callId, events: upTo(await ctx.store.readStream(`call-${callId}`), asOf).map(link) });
  const orderEvents = (await ctx.store.readAll({ filter: { streamPrefix: 'order-' } })).filter(
    (e) => (e.data as any).customerPhone === phone,
  );
  const orderIds = [...new Set(orderEvents.map((e) => e.streamId))];
  const orders = [];
  for (const s of orderIds) orders.push({ streamId: s, events: upTo(await ctx.store.readStream(s), asOf).map(link) });
  const stopped = calls.flatMap((c) =>
    c.events.filter((e) => e.type === 'CallRecordingStopped').map((e) => ({ callId: c.callId, e })),
  );
  // QA's notes on each recording, removals included: the whole history, as of the bundle's instant.
  const notes = await annotationEventsOf(
    ctx.store,
    stopped.map((r) => (r.e.data as any).recordingId),
  );
  const recordings = stopped.map(({ callId, e }) => ({
    callId,
    recordingId: (e.data as any).recordingId,
    sha256: (e.data as any).sha256,
    durationMs: (e.data as any).durationMs,
    position: e.position,
    hash: e.hash,
    annotations: upTo(notes.get((e.data as any).recordingId) ?? [], asOf).map(link),
  }));
  const ownership = lead
    .filter((e) => ['LeadAssigned', 'LeadClaimed', 'LeadReleased', 'LeadRecycled'].includes(e.type))
    .map((e) => ({
      type: e.type,
      at: (e.data as any).at,
      agentId: (e.data as any).agentId ?? (e.data as any).assignee?.id ?? null,
      position: e.position,
    }));
  const dispositions = lead.filter((e) => e.type.startsWith('LeadDisposition')).map(link);
  const eventCount =
    lead.length +
    calls.reduce((n, c) => n + c.events.length, 0) +
    orders.reduce((n, o) => n + o.events.length, 0) +
    recordings.reduce((n, r) => n + r.annotations.length, 0);
  return {
    phone,
    generatedAt: new Date().toISOString(),
    asOf: asOf ?? null,
    eventCount,
    ownership,
    dispositions,
    lead: lead.map(link),
    calls,
    orders,
    recordings,
    note: 'Every event carries its hash and the hash of the event before it in its stream; verify(stream) re-checks the chain.',
  };
}

/**
 * RecordedEvent.actor: the person in metadata.actorId, so the auditor reads names, not ids. One users
 * query per page of events (mercurius loader); the system, the switch and bots are no user (null).
 */
export const auditLoaders = {
  RecordedEvent: {
    actor: async (queries: { obj: RecordedEvent }[], ctx: ApiContext) => {
      const idOf = (e: RecordedEvent) => {
        const id = (e.metadata as Record<string, unknown> | undefined)?.actorId;
        return typeof id === 'string' && id ? id : undefined;
      };
      const ids = [...new Set(queries.map((q) => idOf(q.obj)).filter((x): x is string => !!x))];
      const rows = ids.length ? await usersByIds(ctx.pool, ids) : [];
      const by = new Map(rows.filter((r) => r).map((r) => [r!.user_id, r!]));
      return queries.map((q) => {
        const u = by.get(idOf(q.obj) ?? '');
        return u ? userOut(u) : null;
      });
    },
  },
};
