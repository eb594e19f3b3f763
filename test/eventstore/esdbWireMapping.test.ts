import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EsdbEventStore } from '../../src/eventstore/esdb/esdbEventStore.ts';
import { StreamDeletedError, WrongExpectedRevisionError } from '../../src/eventstore/errors.ts';
import { eventHash } from '../../src/eventstore/hashChain.ts';
import type { RecordedEvent } from '../../src/eventstore/types.ts';
import { eventStoreContract } from './contract.ts';
import { EsdbStandIn } from './grpcStandIn/esdbStandIn.ts';

/*
 * Wire-mapping tests: our EventStoreDB adapter talks real gRPC to an in-process stand-in built from the
 * client package's own service definitions. They prove the translation of revisions, positions, errors
 * and filters; they say nothing about compatibility with a real EventStoreDB server.
 */

const ev = (type: string, data: Record<string, unknown> = {}) => ({ type, data, metadata: { actorId: 'tester' } });
const uniq = (p: string) => `${p}-${randomUUID()}`;

describe('esdb wire mapping', () => {
  let standIn: EsdbStandIn;
  let store: EsdbEventStore;
  beforeAll(async () => {
    standIn = new EsdbStandIn();
    store = await EsdbEventStore.connect(await standIn.start());
  });
  afterAll(async () => {
    await store?.close();
    await standIn?.stop();
  });

  const wireOf = (stream: string) => standIn.appendRequests.filter((r) => r.stream === stream).map((r) => r.expected);

  it('sends our 1-based expectations as ESDB 0-based revisions / no_stream', async () => {
    const s = uniq('lead');
    await store.append(s, [ev('LeadImported')], 'no-stream');
    await store.append(s, [ev('LeadAssigned'), ev('LeadClaimed')], 1);
    await store.append(s, [ev('LeadReleased')], 'any');
    await store.append(s, [ev('LeadRecycled')], 'stream-exists');
    expect(wireOf(s)).toEqual([
      { kind: 'no_stream' },
      { kind: 'revision', revision: 0n },
      // 'any' and 'stream-exists' still go out exact: the hash chain links to the event we read.
      { kind: 'revision', revision: 2n },
      { kind: 'revision', revision: 3n },
    ]);
    const events = await store.readStream(s);
    expect(events.map((e) => [e.type, e.revision])).toEqual([
      ['LeadImported', 1],
      ['LeadAssigned', 2],
      ['LeadClaimed', 3],
      ['LeadReleased', 4],
      ['LeadRecycled', 5],
    ]);
    expect(standIn.streams.get(s)!.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
  });

  it('maps the server-side conflict to WrongExpectedRevisionError: a dropped expectation option would let this append through', async () => {
    // @kurrent/kurrentdb-client renamed expectedRevision to streamState and ignores the old name. If that
    // ever happened here the wire would carry "any" and the stand-in would accept the stale append.
    const s = uniq('lead');
    await store.append(s, [ev('LeadImported')], 'no-stream');
    standIn.beforeAppend = (stream) => {
      standIn.beforeAppend = undefined;
      standIn.write(stream, 'LeadClaimed', { agent: 'other-process' }); // another writer wins the race
    };
    const attempt = store.append(s, [ev('LeadClaimed', { agent: 'me' })], 1);
    await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await expect(attempt).rejects.toMatchObject({ code: 'WRONG_EXPECTED_REVISION', expected: 1, actual: 2 });
    expect(wireOf(s).at(-1)).toEqual({ kind: 'revision', revision: 0n });
    expect((await store.readStream(s)).map((e) => e.data.agent)).toEqual([undefined, 'other-process']);
  });

  it('re-reads and retries an "any" append that lost a race, chaining to the winner', async () => {
    const s = uniq('call');
    await store.append(s, [ev('CallDialed')]);
    standIn.beforeAppend = (stream) => {
      standIn.beforeAppend = undefined;
      standIn.write(stream, 'CallRinging');
    };
    const r = await store.append(s, [ev('CallAnswered')], 'any');
    expect(r).toMatchObject({ nextRevision: 3, written: true });
    const events = await store.readStream(s);
    expect(events.map((e) => e.type)).toEqual(['CallDialed', 'CallRinging', 'CallAnswered']);
    expect(wireOf(s).slice(-2)).toEqual([
      { kind: 'revision', revision: 0n },
      { kind: 'revision', revision: 1n },
    ]);
  });

  it('reads events back with data, metadata, commit positions and the hash chain', async () => {
    const s = uniq('order');
    const r = await store.append(s, [ev('OrderPlaced', { total: 99, 备注: '货到付款' }), ev('OrderReviewed')], 'no-stream');
    const [a, b] = await store.readStream(s);
    const stored = standIn.streams.get(s)!;
    expect(a.data).toEqual({ total: 99, 备注: '货到付款' });
    expect(a.metadata).toEqual({ actorId: 'tester', schemaVersion: 1 }); // chain keys are lifted out
    expect([a.position, b.position]).toEqual(stored.map((e) => Number(e.position)));
    expect(r.position).toBe(b.position);
    expect(a.id).toBe(stored[0].id);
    expect(new Date(a.recordedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(a.prevHash).toBe('');
    expect(b.prevHash).toBe(a.hash);
    const recompute = (e: RecordedEvent) => eventHash({ prevHash: e.prevHash, streamId: e.streamId, revision: e.revision, id: e.id, type: e.type, data: e.data, metadata: e.metadata });
    expect(a.hash).toBe(recompute(a));
    expect(b.hash).toBe(recompute(b));
    const onWire = JSON.parse(Buffer.from(stored[1].customMetadata).toString('utf8'));
    expect(onWire['callstream.prevHash']).toBe(a.hash);
  });

  it('reads a stream that does not exist as empty, and reports a deleted stream', async () => {
    expect(await store.readStream(uniq('none'))).toEqual([]);
    const s = uniq('lead');
    await store.append(s, [ev('LeadImported')]);
    standIn.deleted.add(s);
    await expect(store.readStream(s)).rejects.toBeInstanceOf(StreamDeletedError);
    await expect(store.append(s, [ev('LeadAssigned')])).rejects.toBeInstanceOf(StreamDeletedError);
  });

  it('keeps ESDB system events out of reads, the head position and subscriptions', async () => {
    const tag = uniq('sys');
    const head = await store.headPosition();
    await store.append(`${tag}-1`, [ev('Mine')]);
    const mine = (await store.readStream(`${tag}-1`))[0];
    standIn.write('$stats-127.0.0.1:2113', '$statsCollected', { cpu: 3 });
    standIn.write(`${tag}-1`, '$metadata');
    const all = await store.readAll({ after: head });
    expect(all.map((e) => e.type)).toEqual(['Mine']);
    expect(await store.headPosition()).toBe(mine.position);
    const seen: RecordedEvent[] = [];
    const sub = store.subscribe((batch) => void seen.push(...batch), { after: head });
    await store.append(`${tag}-2`, [ev('AlsoMine')]);
    await expect.poll(() => seen.map((e) => e.type), { timeout: 5000 }).toEqual(['Mine', 'AlsoMine']);
    await sub.stop();
  });

  it('subscribes with an event-type filter sent to the server and checked again here', async () => {
    const tag = uniq('flt');
    const head = await store.headPosition();
    const seen: RecordedEvent[] = [];
    const sub = store.subscribe((batch) => void seen.push(...batch), { after: head, filter: { eventTypes: ['Wanted.V1'] } });
    await store.append(`${tag}-a`, [ev('WantedXV1'), ev('Wanted.V1', { n: 1 }), ev('Other')]);
    await store.append(`${tag}-b`, [ev('Wanted.V1', { n: 2 })]);
    await expect.poll(() => seen.map((e) => e.data.n), { timeout: 5000 }).toEqual([1, 2]);
    await sub.stop();
  });

  it('reports caught up from the head position when the server sends no CaughtUp (servers before 23.10)', async () => {
    const tag = uniq('old');
    await store.append(`${tag}-1`, [ev('A'), ev('B')]);
    const head = await store.headPosition();
    standIn.sendCaughtUp = false;
    try {
      const caughtUp: number[] = [];
      const sub = store.subscribe(() => {}, { after: head - 1, onCaughtUp: (p) => caughtUp.push(p) });
      await expect.poll(() => caughtUp.at(-1), { timeout: 5000 }).toBe(head);
      await sub.stop();
    } finally {
      standIn.sendCaughtUp = true;
    }
  });

  it('refuses commit positions beyond the safe-integer range instead of rounding them', async () => {
    const far = new EsdbStandIn(2n ** 53n + 10n);
    const farStore = await EsdbEventStore.connect(await far.start());
    try {
      await expect(farStore.append(uniq('lead'), [ev('LeadImported')])).rejects.toBeInstanceOf(RangeError);
      await expect(farStore.readAll()).rejects.toThrow(/safe integer/);
    } finally {
      await farStore.close();
      await far.stop();
    }
  });

  it('fails to connect with a clear error when nothing listens', async () => {
    await expect(EsdbEventStore.connect('esdb://127.0.0.1:1?tls=false')).rejects.toMatchObject({ code: 'EVENT_STORE_UNAVAILABLE' });
  });
});

// The shared contract, run over the stand-in: adapter behaviour end to end on the wire (not server semantics).
let contractStandIn: EsdbStandIn;
eventStoreContract(
  'esdb adapter over the in-process gRPC stand-in (wire mapping only)',
  async () => {
    contractStandIn = new EsdbStandIn();
    return EsdbEventStore.connect(await contractStandIn.start());
  },
  () => contractStandIn.stop(),
);
