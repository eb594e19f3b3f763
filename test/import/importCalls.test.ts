import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { importFromCalls } from '../../src/import/importCalls.ts';
import { createTestDatabase } from '../support/db.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let store: PostgresEventStore;

beforeAll(async () => {
  db = await createTestDatabase('import_calls');
  store = await PostgresEventStore.connect(db.url);
});
afterAll(async () => {
  await store?.close();
  await db?.close();
});

const t = (minute: number) => `2026-03-02T02:${String(minute).padStart(2, '0')}:00.000Z`;
const inbound = (callId: string, phone: string, minute: number) =>
  store.append(`call-${callId}`, [{ type: 'CallReceived', data: { callId, at: t(minute), phone, did: '+864001234567', direction: 'inbound' } }]);
const add = (callId: string, type: string, minute: number, extra: Record<string, unknown> = {}) =>
  store.append(`call-${callId}`, [{ type, data: { callId, at: t(minute), ...extra } }]);
const types = async (phone: string) => (await store.readStream(`lead-${phone}`)).map((e) => [e.type, e.data.source]);

describe('leads from missed calls', () => {
  it('imports inbound calls that ended without an agent, once, and merges known numbers', async () => {
    await inbound('old', '+8613000130000', 1); // before `since`
    await add('old', 'CallAbandoned', 2, { waitedMs: 5000, reason: 'queue_timeout' });
    await inbound('a', '+8613000130001', 11);
    await add('a', 'CallAbandoned', 12, { waitedMs: 30000, reason: 'hung_up_before_agent' });
    await add('a', 'CallEnded', 12, { cause: 'NORMAL_CLEARING' });
    await inbound('b', '+8613000130002', 13);
    await add('b', 'CallBridged', 13, { agentId: 'agent-1' });
    await add('b', 'CallEnded', 20, { cause: 'NORMAL_CLEARING' });
    await inbound('c', '+8613000130003', 14); // still ringing
    await store.append('lead-+8613000130004', [{ type: 'LeadImported', data: { phone: '+8613000130004', at: t(0), rawPhone: '13000130004', source: 'file', fields: {} } }]);
    await inbound('d', '+8613000130004', 15);
    await add('d', 'CallEnded', 16, { cause: 'NO_ANSWER' });

    const r = await importFromCalls({ store, source: 'missed_call', since: new Date(t(10)) });
    expect(r).toMatchObject({ calls: 2, imported: 1, duplicates: 1, rejected: 0 });
    expect(await types('+8613000130001')).toEqual([['LeadImported', 'missed_call']]);
    expect((await store.readStream('lead-+8613000130001'))[0].data.fields).toEqual({ callId: 'a', callAt: t(11), did: '+864001234567' });
    expect(await types('+8613000130004')).toEqual([
      ['LeadImported', 'file'],
      ['LeadDuplicateMerged', 'missed_call'],
    ]);
    for (const none of ['+8613000130000', '+8613000130002', '+8613000130003']) expect(await types(none)).toEqual([]);

    const head = await store.headPosition();
    const again = await importFromCalls({ store, source: 'missed_call', since: new Date(t(10)) });
    expect(again).toMatchObject({ imported: 0, duplicates: 0, alreadyImported: 2 });
    expect(await store.headPosition()).toBe(head);
  });
});

describe('leads from the call log', () => {
  it('imports each number that called or was dialed once per run', async () => {
    const compliance = { allowed: true, reasons: [], inputs: {} };
    for (const [id, minute] of [['x1', 30], ['x2', 31]] as const) {
      await store.append(`call-${id}`, [{ type: 'CallDialAttempted', data: { callId: id, at: t(minute), phone: '+8613000130009', direction: 'outbound', attempt: 1, compliance } }]);
    }
    const r = await importFromCalls({ store, source: 'call_log', since: new Date(t(30)) });
    expect(r).toMatchObject({ calls: 1, imported: 1, rejected: 0 });
    expect(await types('+8613000130009')).toEqual([['LeadImported', 'call_log']]);
  });
});
