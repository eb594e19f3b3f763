import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/db.ts';
import { PostgresEventStore } from '../eventstore/postgres/postgresEventStore.ts';
import type { EventStore } from '../eventstore/types.ts';
import { Scheduler } from './scheduler.ts';
import { timerIds, timerStreamId, type PendingTimer } from './timers.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let store: EventStore;

beforeAll(async () => {
  db = await createTestDatabase('scheduler');
  store = await PostgresEventStore.connect(db.url);
});
afterAll(async () => {
  await store?.close();
  await db?.close();
});

const T0 = Date.parse('2026-11-23T02:00:00.000Z');

function setup(prefix: string) {
  const clock = { t: T0, now() { return this.t; } };
  const fired: PendingTimer[] = [];
  const scheduler = new Scheduler(store, clock, async (t) => {
    fired.push(t);
    return 'applied';
  });
  return { clock, fired, scheduler, id: (s: string) => `${prefix}-${s}` };
}

describe('durable scheduler', () => {
  it('fires a timer once when the injected clock reaches its due time, in due order', async () => {
    const { clock, fired, scheduler, id } = setup('order');
    await scheduler.schedule({ timerId: id('late'), kind: 'wrap-up-end', dueAtMs: T0 + 30_000, command: { target: 'agent', id: 'a1', event: { type: 'WRAP_UP_DONE' } } });
    await scheduler.schedule({ timerId: id('early'), kind: 'connect-rule', dueAtMs: T0 + 2_000, command: { target: 'call', id: 'c1', event: { type: 'ABANDON', reason: 'x' } } });
    clock.t = T0 + 1_999;
    expect(await scheduler.tick()).toBe(0);
    clock.t = T0 + 60_000;
    expect(await scheduler.tick()).toBe(2);
    expect(fired.map((t) => t.timerId)).toEqual([id('early'), id('late')]);
    expect(await scheduler.tick()).toBe(0);
    const stream = await store.readStream(timerStreamId(id('early')));
    expect(stream.map((e) => e.type)).toEqual(['TimerScheduled', 'TimerFired']);
    expect(stream[1].data).toMatchObject({ outcome: 'applied', firedAt: new Date(T0 + 60_000).toISOString() });
  });

  it('survives a restart: a new scheduler loads pending timers from the event store and fires them', async () => {
    const first = setup('restart');
    const ringId = first.id(timerIds.ringTimeout('c9'));
    await first.scheduler.schedule({ timerId: ringId, kind: 'ring-timeout', dueAtMs: T0 + 15_000, command: { target: 'agent', id: 'a1', event: { type: 'RESERVATION_EXPIRED', callId: 'c9' } } });
    await first.scheduler.schedule({ timerId: first.id('gone'), kind: 'ring-timeout', dueAtMs: T0 + 15_000, command: { target: 'agent', id: 'a1', event: { type: 'X' } } });
    await first.scheduler.cancel(first.id('gone'), 'agent answered');
    // process dies here; nothing in memory survives
    const second = setup('restart');
    await second.scheduler.load();
    const mine = second.scheduler.pendingTimers().filter((t) => t.timerId.startsWith('restart-'));
    expect(mine.map((t) => t.timerId)).toEqual([ringId]);
    second.clock.t = T0 + 15_000;
    await second.scheduler.tick();
    expect(second.fired.find((t) => t.timerId === ringId)?.command).toEqual({ target: 'agent', id: 'a1', event: { type: 'RESERVATION_EXPIRED', callId: 'c9' } });
    expect(second.fired.some((t) => t.timerId === first.id('gone'))).toBe(false);
  });

  it('a cancelled timer never fires; cancelling a fired one reports false', async () => {
    const { clock, fired, scheduler, id } = setup('cancel');
    await scheduler.schedule({ timerId: id('a'), kind: 'reservation-expiry', dueAtMs: T0 + 1_000, command: { target: 'agent', id: 'a1', event: { type: 'RESERVATION_EXPIRED' } } });
    expect(await scheduler.cancel(id('a'), 'agent answered')).toBe(true);
    await scheduler.schedule({ timerId: id('b'), kind: 'reservation-expiry', dueAtMs: T0 + 1_000, command: { target: 'agent', id: 'a2', event: { type: 'RESERVATION_EXPIRED' } } });
    clock.t = T0 + 5_000;
    await scheduler.tick();
    expect(fired.map((t) => t.timerId)).toEqual([id('b')]);
    expect(await scheduler.cancel(id('b'), 'late')).toBe(false);
  });

  it('scheduling the same timer id twice keeps the first due time', async () => {
    const { scheduler, id } = setup('dup');
    await scheduler.schedule({ timerId: id('x'), kind: 'connect-rule', dueAtMs: T0 + 2_000, command: { target: 'call', id: 'c', event: { type: 'ABANDON' } } });
    await scheduler.schedule({ timerId: id('x'), kind: 'connect-rule', dueAtMs: T0 + 9_000, command: { target: 'call', id: 'c', event: { type: 'ABANDON' } } });
    const fresh = setup('dup');
    await fresh.scheduler.load();
    expect(fresh.scheduler.pendingTimers().find((t) => t.timerId === id('x'))?.dueAtMs).toBe(T0 + 2_000);
  });

  it('a failing command stays pending and is retried on the next tick', async () => {
    const clock = { now: () => T0 + 10_000 };
    let calls = 0;
    const errors: unknown[] = [];
    const scheduler = new Scheduler(store, clock, async () => {
      calls++;
      if (calls === 1) throw new Error('switch unreachable');
      return 'applied';
    });
    scheduler.onError = (_t, e) => errors.push(e);
    await scheduler.schedule({ timerId: 'retry-1', kind: 'connect-rule', dueAtMs: T0, command: { target: 'call', id: 'c', event: { type: 'ABANDON' } } });
    expect(await scheduler.tick()).toBe(0);
    expect(errors).toHaveLength(1);
    expect(await scheduler.tick()).toBe(1);
    expect(calls).toBe(2);
  });
});
