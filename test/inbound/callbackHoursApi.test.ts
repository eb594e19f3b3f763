import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionReadModels } from '../../src/api/projectionReadModels.ts';
import { queueStreamId } from '../../src/domain/queue/streams.ts';
import { startProjections, type ProjectionRunner } from '../../src/projections/index.ts';
import { startServer, type Harness } from '../api/harness.ts';

let h: Harness;
let runner: ProjectionRunner;
const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;
const READ = '{ queue(id: "q-cb") { callbackHours { windows { days start end } timeZone } } }';
const UPDATE = 'mutation($i: QueueInput!) { updateQueue(id: "q-cb", input: $i) { position } }';

beforeAll(async () => {
  h = await startServer(({ pool, store }) => ({ readModels: projectionReadModels(pool, store) }), 'api_queue_callback_hours');
  runner = await startProjections({ pool: h.pool, store: h.store });
  const r = await h.gql('mutation { createQueue(id: "q-cb", input: { name: "回访 callbacks", departmentId: "east" }) { position } }', {}, await h.token('admin'));
  expect(r.errors).toBeUndefined();
});
afterAll(async () => {
  await runner?.stop();
  await h?.close();
});

// A floor sets when its kept callbacks may be tried, per queue; the session's compliance check of each try reads it.
describe('callback hours as a queue setting over GraphQL', () => {
  it('a new queue shows the default 09:00-21:00 every day', async () => {
    const q = (await h.gql(READ, {}, await h.token('sup-east'))).data.queue;
    expect(q.callbackHours).toEqual({ windows: [{ days: [1, 2, 3, 4, 5, 6, 0], start: '09:00', end: '21:00' }], timeZone: 'Asia/Shanghai' });
  });

  it('a supervisor sets 10:00-12:00 on weekdays; it is read back and recorded on the queue in the domain\'s weekdays', async () => {
    const r = await h.gql(UPDATE, { i: { name: 'q-cb', callbackHours: { windows: [{ days: [1, 2, 3, 4, 5], start: '10:00', end: '12:00' }, { days: [0], start: '14:00', end: '16:00' }] } } }, await h.token('sup-east'));
    expect(r.errors).toBeUndefined();
    const q = (await h.gql(READ, {}, await h.token('sup-east'))).data.queue;
    expect(q.callbackHours).toEqual({ windows: [{ days: [1, 2, 3, 4, 5], start: '10:00', end: '12:00' }, { days: [0], start: '14:00', end: '16:00' }], timeZone: 'Asia/Shanghai' });
    const last = (await h.store.readStream(queueStreamId('q-cb'))).at(-1)!;
    expect(last.data.config).toMatchObject({ callbackHours: { windows: [{ days: [1, 2, 3, 4, 5] }, { days: [7] }], timeZonePolicy: 'lead', timeZone: 'Asia/Shanghai' } });
    // Another change leaves the hours as they are.
    expect((await h.gql(UPDATE, { i: { name: 'q-cb', announceEverySeconds: 30 } }, await h.token('admin'))).errors).toBeUndefined();
    expect((await h.gql(READ, {}, await h.token('admin'))).data.queue.callbackHours.windows[0]).toEqual({ days: [1, 2, 3, 4, 5], start: '10:00', end: '12:00' });
  });

  it.each([
    [{ windows: [] }],
    [{ windows: [{ days: [1], start: '12:00', end: '10:00' }] }],
    [{ windows: [{ days: [1], start: '10:00', end: '12:00' }], timeZone: 'Mars/Olympus' }],
  ])('refuses %j with CALLBACK_HOURS_INVALID and its reason', async (callbackHours) => {
    const bad = await h.gql(UPDATE, { i: { name: 'q-cb', callbackHours } }, await h.token('admin'));
    expect(code(bad)).toBe('CALLBACK_HOURS_INVALID');
    expect(bad.errors?.[0]?.message).toMatch(/Callback hours: /);
  });
});
