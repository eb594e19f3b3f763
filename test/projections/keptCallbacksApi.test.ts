import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionReadModels } from '../../src/api/projectionReadModels.ts';
import { startProjections, type ProjectionRunner } from '../../src/projections/index.ts';
import { startServer, type Harness } from '../api/harness.ts';

let h: Harness;
let runner: ProjectionRunner;
const at = (m: number) => `2026-11-23T02:${String(m).padStart(2, '0')}:00.000Z`;
const Q = '{ keptCallbacks(queueId: "kq-east", state: WAITING) { callId phone state tries lastOutcome lastCause nextTryAt departmentId } }';

beforeAll(async () => {
  h = await startServer(({ pool, store }) => ({ readModels: projectionReadModels(pool, store) }), 'api_kept_callbacks');
  runner = await startProjections({ pool: h.pool, store: h.store });
  await h.store.append('queue-kq-east', [{ type: 'QueueCreated', data: { queueId: 'kq-east', name: '售后', departmentId: 'east', config: {}, at: at(0) } }]);
  await h.store.append('call-k1', [
    { type: 'CallbackQueued', data: { callId: 'k1', phone: '+8613800138001', queueId: 'kq-east', at: at(1) } },
    { type: 'CallbackAttemptEnded', data: { callId: 'k1', phone: '+8613800138001', queueId: 'kq-east', callbackCallId: 'k1-t1', outcome: 'blocked', reasons: ['OUTSIDE_CALLING_HOURS'], tries: 0, maxTries: 3, retryAt: at(30), at: at(2) } },
  ]);
  const last = await h.store.append('call-k2', [
    { type: 'CallbackQueued', data: { callId: 'k2', phone: '+8613800138002', queueId: 'kq-east', at: at(3) } },
    { type: 'CallbackStarted', data: { callId: 'k2', phone: '+8613800138002', queueId: 'kq-east', agentId: 'agent-east', callbackCallId: 'k2-t1', at: at(4) } },
    { type: 'CallbackAttemptEnded', data: { callId: 'k2', phone: '+8613800138002', queueId: 'kq-east', callbackCallId: 'k2-t1', outcome: 'answered', tries: 1, maxTries: 3, retryAt: null, at: at(5) } },
  ]);
  await runner.waitFor(last.position);
});
afterAll(async () => {
  await runner?.stop();
  await h?.close();
});

describe('keptCallbacks over GraphQL', () => {
  it('a supervisor of the queue department sees its waiting callbacks, with the last try and the next', async () => {
    const r = await h.gql(Q, {}, await h.token('sup-east'));
    expect(r.errors).toBeUndefined();
    expect(r.data.keptCallbacks).toEqual([
      { callId: 'k1', phone: '+8613800138001', state: 'WAITING', tries: 0, lastOutcome: 'BLOCKED', lastCause: 'OUTSIDE_CALLING_HOURS', nextTryAt: at(30), departmentId: 'east' },
    ]);
    const answered = await h.gql('{ keptCallbacks(state: ANSWERED) { callId agentId tries } }', {}, await h.token('sup-east'));
    expect(answered.data.keptCallbacks).toEqual([{ callId: 'k2', agentId: 'agent-east', tries: 1 }]);
  });

  it('another department\'s supervisor gets none of them, even naming the queue', async () => {
    const r = await h.gql(Q, {}, await h.token('sup-west'));
    expect(r.errors).toBeUndefined();
    expect(r.data.keptCallbacks).toEqual([]);
  });
});
