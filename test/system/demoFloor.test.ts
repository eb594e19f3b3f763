import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startSystem, type RunningSystem } from '../../src/main.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { verifyAll } from '../../src/eventstore/verify.ts';
import { createTestDatabase } from '../support/db.ts';

// What `npm start` brings up, against a fresh database: the API answers, demo users can log in, the
// predictive dialer places calls through the simulator, bots take them and write dispositions.
describe('the live demo floor', () => {
  let system: RunningSystem;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  beforeAll(async () => {
    db = await createTestDatabase('floor');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'callstream-floor-'));
    const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', CALLSTREAM_DATA_DIR: dataDir });
    system = await startSystem(config, { log: () => {}, simulatorTimeScale: 30, bots: 4, leads: 60 });
  });
  afterAll(async () => {
    await system?.stop();
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is healthy and lets a demo supervisor log in over GraphQL', async () => {
    expect((await fetch(`${system.url}/health`)).status).toBe(200);
    const res = await fetch(`${system.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', variables: { u: 'supervisor', p: 'callstream-demo' } }),
    });
    const body = await res.json();
    expect(body.errors).toBeUndefined();
    expect(JSON.stringify(body.data)).toMatch(/token/);
  });

  it('shows a supervisor the bots on calls, with the call each is on (what listen / barge act on)', async () => {
    const gql = async (query: string, token?: string) =>
      (await fetch(`${system.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query }) })).json();
    const token = (await gql('mutation { login(username: "supervisor", password: "callstream-demo") { token } }')).data.login.token;
    const onCall = async () => {
      const r = await gql('{ agentStates { status currentCall { id } } }', token);
      expect(r.errors).toBeUndefined();
      return r.data.agentStates.filter((s: any) => s.status === 'ON_CALL' && s.currentCall?.id).length;
    };
    await expect.poll(onCall, { timeout: 60_000, interval: 500 }).toBeGreaterThan(0);
  });

  it('dials with a compliance receipt, bridges answered calls to bots, and records their dispositions', async () => {
    const store = await PostgresEventStore.connect(db.url);
    try {
      const count = async (type: string) => (await store.readAll({ maxCount: 100_000, filter: { eventTypes: [type] } })).length;
      await expect.poll(() => count('LeadDispositionRecorded'), { timeout: 60_000, interval: 1000 }).toBeGreaterThan(2);
      const dials = await store.readAll({ maxCount: 100_000, filter: { eventTypes: ['CallDialAttempted'] } });
      expect(dials.length).toBeGreaterThan(3);
      expect(dials[0].data.compliance).toMatchObject({ allowed: true, inputs: { rulesVersion: expect.stringMatching(/^campaign-[\w-]+@\d+$/), timeZone: 'Asia/Shanghai' } });
      // Leads come from the campaign's policy: a number is not dialed again before its retry delay (minutes).
      const phones = dials.map((e) => e.data.phone);
      expect(new Set(phones).size).toBe(phones.length);
      expect(dials[0].data.compliance).toMatchObject({ inputs: { dncListVersion: expect.stringMatching(/^dnc@\d+$/), abandonWindow: 'rolling 24h' } });
      expect(await count('CallBridged')).toBeGreaterThan(0);
      const chain = await verifyAll(store);
      expect(chain.ok).toBe(true);
    } finally {
      await store.close();
    }
  });
});
