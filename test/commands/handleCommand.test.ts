import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { DomainError, type Command, type Decider, type DomainEvent } from '../../src/domain/decider.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { createTestDatabase } from '../support/db.ts';

// A tiny counter aggregate keeps these tests about the handler, not about a domain.
type Cmd = Command<'Add', { n: number; max?: number }>;
type Ev = DomainEvent<'Added', { n: number }>;
const counter: Decider<Cmd, Ev, { total: number }> = {
  category: 'counter',
  initialState: () => ({ total: 0 }),
  evolve: (s, e) => (e.type === 'Added' ? { total: s.total + e.data.n } : s),
  decide: (c, s) =>
    c.data.max !== undefined && s.total + c.data.n > c.data.max
      ? new DomainError('OVER_MAX', `total would be ${s.total + c.data.n}, above ${c.data.max}`)
      : [{ type: 'Added', data: { n: c.data.n } }],
};
const add = (n: number, commandId?: string, max?: number): Cmd => ({ type: 'Add', data: { n, max }, meta: { now: '2026-11-23T09:00:00Z', commandId, actorId: 'u1' } });

describe('handleCommand', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await createTestDatabase('handler');
    store = await PostgresEventStore.connect(db.url);
  });
  afterAll(async () => {
    await store.close();
    await db.close();
  });

  it('appends the decided events with command metadata and returns their positions', async () => {
    const r = await handleCommand(store, counter, 'a', add(2, 'cmd-a1'));
    expect(r.state.total).toBe(2);
    expect(r.events).toHaveLength(1);
    expect(r.events[0].metadata).toMatchObject({ commandId: 'cmd-a1', actorId: 'u1', occurredAt: '2026-11-23T09:00:00Z' });
    expect(r.position).toBe(r.events[0].position);
  });

  it('is idempotent by command id: the same command twice appends once and returns the first result', async () => {
    const first = await handleCommand(store, counter, 'b', add(5, 'cmd-b1'));
    const again = await handleCommand(store, counter, 'b', add(5, 'cmd-b1'));
    expect(again.repeated).toBe(true);
    expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(await store.readStream('counter-b')).toHaveLength(1);
  });

  it('two racing copies of one command append once', async () => {
    await Promise.allSettled([handleCommand(store, counter, 'c', add(1, 'cmd-c1')), handleCommand(store, counter, 'c', add(1, 'cmd-c1'))]);
    expect(await store.readStream('counter-c')).toHaveLength(1);
  });

  it('re-decides on a concurrent change instead of losing either command', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => handleCommand(store, counter, 'd', add(1, `cmd-d${i}`), { retries: 20 })));
    const events = await store.readStream('counter-d');
    expect(events).toHaveLength(8);
  });

  it('re-checks the rule after a conflict: concurrent adds cannot exceed the maximum', async () => {
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => handleCommand(store, counter, 'e', add(1, `cmd-e${i}`, 3), { retries: 20 })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const reasons = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
    expect(reasons.every((e) => e instanceof DomainError && e.code === 'OVER_MAX')).toBe(true);
    expect(reasons[0].reason).toMatch(/above 3/);
  });
});
