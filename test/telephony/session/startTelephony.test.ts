import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../../src/commands/handleCommand.ts';
import { callStreamId } from '../../../src/domain/call/streams.ts';
import { queueDecider } from '../../../src/domain/queue/decider.ts';
import { PostgresEventStore } from '../../../src/eventstore/postgres/postgresEventStore.ts';
import { FreeSwitchSimulator } from '../../../src/telephony/simulator/server.ts';
import { startTelephony, type Telephony } from '../../../src/telephony/startTelephony.ts';
import { createTestDatabase } from '../../support/db.ts';
import { ALL_DAY } from '../../floor/support.ts';
import { until } from './harness.ts';

let sim: FreeSwitchSimulator;
let store: PostgresEventStore;
let telephony: Telephony;

beforeAll(async () => {
  const db = await createTestDatabase('start_telephony');
  store = await PostgresEventStore.connect(db.url);
  sim = await FreeSwitchSimulator.start({ timeScale: 50, heartbeatMs: 3_600_000, agentAnswerMs: 200 });
  telephony = await startTelephony({
    store,
    esl: { host: '127.0.0.1', port: sim.port, password: sim.password },
    dataDir: path.join(os.tmpdir(), `callstream-telephony-${process.pid}`),
    log: () => {},
    customerDial: (e164) => `sofia/gateway/trunk9/${e164.slice(1)}`,
  });
});
afterAll(async () => {
  await telephony.stop();
  await sim.stop();
  await store.close();
});

describe('startTelephony', () => {
  it('a kept callback dials the customer through the dial string it was given (the configured gateway)', async () => {
    const callId = randomUUID();
    const phone = '+8613800138055';
    sim.switch.customers.script('8613800138055', { kind: 'answer', ringMs: 200, talkMs: 60_000, machine: false, earlyMedia: false });
    // Callback hours all day: the test runs on the wall clock, whatever the hour in the callee's zone.
    const queueId = `q-${callId}`;
    const meta = { now: new Date().toISOString(), commandId: `cb-${callId}`, actorId: 'admin-1', actorRole: 'admin' };
    await handleCommand(store, queueDecider, queueId, { type: 'CreateQueue', data: { queueId, name: queueId, departmentId: 'd-1', config: { callbackHours: ALL_DAY } }, meta });
    // A caller of an earlier process left their number for a callback.
    await store.append(callStreamId(callId), [{ type: 'CallbackQueued', data: { callId, phone, queueId } }]);
    await until('callback kept', () => telephony.media.queues.started && telephony.media.queues.pendingCallbacks().some((c) => c.callId === callId));
    sim.switch.agents.set('2101', { answerMs: 200 });
    expect(await telephony.media.agentCommand('agent-cb', { type: 'LOGIN', extension: '2101' })).toBeUndefined();
    expect(await telephony.media.agentCommand('agent-cb', { type: 'READY' })).toBeUndefined();
    const started = await until('callback started', async () => (await store.readStream(callStreamId(callId))).find((e) => e.type === 'CallbackStarted'));
    const leg = (started.data as { callbackCallId: string }).callbackCallId;
    const channel = await until('customer dialed', () => sim.switch.channels.get(leg));
    expect(channel.name).toBe('sofia/gateway/trunk9/8613800138055');
  });
});
