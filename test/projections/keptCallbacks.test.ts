import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { keptCallbacksProjection } from '../../src/projections/readModels/keptCallbacks/projection.ts';
import { keptCallbacks } from '../../src/projections/readModels/keptCallbacks/queries.ts';
import { rebuildProjections } from '../../src/projections/runtime/rebuild.ts';
import { ProjectionRunner } from '../../src/projections/runtime/runner.ts';
import { createTestDatabase } from '../support/db.ts';

const t = (m: number) => `2026-11-23T02:${String(m).padStart(2, '0')}:00.000Z`;
const ev = (callId: string, type: string, m: number, data: Record<string, unknown> = {}) => ({ type, data: { callId, at: t(m), ...data }, metadata: { occurredAt: t(m) } });
const kept = (callId: string, phone: string, queueId: string, m: number) => ev(callId, 'CallbackQueued', m, { phone, queueId });
const started = (callId: string, n: number, m: number) => ev(callId, 'CallbackStarted', m, { phone: '', queueId: '', agentId: `agent-${n}`, callbackCallId: `${callId}-try${n}`, attempt: n });
const ended = (callId: string, n: number, m: number, r: { outcome: string; tries: number; retryAt: string | null; cause?: string; reasons?: string[] }) =>
  ev(callId, 'CallbackAttemptEnded', m, { phone: '', queueId: '', callbackCallId: `${callId}-try${n}`, maxTries: 3, ...r });

describe('kept callbacks read model', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;
  const given = async (streamId: string, events: { type: string; data: Record<string, unknown>; metadata: { occurredAt: string } }[]) => {
    const r = await store.append(streamId, events);
    await runner.waitFor(r.position);
  };
  const one = async (callId: string) => (await keptCallbacks(db.pool)).find((k) => k.callId === callId);

  beforeAll(async () => {
    db = await createTestDatabase('proj_kept_callbacks');
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 50 });
    runner = new ProjectionRunner({ pool: db.pool, store, projections: [keptCallbacksProjection] });
    await runner.start();
    for (const [queueId, departmentId] of [['q-east', 'east'], ['q-west', 'west']])
      await given(`queue-${queueId}`, [{ type: 'QueueCreated', data: { queueId, at: t(0), name: queueId, departmentId, config: {} }, metadata: { occurredAt: t(0) } }]);
  });
  afterAll(async () => {
    await runner.stop();
    await store.close();
    await db.close();
  });

  it('a kept number waits with no try yet, due at once', async () => {
    await given('call-k1', [kept('k1', '+8613800138001', 'q-east', 1)]);
    expect(await one('k1')).toEqual({ callId: 'k1', phone: '+8613800138001', queueId: 'q-east', departmentId: 'east', keptAt: t(1), tries: 0, state: 'waiting', nextTryAt: t(1) });
  });

  it('follows each try: calling while under way, waiting with the next try after a miss, answered when the customer picks up', async () => {
    await given('call-k2', [kept('k2', '+8613800138002', 'q-east', 2), started('k2', 1, 3)]);
    expect(await one('k2')).toMatchObject({ state: 'calling', tries: 0, agentId: 'agent-1', lastTryAt: t(3), lastCallbackCallId: 'k2-try1', nextTryAt: null });
    await given('call-k2', [ended('k2', 1, 4, { outcome: 'not_answered', cause: 'USER_BUSY', tries: 1, retryAt: t(14) })]);
    expect(await one('k2')).toMatchObject({ state: 'waiting', tries: 1, maxTries: 3, lastOutcome: 'not_answered', lastCause: 'USER_BUSY', lastTryAt: t(3), nextTryAt: t(14) });
    await given('call-k2', [started('k2', 2, 15), ended('k2', 2, 20, { outcome: 'answered', tries: 2, retryAt: null })]);
    expect(await one('k2')).toMatchObject({ state: 'answered', tries: 2, lastOutcome: 'answered', lastTryAt: t(15), lastCallbackCallId: 'k2-try2', agentId: 'agent-2', nextTryAt: null });
  });

  it('a try refused by the compliance gate keeps it waiting for the hours to open, or gives it up', async () => {
    await given('call-k3', [kept('k3', '+8613900139003', 'q-west', 5), ended('k3', 1, 6, { outcome: 'blocked', reasons: ['OUTSIDE_CALLING_HOURS'], tries: 0, retryAt: t(50) })]);
    expect(await one('k3')).toMatchObject({ state: 'waiting', tries: 0, lastOutcome: 'blocked', lastCause: 'OUTSIDE_CALLING_HOURS', lastTryAt: t(6), nextTryAt: t(50), departmentId: 'west' });
    await given('call-k3', [ended('k3', 2, 50, { outcome: 'blocked', reasons: ['BLACKLISTED'], tries: 0, retryAt: null })]);
    expect(await one('k3')).toMatchObject({ state: 'given_up', lastCause: 'BLACKLISTED', nextTryAt: null });
  });

  it('filters by queue, state and department, oldest kept first; a queue the log does not name has no department', async () => {
    await given('call-k4', [kept('k4', '+8613700137004', 'q-gone', 7)]);
    expect((await keptCallbacks(db.pool, { queueId: 'q-east' })).map((k) => k.callId)).toEqual(['k1', 'k2']);
    expect((await keptCallbacks(db.pool, { state: 'waiting' })).map((k) => k.callId)).toEqual(['k1', 'k4']);
    expect((await keptCallbacks(db.pool, { departmentIds: ['west'] })).map((k) => k.callId)).toEqual(['k3']);
    expect((await keptCallbacks(db.pool, { departmentIds: [] })).map((k) => k.callId)).toEqual([]);
    expect(await one('k4')).toMatchObject({ departmentId: null });
    await expect(keptCallbacks(db.pool, { state: 'lost' as never })).rejects.toThrow(/state/);
  });

  it('a rebuild from the log gives the same rows', async () => {
    const before = await keptCallbacks(db.pool);
    await rebuildProjections(db.pool, store, [keptCallbacksProjection]);
    expect(await keptCallbacks(db.pool)).toEqual(before);
  });
});
