import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionReadModels } from '../../src/api/projectionReadModels.ts';
import { startProjections, type ProjectionRunner } from '../../src/projections/index.ts';
import { startServer, type Harness } from './harness.ts';

let h: Harness;
let runner: ProjectionRunner;
const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;
const READ = '{ queue(id: "q-svc") { strategy overflow { afterSeconds kind targetId } serviceLevel { percent withinSeconds } announceEverySeconds } }';
const UPDATE = 'mutation($i: QueueInput!) { updateQueue(id: "q-svc", input: $i) { position } }';

beforeAll(async () => {
  h = await startServer(({ pool, store }) => ({ readModels: projectionReadModels(pool, store) }), 'api_queue_settings');
  runner = await startProjections({ pool: h.pool, store: h.store });
  for (const id of ['q-svc', 'q-backup']) {
    const r = await h.gql(`mutation { createQueue(id: "${id}", input: { name: "${id}", departmentId: "east" }) { position } }`, {}, await h.token('admin'));
    expect(r.errors).toBeUndefined();
  }
});
afterAll(async () => {
  await runner?.stop();
  await h?.close();
});

// An admin sets what the ACD runs on: strategy (sticky, least talk time included), overflow, service level target,
// position announcements; and reads them back as set.
describe('queue settings over GraphQL', () => {
  it('sets sticky routing, an overflow to another queue, a service level and announcements, and reads them back', async () => {
    const input = { name: 'q-svc', strategy: 'STICKY_LAST_AGENT', overflow: { afterSeconds: 60, kind: 'QUEUE', targetId: 'q-backup' }, serviceLevel: { percent: 90, withinSeconds: 15 }, announceEverySeconds: 30 };
    const r = await h.gql(UPDATE, { i: input }, await h.token('sup-east'));
    expect(r.errors).toBeUndefined();
    const q = (await h.gql(READ, {}, await h.token('sup-east'))).data.queue;
    expect(q).toEqual({ strategy: 'STICKY_LAST_AGENT', overflow: { afterSeconds: 60, kind: 'QUEUE', targetId: 'q-backup' }, serviceLevel: { percent: 90, withinSeconds: 15 }, announceEverySeconds: 30 });
  });

  it('least talk time and a voicemail overflow; a bad announcement interval is refused with its reason', async () => {
    const ok = await h.gql(UPDATE, { i: { name: 'q-svc', strategy: 'LEAST_TALK_TIME', overflow: { afterSeconds: 120, kind: 'VOICEMAIL' } } }, await h.token('admin'));
    expect(ok.errors?.[0]?.message).toBeUndefined();
    const q = (await h.gql(READ, {}, await h.token('admin'))).data.queue;
    expect(q).toMatchObject({ strategy: 'LEAST_TALK_TIME', overflow: { afterSeconds: 120, kind: 'VOICEMAIL', targetId: null } });
    const bad = await h.gql(UPDATE, { i: { name: 'q-svc', announceEverySeconds: 5 } }, await h.token('admin'));
    expect(code(bad)).toBe('ANNOUNCE_INVALID');
  });
  it('an update that leaves out the strategy and the max wait keeps them; a new queue without them gets longest idle and 120 s', async () => {
    const set = await h.gql(UPDATE, { i: { name: 'q-svc', strategy: 'ROUND_ROBIN', maxWaitSeconds: 240 } }, await h.token('admin'));
    expect(set.errors).toBeUndefined();
    const keep = await h.gql(UPDATE, { i: { name: 'q-svc', priority: 7 } }, await h.token('admin'));
    expect(keep.errors).toBeUndefined();
    const q = (await h.gql('{ queue(id: "q-svc") { strategy maxWaitSeconds priority } }', {}, await h.token('admin'))).data.queue;
    expect(q).toEqual({ strategy: 'ROUND_ROBIN', maxWaitSeconds: 240, priority: 7 });
    const fresh = (await h.gql('{ queue(id: "q-backup") { strategy maxWaitSeconds } }', {}, await h.token('admin'))).data.queue;
    expect(fresh).toEqual({ strategy: 'LONGEST_IDLE', maxWaitSeconds: 120 });
  });

  it('an overflow to an outside number is kept as E.164; a number that cannot be dialed is refused with the reason', async () => {
    const ok = await h.gql(UPDATE, { i: { name: 'q-svc', overflow: { afterSeconds: 90, kind: 'NUMBER', targetId: '010 6552 9988' } } }, await h.token('admin'));
    expect(ok.errors?.[0]?.message).toBeUndefined();
    const q = (await h.gql(READ, {}, await h.token('admin'))).data.queue;
    expect(q.overflow).toEqual({ afterSeconds: 90, kind: 'NUMBER', targetId: '+861065529988' });
    const bad = await h.gql(UPDATE, { i: { name: 'q-svc', overflow: { afterSeconds: 90, kind: 'NUMBER', targetId: '12' } } }, await h.token('admin'));
    expect(code(bad)).toBe('OVERFLOW_NUMBER_INVALID');
    expect(bad.errors?.[0]?.message).toMatch(/溢出转接号码无效 \/ Overflow number/);
  });
});
