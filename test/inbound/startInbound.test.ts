import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callStreamId } from '../../src/domain/call/streams.ts';
import type { TelephonyFact } from '../../src/telephony/esl/facts.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { seedServiceLine } from '../../src/floor/seedDemo.ts';
import { SERVICE_DID, SERVICE_IVR_ID, SERVICE_QUEUE_ID } from '../../src/inbound/startInbound.ts';
import { FreeSwitchSimulator } from '../../src/telephony/simulator/server.ts';
import { startTelephony, type Telephony } from '../../src/telephony/startTelephony.ts';
import { createTestDatabase } from '../support/db.ts';
import { until } from '../telephony/session/harness.ts';

let sim: FreeSwitchSimulator;
let store: PostgresEventStore;
let telephony: Telephony;
const lines: string[] = [];

beforeAll(async () => {
  const db = await createTestDatabase('start_inbound');
  store = await PostgresEventStore.connect(db.url);
  sim = await FreeSwitchSimulator.start({ timeScale: 50, heartbeatMs: 3_600_000, agentAnswerMs: 200 });
  // As with ESL_HOST: the call session alone, no demo floor and no simulated callers.
  telephony = await startTelephony({
    store,
    esl: { host: '127.0.0.1', port: sim.port, password: sim.password },
    dataDir: path.join(os.tmpdir(), `callstream-inbound-${process.pid}`),
    log: (l) => lines.push(l),
  });
});
afterAll(async () => {
  await telephony.stop();
  await sim.stop();
  await store.close();
});

describe('inbound on the call session', () => {
  it('a caller of the service number goes through the menu published in the log to an agent, with no demo floor running', async () => {
    await seedServiceLine(store);
    sim.switch.agents.set('2001', { answerMs: 200 });
    expect(await telephony.media.agentCommand('agent-svc', { type: 'LOGIN', extension: '2001' })).toBeUndefined();
    expect(await telephony.media.agentCommand('agent-svc', { type: 'READY' })).toBeUndefined();
    const prompts = new Map<string, string>();
    const onFact = (f: TelephonyFact) => void (f.kind === 'playback-started' && prompts.set(f.callId, f.path));
    telephony.esl.on('fact', onFact);
    const id = sim.inboundCall('13800138000', SERVICE_DID);
    try {
      await until('the menu prompt', () => prompts.get(id));
      expect(prompts.get(id)).toMatch(/^say:您好，欢迎致电服务热线/);
      sim.injectDtmf(id, '2');
      await until('bridged', () => telephony.media.endpoint(id)?.status === 'bridged');
    } finally {
      telephony.esl.off('fact', onFact);
    }
    const events = await store.readStream(callStreamId(id));
    expect(events.find((e) => e.type === 'IvrEntered')?.data).toMatchObject({ menuId: SERVICE_IVR_ID, version: 1 });
    expect(events.find((e) => e.type === 'IvrExited')?.data).toMatchObject({ target: { kind: 'queue', id: SERVICE_QUEUE_ID }, reason: 'KEY_PRESSED' });
    expect(events.find((e) => e.type === 'CallBridged')?.data).toMatchObject({ agentId: 'agent-svc' });
    expect(lines.some((l) => l.includes(id))).toBe(true);
  });
});
