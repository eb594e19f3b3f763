import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionReadModels } from '../../src/api/projectionReadModels.ts';
import { startProjections, type ProjectionRunner } from '../../src/projections/index.ts';
import { startServer, type Harness } from './harness.ts';

let h: Harness;
let runner: ProjectionRunner;
const at = (s: number) => new Date(Date.now() - 600_000 + s * 1000).toISOString();

async function inbound(callId: string, phone: string, end: { queueId?: string; answeredBy?: string; how: 'abandoned' | 'ended' }, s: number) {
  const ev: { type: string; data: Record<string, unknown> }[] = [{ type: 'CallReceived', data: { callId, phone, did: '4008001234', direction: 'inbound', at: at(s) } }];
  if (end.queueId) ev.push({ type: 'CallOffered', data: { callId, candidates: [], strategy: 'longest_idle', queueId: end.queueId, at: at(s + 1) } });
  if (end.answeredBy) ev.push({ type: 'CallBridged', data: { callId, agentId: end.answeredBy, at: at(s + 2) } });
  ev.push(end.how === 'abandoned' ? { type: 'CallAbandoned', data: { callId, waitedMs: 3000, reason: 'caller_hangup', at: at(s + 3) } } : { type: 'CallEnded', data: { callId, cause: 'NORMAL_CLEARING', at: at(s + 3) } });
  await h.store.append(`call-${callId}`, ev);
}

const M = 'mutation($s: DateTime!, $c: ID!) { importMissedCalls(since: $s, campaignId: $c) { streamId } }';

async function importFor(user: string, campaignId: string) {
  const r = await h.gql(M, { s: at(0), c: campaignId }, await h.token(user));
  expect(r.errors).toBeUndefined();
  const [finished] = await h.store.readStream(r.data.importMissedCalls.streamId);
  return finished.data as Record<string, any>;
}

const batchOf = async (phone: string) => (await h.store.readStream(`lead-${phone}`)).map((e) => (e.data as any).batchId ?? (e.data as any).fields?.callId).filter(Boolean);

beforeAll(async () => {
  h = await startServer(({ pool, store }) => ({ readModels: projectionReadModels(pool, store) }), 'api_missed_calls');
  runner = await startProjections({ pool: h.pool, store: h.store });
  for (const [id, dept, user] of [['q-east', 'east', 'sup-east'], ['q-west', 'west', 'sup-west']])
    expect((await h.gql(`mutation { createQueue(id: "${id}", input: { name: "${id}", departmentId: "${dept}" }) { position } }`, {}, await h.token(user))).errors).toBeUndefined();
  for (const [id, dept, user] of [['c-east', 'east', 'sup-east'], ['c-west', 'west', 'sup-west']])
    expect((await h.gql(`mutation { createCampaign(id: "${id}", input: { name: "${id}", dialMode: PREVIEW, departmentId: "${dept}" }) { position } }`, {}, await h.token(user))).errors).toBeUndefined();
  await inbound('m-east', '+8613100000001', { queueId: 'q-east', how: 'abandoned' }, 1);
  await inbound('m-west', '+8613100000002', { queueId: 'q-west', how: 'abandoned' }, 2);
  await inbound('m-ivr', '+8613100000003', { how: 'ended' }, 3);
  await inbound('m-ans', '+8613100000004', { queueId: 'q-east', answeredBy: 'agent-east', how: 'ended' }, 4);
  await runner.waitFor(await h.store.headPosition());
});
afterAll(async () => {
  await runner?.stop();
  await h?.close();
});

describe('importMissedCalls from the call records', () => {
  it('the call records know inbound callers (CallReceived)', async () => {
    const r = await h.gql('{ call(id: "m-ivr") { phoneDisplay direction } }', {}, await h.token('admin'));
    expect(r.data.call).toEqual({ phoneDisplay: '131 0000 0003', direction: 'INBOUND' });
  });

  it('takes the unanswered callers of the campaign department\'s queues and of no queue, not another department\'s, and a call the projection has not reached yet', async () => {
    // a call that ends while the projection is stopped: only the log after the checkpoint has it
    await runner.stop();
    await inbound('m-late', '+8613100000005', { queueId: 'q-east', how: 'abandoned' }, 5);
    const east = await importFor('sup-east', 'c-east');
    expect(east).toMatchObject({ source: 'missed_call', campaignId: 'c-east', rowsRead: 3, imported: 3 });
    expect(await batchOf('+8613100000001')).toContain('missed-c-east');
    expect(await batchOf('+8613100000003')).toContain('missed-c-east');
    expect(await batchOf('+8613100000005')).toContain('missed-c-east');
    expect(await h.store.readStream('lead-+8613100000002')).toEqual([]);
    expect(await h.store.readStream('lead-+8613100000004')).toEqual([]);
    runner = await startProjections({ pool: h.pool, store: h.store });
    await runner.waitFor(await h.store.headPosition());
    const west = await importFor('sup-west', 'c-west');
    // west's own missed caller, and the common line's caller (already a lead: merged, not imported twice)
    expect(west).toMatchObject({ rowsRead: 2, imported: 1 });
    expect(await batchOf('+8613100000002')).toContain('missed-c-west');
  });
});
