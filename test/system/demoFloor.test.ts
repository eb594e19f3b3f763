import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAll } from '../../src/eventstore/verify.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

// What `npm start` brings up, against a fresh database: the API answers, demo users can log in, the
// predictive dialer places calls through the simulator, bots take them and write dispositions.
describe('the live demo floor', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startTestSystem('floor', { simulatorTimeScale: 30, bots: 4, leads: 60 });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('is healthy and lets a demo supervisor log in over GraphQL', async () => {
    expect((await fetch(`${sys.url}/health`)).status).toBe(200);
    const body = await sys.gql('mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', {
      u: 'supervisor',
      p: 'callstream-demo',
    });
    expect(body.errors).toBeUndefined();
    expect(JSON.stringify(body.data)).toMatch(/token/);
  });

  it('shows a supervisor the bots on calls, with the call each is on (what listen / barge act on)', async () => {
    const token = await sys.login('supervisor');
    const onCall = async () => {
      const r = await sys.gql('{ agentStates { status currentCall { id } } }', undefined, token);
      expect(r.errors).toBeUndefined();
      return r.data.agentStates.filter((s: any) => s.status === 'ON_CALL' && s.currentCall?.id).length;
    };
    await expect.poll(onCall, { timeout: 60_000, interval: 500 }).toBeGreaterThan(0);
  });

  it('dials with a compliance receipt, bridges answered calls to bots, and records their dispositions', async () => {
    const store = sys.store;
    const count = async (type: string) =>
      (await store.readAll({ maxCount: 100_000, filter: { eventTypes: [type] } })).length;
    await expect.poll(() => count('LeadDispositionRecorded'), { timeout: 60_000, interval: 1000 }).toBeGreaterThan(2);
    const dials = await store.readAll({ maxCount: 100_000, filter: { eventTypes: ['CallDialAttempted'] } });
    expect(dials.length).toBeGreaterThan(3);
    expect(dials[0].data.compliance).toMatchObject({
      allowed: true,
      inputs: { rulesVersion: expect.stringMatching(/^campaign-[\w-]+@\d+$/), timeZone: 'Asia/Shanghai' },
    });
    // Leads come from the campaign's policy: a number is not dialed again before its retry delay (minutes).
    const phones = dials.map((e) => e.data.phone);
    expect(new Set(phones).size).toBe(phones.length);
    expect(dials[0].data.compliance).toMatchObject({
      inputs: { dncListVersion: expect.stringMatching(/^dnc@\d+$/), abandonWindow: 'rolling 24h' },
    });
    expect(await count('CallBridged')).toBeGreaterThan(0);
    const chain = await verifyAll(store);
    expect(chain.ok).toBe(true);
  });
});
