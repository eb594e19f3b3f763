import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { verifyAll, verifyStream } from '../../src/eventstore/verify.ts';
import { createTestDatabase } from '../support/db.ts';

// Each test tampers with rows directly in PostgreSQL, as an insider with database access would.
describe('tamper evidence', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let n = 0;
  const fresh = async () => {
    const s = `lead-+86138001380${String(n++).padStart(2, '0')}`;
    await store.append(s, [
      { type: 'LeadImported', data: { source: 'file' } },
      { type: 'LeadClaimed', data: { agentId: 'a1' } },
      { type: 'DispositionRecorded', data: { code: 'SALE' } },
    ]);
    return s;
  };
  const rowOf = async (s: string, revision: number) =>
    (await store.query('SELECT position FROM events WHERE stream_id = $1 AND revision = $2', [s, revision])).rows[0].position;

  beforeAll(async () => {
    db = await createTestDatabase('verify');
    store = await PostgresEventStore.connect(db.url);
  });
  afterAll(async () => {
    await store.close();
    await db.close();
  });

  it('reports an intact chain for untouched streams and for the whole log', async () => {
    const s = await fresh();
    expect(await verifyStream(store, s)).toMatchObject({ ok: true, checked: 3 });
    expect((await verifyAll(store)).ok).toBe(true);
  });

  it('names an event whose data was altered', async () => {
    const s = await fresh();
    const pos = await rowOf(s, 2);
    await store.query(`UPDATE events SET data = '{"agentId":"a2"}' WHERE position = $1`, [pos]);
    const r = await verifyStream(store, s);
    expect(r.ok).toBe(false);
    expect(r.problem).toMatchObject({ kind: 'altered', streamId: s, revision: 2, position: Number(pos) });
    expect(r.summary).toContain('altered');
    const all = await verifyAll(store);
    expect(all.problem).toMatchObject({ kind: 'altered', streamId: s, revision: 2 });
    await store.query(`UPDATE events SET data = '{"agentId":"a1"}' WHERE position = $1`, [pos]);
    expect((await verifyStream(store, s)).ok).toBe(true);
  });

  it('names a removed event, in the middle and at the end of a stream', async () => {
    const s = await fresh();
    await store.query('DELETE FROM events WHERE stream_id = $1 AND revision = 2', [s]);
    expect((await verifyStream(store, s)).problem).toMatchObject({ kind: 'missing', streamId: s, revision: 2 });
    const t = await fresh();
    await store.query('DELETE FROM events WHERE stream_id = $1 AND revision = 3', [t]);
    expect((await verifyStream(store, t)).problem).toMatchObject({ kind: 'missing', streamId: t, revision: 3 });
  });

  it('names an inserted event even when the forger recomputed its own hash', async () => {
    const s = await fresh();
    const [first] = await store.readStream(s);
    const { eventHash } = await import('../../src/eventstore/hashChain.ts');
    // Shift the stream up and slip a forged event in at revision 2 with a self-consistent hash.
    await store.query('UPDATE events SET revision = revision + 10 WHERE stream_id = $1 AND revision >= 2', [s]);
    await store.query('UPDATE events SET revision = revision - 9 WHERE stream_id = $1 AND revision >= 12', [s]);
    const forged = { prevHash: 'f'.repeat(64), streamId: s, revision: 2, id: '00000000-0000-4000-8000-000000000001', type: 'LeadReleased', data: {}, metadata: { schemaVersion: 1 } };
    await store.query(
      `INSERT INTO events (event_id, stream_id, revision, type, data, metadata, prev_hash, hash) VALUES ($1,$2,2,$3,'{}',$4,$5,$6)`,
      [forged.id, s, forged.type, JSON.stringify(forged.metadata), forged.prevHash, eventHash(forged)],
    );
    const r = await verifyStream(store, s);
    expect(first.revision).toBe(1);
    expect(r.ok).toBe(false);
    expect(r.problem).toMatchObject({ kind: 'broken-link', streamId: s, revision: 2, eventId: forged.id });
  });
});
