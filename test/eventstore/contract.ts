import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WrongExpectedRevisionError } from '../../src/eventstore/errors.ts';
import type { EventStore, RecordedEvent } from '../../src/eventstore/types.ts';

const ev = (type: string, data: Record<string, unknown> = {}, id?: string) => ({ id, type, data, metadata: { actorId: 'tester' } });
const uniq = (p: string) => `${p}-${randomUUID()}`;

/**
 * The behaviour every event store adapter must have. Run it against each adapter unchanged:
 * `eventStoreContract('postgres', () => PostgresEventStore.connect(url))`.
 */
export function eventStoreContract(name: string, open: () => Promise<EventStore>, close?: () => Promise<void>) {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
      await close?.();
    });

    it('appends to a new stream and reads it back in order with 1-based revisions', async () => {
      const s = uniq('lead');
      const r = await store.append(s, [ev('LeadImported', { phone: '+8613800138000' }), ev('LeadAssigned', { agentId: 'a1' })], 'no-stream');
      expect(r).toMatchObject({ nextRevision: 2, written: true });
      const events = await store.readStream(s);
      expect(events.map((e) => [e.type, e.revision])).toEqual([['LeadImported', 1], ['LeadAssigned', 2]]);
      expect(events[0].data).toEqual({ phone: '+8613800138000' });
      expect(events[0].metadata.actorId).toBe('tester');
      expect(events[1].position).toBeGreaterThan(events[0].position);
      expect(r.position).toBe(events[1].position);
    });

    it('reads a stream backwards and from a revision', async () => {
      const s = uniq('call');
      await store.append(s, [1, 2, 3, 4].map((n) => ev('Tick', { n })));
      expect((await store.readStream(s, { direction: 'backwards', maxCount: 2 })).map((e) => e.data.n)).toEqual([4, 3]);
      expect((await store.readStream(s, { fromRevision: 3 })).map((e) => e.data.n)).toEqual([3, 4]);
      expect(await store.readStream(uniq('none'))).toEqual([]);
    });

    it('enforces expected revisions: no-stream, exact, stream-exists', async () => {
      const s = uniq('agent');
      await expect(store.append(s, [ev('X')], 'stream-exists')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await store.append(s, [ev('A')], 'no-stream');
      await expect(store.append(s, [ev('B')], 'no-stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(store.append(s, [ev('B')], 0)).rejects.toMatchObject({ code: 'WRONG_EXPECTED_REVISION', actual: 1 });
      await store.append(s, [ev('B')], 1);
      await store.append(s, [ev('C')], 'stream-exists');
      expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
    });

    it('lets exactly one of many racing writers with the same expected revision win', async () => {
      const s = uniq('lead');
      await store.append(s, [ev('LeadImported')]);
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => store.append(s, [ev('LeadClaimed', { agent: i })], 1)),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof WrongExpectedRevisionError)).toBe(true);
      expect(await store.readStream(s)).toHaveLength(2);
    });

    it('is idempotent by event id: the same append twice writes once', async () => {
      const s = uniq('order');
      const id = randomUUID();
      const first = await store.append(s, [ev('OrderPlaced', { total: 5 }, id)], 'no-stream');
      const again = await store.append(s, [ev('OrderPlaced', { total: 5 }, id)], 'no-stream');
      expect(again).toMatchObject({ written: false, position: first.position, nextRevision: 1 });
      expect(await store.readStream(s)).toHaveLength(1);
    });

    it('keeps a global log in increasing position order and filters it by prefix and type', async () => {
      const tag = randomUUID().slice(0, 8);
      const head = await store.headPosition();
      await store.append(`cmp${tag}-1`, [ev('CampaignCreated'), ev('CampaignStarted')]);
      await store.append(`lst${tag}-1`, [ev('ListAttached')]);
      await store.append(`cmp${tag}-2`, [ev('CampaignCreated')]);
      const all = await store.readAll({ after: head, maxCount: 100 });
      const ours = all.filter((e) => e.streamId.includes(tag));
      expect(ours.map((e) => e.type)).toEqual(['CampaignCreated', 'CampaignStarted', 'ListAttached', 'CampaignCreated']);
      for (let i = 1; i < all.length; i++) expect(all[i].position).toBeGreaterThan(all[i - 1].position);
      const byPrefix = await store.readAll({ after: head, filter: { streamPrefix: `cmp${tag}-` } });
      expect(byPrefix.map((e) => e.streamId)).toEqual([`cmp${tag}-1`, `cmp${tag}-1`, `cmp${tag}-2`]);
      const byType = await store.readAll({ after: head, filter: { eventTypes: ['ListAttached'] } });
      expect(byType.map((e) => e.streamId)).toEqual([`lst${tag}-1`]);
      expect(await store.headPosition()).toBe(all[all.length - 1].position);
    });

    it('subscribes from a position: catch-up then live, no gap and no duplicate under concurrent writers', async () => {
      const tag = uniq('sub');
      const start = await store.headPosition();
      await store.append(`${tag}-pre`, [ev('Before', { i: -1 })]);
      const seen: RecordedEvent[] = [];
      let caughtUp = false;
      const sub = store.subscribe(
        (batch) => {
          seen.push(...batch);
        },
        { after: start, filter: { streamPrefix: tag }, batchSize: 7, onCaughtUp: () => (caughtUp = true) },
      );
      const writers = Array.from({ length: 4 }, (_, w) =>
        (async () => {
          for (let i = 0; i < 25; i++) await store.append(`${tag}-w${w}`, [ev('Live', { w, i })]);
        })(),
      );
      await Promise.all(writers);
      await expect.poll(() => seen.length, { timeout: 15_000 }).toBe(101);
      await sub.stop();
      expect(caughtUp).toBe(true);
      const positions = seen.map((e) => e.position);
      expect(new Set(positions).size).toBe(positions.length);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      for (let w = 0; w < 4; w++) {
        expect(seen.filter((e) => e.data.w === w).map((e) => e.data.i)).toEqual(Array.from({ length: 25 }, (_, i) => i));
      }
    });

    it('stamps every event with a hash chained to the previous event of its stream', async () => {
      const s = uniq('lead');
      await store.append(s, [ev('A'), ev('B')]);
      await store.append(s, [ev('C')]);
      const [a, b, c] = await store.readStream(s);
      expect(a.prevHash).toBe('');
      expect(b.prevHash).toBe(a.hash);
      expect(c.prevHash).toBe(b.hash);
      expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    });
  });
}
