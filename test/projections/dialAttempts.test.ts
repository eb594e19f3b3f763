import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import type { RecordedEvent } from '../../src/eventstore/types.ts';
import { dialAttemptsProjection } from '../../src/projections/readModels/dialAttempts/projection.ts';
import { dialAttemptsFor } from '../../src/projections/readModels/dialAttempts/queries.ts';
import { ProjectionRunner } from '../../src/projections/runtime/runner.ts';
import { floorDay } from '../../src/projections/sim/floorDay.ts';
import { appendAll } from '../../src/projections/sim/load.ts';
import { createTestDatabase } from '../support/db.ts';

const P = '+8613800138000';
const t = (s: number) => `2026-11-23T02:00:${String(s).padStart(2, '0')}.000Z`;
const call = (callId: string, type: string, s: number, data: Record<string, unknown> = {}) => ({ type, data: { callId, at: t(s), ...data }, metadata: { occurredAt: t(s) } });
const dial = (callId: string, s: number, campaignId?: string) =>
  call(callId, 'CallDialAttempted', s, { phone: P, direction: 'outbound', campaignId, attempt: 1, compliance: { allowed: true, reasons: [] } });

describe('dial attempts read model (phone + campaign)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;
  const given = async (callId: string, events: ReturnType<typeof call>[]) => {
    const r = await store.append(`call-${callId}`, events);
    await runner.waitFor(r.position);
  };
  beforeAll(async () => {
    db = await createTestDatabase('proj_dial_attempts');
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 50 });
    runner = new ProjectionRunner({ pool: db.pool, store, projections: [dialAttemptsProjection] });
    await runner.start();
  });
  afterAll(async () => {
    await runner.stop();
    await store.close();
    await db.close();
  });

  it('a number never dialed has no attempts; bad input is refused with a clear error', async () => {
    expect(await dialAttemptsFor(db.pool, { phone: P, campaignId: 'c1' })).toMatchObject({ attempts: 0, blocked: 0, recentDials: [], recentDialsAnyCampaign: [] });
    await expect(dialAttemptsFor(db.pool, { phone: 'not a number', campaignId: 'c1' })).rejects.toThrow();
    await expect(dialAttemptsFor(db.pool, { phone: '', campaignId: 'c1' })).rejects.toThrow(/phone/);
  });

  it('counts dials per phone and campaign with the last dial and what became of it', async () => {
    await given('k1', [dial('k1', 1, 'c1'), call('k1', 'CallRinging', 2), call('k1', 'CallEnded', 30, { cause: 'NO_ANSWER' })]);
    expect(await dialAttemptsFor(db.pool, { phone: P, campaignId: 'c1' })).toMatchObject({ attempts: 1, lastDialAt: t(1), lastCallId: 'k1', lastOutcome: 'not_answered', lastCause: 'NO_ANSWER' });
    await given('k2', [dial('k2', 40, 'c1'), call('k2', 'CallAnswered', 45, { answeredBy: 'human' })]);
    expect(await dialAttemptsFor(db.pool, { phone: '138 0013 8000', campaignId: 'c1' })).toMatchObject({ attempts: 2, lastDialAt: t(40), lastOutcome: 'human' });
    await given('k2', [call('k2', 'CallBridged', 46, { agentId: 'a1' }), call('k2', 'CallEnded', 50, { cause: 'NORMAL_CLEARING' })]);
    const c1 = await dialAttemptsFor(db.pool, { phone: P, campaignId: 'c1' });
    expect(c1).toMatchObject({ attempts: 2, lastOutcome: 'connected', lastCause: 'NORMAL_CLEARING', recentDials: [t(40), t(1)] });
  });

  it('keeps campaigns apart, counts refused dials separately, and lists recent dials across campaigns', async () => {
    await given('k3', [dial('k3', 51, 'c2'), call('k3', 'CallAnswered', 52, { answeredBy: 'machine' }), call('k3', 'CallEnded', 53, { cause: 'NORMAL_CLEARING' })]);
    await given('k4', [call('k4', 'CallDialBlocked', 54, { phone: P, campaignId: 'c2', compliance: { allowed: false, reasons: ['MAX_ATTEMPTS'] } })]);
    await given('k5', [dial('k5', 55)]);
    const c2 = await dialAttemptsFor(db.pool, { phone: P, campaignId: 'c2' });
    expect(c2).toMatchObject({ attempts: 1, blocked: 1, lastOutcome: 'machine', lastCallId: 'k3' });
    expect(c2.recentDialsAnyCampaign).toEqual([t(55), t(51), t(40), t(1)]);
    expect(await dialAttemptsFor(db.pool, { phone: P })).toMatchObject({ campaignId: '', attempts: 1, lastOutcome: 'dialing' });
    expect((await dialAttemptsFor(db.pool, { phone: P, campaignId: 'c1' })).attempts).toBe(2);
  });

  it('an older dial ending late does not overwrite the outcome of the newer one', async () => {
    await given('k6', [dial('k6', 56, 'c3')]);
    await given('k7', [dial('k7', 57, 'c3'), call('k7', 'CallAnswered', 58, { answeredBy: 'human' })]);
    await given('k6', [call('k6', 'CallEnded', 59, { cause: 'NO_ANSWER' })]);
    expect(await dialAttemptsFor(db.pool, { phone: P, campaignId: 'c3' })).toMatchObject({ attempts: 2, lastCallId: 'k7', lastOutcome: 'human' });
  });
});

describe('dial attempts reconcile with the log of a simulated floor day', () => {
  it('every phone and campaign has as many attempts as CallDialAttempted events, and its last dial time', async () => {
    const db = await createTestDatabase('proj_dial_reconcile');
    const store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 50 });
    const runner = new ProjectionRunner({ pool: db.pool, store, projections: [dialAttemptsProjection], batchSize: 250 });
    try {
      await appendAll(store, floorDay({ events: 4000, agents: 8, seed: 5 }));
      await runner.start();
      await runner.waitFor(await store.headPosition());
      const want = new Map<string, { phone: string; campaignId?: string; n: number; last: string }>();
      const log: RecordedEvent[] = await store.readAll({ after: 0, maxCount: 100_000, filter: { eventTypes: ['CallDialAttempted'] } });
      for (const e of log) {
        const d = e.data as any;
        const k = `${d.phone}|${d.campaignId ?? ''}`;
        const w = want.get(k) ?? { phone: d.phone, campaignId: d.campaignId, n: 0, last: '' };
        want.set(k, { ...w, n: w.n + 1, last: d.at > w.last ? d.at : w.last });
      }
      expect(want.size).toBeGreaterThan(50);
      expect([...want.values()].some((w) => w.n > 1)).toBe(true);
      for (const w of [...want.values()].slice(0, 200)) {
        const got = await dialAttemptsFor(db.pool, { phone: w.phone, campaignId: w.campaignId });
        expect({ n: got.attempts, last: got.lastDialAt }).toEqual({ n: w.n, last: new Date(w.last).toISOString() });
      }
    } finally {
      await runner.stop();
      await store.close();
      await db.close();
    }
  }, 60_000);
});
