import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgPubSub, encodeNotice } from '../../src/projections/live/pgPubSub.ts';
import { InProcessPubSub } from '../../src/projections/live/pubsub.ts';
import type { ChangeNotice } from '../../src/projections/runtime/types.ts';
import { createTestDatabase } from '../support/db.ts';

const notice = (position: number, projection = 'floor'): ChangeNotice => ({ projection, position, changes: [{ table: 'agent', keys: [`a${position}`] }] });

describe('live pub/sub', () => {
  it('in process: listeners by projection, and `since` for a reconnecting client, until it is forgotten', async () => {
    const ps = new InProcessPubSub(3);
    const floor: number[] = [];
    const off = ps.subscribe((n) => floor.push(n.position), 'floor');
    await ps.publish([notice(1), notice(2, 'leads'), notice(3)]);
    off();
    await ps.publish([notice(4)]);
    expect(floor).toEqual([1, 3]);
    expect(ps.since(2)?.map((n) => n.position)).toEqual([3, 4]);
    expect(ps.since(2, 'leads')).toEqual([]);
    expect(ps.since(0)).toBeUndefined(); // position 1 was dropped: the client must refetch
  });

  describe('across processes (LISTEN/NOTIFY)', () => {
    let db: Awaited<ReturnType<typeof createTestDatabase>>;
    beforeAll(async () => {
      db = await createTestDatabase('proj_live');
    });
    afterAll(() => db.close());

    it('a notice published by one connection reaches another, in order', async () => {
      const api = await PgPubSub.connect(db.url);
      const worker = await PgPubSub.connect(db.url);
      const got: ChangeNotice[] = [];
      const arrived = new Promise<void>((resolve) => api.subscribe((n) => (got.push(n), n.position === 12 && resolve())));
      await worker.publish([notice(10), notice(11), notice(12)]);
      await arrived;
      expect(got.map((n) => n.position)).toEqual([10, 11, 12]);
      expect(api.since(10)?.map((n) => n.position)).toEqual([11, 12]);
      await api.close();
      await worker.close();
    });

    it('a notice too big for NOTIFY keeps its position and tables but drops the keys (meaning: refetch)', () => {
      const big: ChangeNotice = { projection: 'floor', position: 99, changes: [{ table: 'call', keys: Array.from({ length: 2000 }, (_, i) => `call-${i}`) }] };
      expect(JSON.parse(encodeNotice(big))).toEqual({ projection: 'floor', position: 99, changes: [{ table: 'call', keys: [] }] });
    });
  });
});
