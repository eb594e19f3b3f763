import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionReadModels } from '../../src/api/projectionReadModels.ts';
import { queueStreamId } from '../../src/domain/queue/streams.ts';
import { rebuild, startProjections, type ProjectionRunner } from '../../src/projections/index.ts';
import { startServer, type Harness } from '../api/harness.ts';

// Queue and campaign priorities over GraphQL: set, read back, kept when an update leaves them out, refused with the
// domain's code and its reason (nothing recorded) when out of 1..10.

let h: Harness;
let sup: string;
let runner: ProjectionRunner;
const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;
const QUEUE = (id: string) => `{ queue(id: "${id}") { priority } }`;
const CREATE_QUEUE = 'mutation($id: ID!, $i: QueueInput!) { createQueue(id: $id, input: $i) { position } }';
const UPDATE_QUEUE = 'mutation($id: ID!, $i: QueueInput!) { updateQueue(id: $id, input: $i) { position } }';
const CREATE_CAMPAIGN = 'mutation($id: ID!, $i: CampaignInput!) { createCampaign(id: $id, input: $i) { position } }';
const UPDATE_CAMPAIGN = 'mutation($id: ID!, $i: CampaignInput!) { updateCampaign(id: $id, input: $i) { position } }';
const base = { name: '混合外呼 blend', dialMode: 'PREDICTIVE', departmentId: 'east' };

async function campaignPriority(id: string): Promise<number> {
  await rebuild('all', { pool: h.pool, store: h.store });
  return (await h.gql(`{ campaign(id: "${id}") { priority } }`, {}, sup)).data.campaign.priority;
}

beforeAll(async () => {
  h = await startServer(({ pool, store }) => ({ readModels: projectionReadModels(pool, store) }), 'api_priority');
  runner = await startProjections({ pool: h.pool, store: h.store });
  sup = await h.token('sup-east');
});
afterAll(async () => {
  await runner?.stop();
  await h?.close();
});

describe('queue priority over GraphQL', () => {
  it('a new queue ranks 5; a VIP line is set to 8, read back, and kept by an update that leaves it out', async () => {
    expect((await h.gql(CREATE_QUEUE, { id: 'q-general', i: { name: '普通线 general', departmentId: 'east' } }, sup)).errors).toBeUndefined();
    expect((await h.gql(QUEUE('q-general'), {}, sup)).data.queue.priority).toBe(5);
    expect((await h.gql(CREATE_QUEUE, { id: 'q-vip', i: { name: 'VIP 专线', departmentId: 'east', priority: 8 } }, sup)).errors).toBeUndefined();
    expect((await h.gql(QUEUE('q-vip'), {}, sup)).data.queue.priority).toBe(8);
    expect((await h.gql(UPDATE_QUEUE, { id: 'q-vip', i: { name: 'VIP 专线', maxWaitSeconds: 200 } }, sup)).errors).toBeUndefined();
    expect((await h.gql(QUEUE('q-vip'), {}, sup)).data.queue.priority).toBe(8);
    expect((await h.store.readStream(queueStreamId('q-vip'))).at(-1)!.data.config).toMatchObject({ priority: 8, maxWaitSeconds: 200 });
  });

  it.each([0, 11])('refuses priority %i with QUEUE_PRIORITY_INVALID and why; the queue keeps its priority', async (priority) => {
    const before = (await h.store.readStream(queueStreamId('q-vip'))).length;
    const r = await h.gql(UPDATE_QUEUE, { id: 'q-vip', i: { name: 'VIP 专线', priority } }, sup);
    expect(code(r)).toBe('QUEUE_PRIORITY_INVALID');
    expect(r.errors![0].message).toMatch(/队列优先级为 1 到 10 的整数 \/ Queue priority is a whole number from 1 to 10/);
    expect(await h.store.readStream(queueStreamId('q-vip'))).toHaveLength(before);
    expect((await h.gql(QUEUE('q-vip'), {}, sup)).data.queue.priority).toBe(8);
  });
});

describe('campaign priority over GraphQL', () => {
  it('a new campaign ranks 5; set to 8 it reads back 8, and an update without it keeps it', async () => {
    expect((await h.gql(CREATE_CAMPAIGN, { id: 'cp-1', i: base }, sup)).errors).toBeUndefined();
    expect(await campaignPriority('cp-1')).toBe(5);
    expect((await h.gql(UPDATE_CAMPAIGN, { id: 'cp-1', i: { ...base, priority: 8 } }, sup)).errors).toBeUndefined();
    expect(await campaignPriority('cp-1')).toBe(8);
    expect((await h.gql(UPDATE_CAMPAIGN, { id: 'cp-1', i: { ...base, maxAttempts: 4 } }, sup)).errors).toBeUndefined();
    expect(await campaignPriority('cp-1')).toBe(8);
  });

  it('refuses priority 12 with CAMPAIGN_PRIORITY_INVALID and why, on create and update, recording nothing', async () => {
    const created = await h.gql(CREATE_CAMPAIGN, { id: 'cp-bad', i: { ...base, priority: 12 } }, sup);
    expect(code(created)).toBe('CAMPAIGN_PRIORITY_INVALID');
    expect(created.errors![0].message).toMatch(/项目优先级为 1 到 10 的整数 \/ Campaign priority is a whole number from 1 to 10/);
    expect(await h.store.readStream('campaign-cp-bad')).toEqual([]);
    const before = (await h.store.readStream('campaign-cp-1')).length;
    expect(code(await h.gql(UPDATE_CAMPAIGN, { id: 'cp-1', i: { ...base, priority: 0 } }, sup))).toBe('CAMPAIGN_PRIORITY_INVALID');
    expect(await h.store.readStream('campaign-cp-1')).toHaveLength(before);
  });
});
