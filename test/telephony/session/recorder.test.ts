import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../../src/commands/handleCommand.ts';
import { DomainError } from '../../../src/domain/decider.ts';
import { agentStatus } from '../../../src/domain/machines/agentMachine.ts';
import { agentMachineDecider } from '../../../src/domain/machines/deciders.ts';
import { PostgresEventStore } from '../../../src/eventstore/postgres/postgresEventStore.ts';
import type { EventStore } from '../../../src/eventstore/types.ts';
import { Recorder } from '../../../src/telephony/session/recorder.ts';
import { createTestDatabase } from '../../support/db.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let store: EventStore;
beforeAll(async () => {
  db = await createTestDatabase('recorder');
  store = await PostgresEventStore.connect(db.url);
});
afterAll(async () => {
  await store?.close();
  await db?.close();
});

const now = () => Date.parse('2026-11-23T09:00:00Z');

describe('session recorder', () => {
  it('decides on fresh state when another writer changed the stream behind its cache', async () => {
    const recorder = new Recorder(store, now);
    await recorder.agent('r1', { type: 'LOGIN', extension: '1001' });
    await recorder.agent('r1', { type: 'READY' });
    // Another process (the agent desk API) sets the agent not ready.
    await handleCommand(store, agentMachineDecider('r1'), 'r1', {
      type: 'AgentMachine', data: { event: { type: 'NOT_READY', reasonCode: 'meeting' } }, meta: { now: new Date(now()).toISOString() },
    });
    const offered = await recorder.agent('r1', { type: 'OFFER', callId: 'c1' });
    expect(offered).toBeInstanceOf(DomainError);
    expect((offered as DomainError).reason).toMatch(/not-ready/);
    const types = (await store.readStream('agent-r1')).map((e) => e.type);
    expect(types).toEqual(['AgentLoggedIn', 'AgentReady', 'AgentNotReady']);
    // And the next command works on the refreshed state.
    const ready = await recorder.agent('r1', { type: 'READY' });
    expect(agentStatus((ready as { snapshot: Parameters<typeof agentStatus>[0] }).snapshot)).toBe('ready');
    expect((await store.readStream('agent-r1')).map((e) => e.revision)).toEqual([1, 2, 3, 4]);
  });

  it('notes (recording, monitoring) keep the cache valid and are stored with actor and reason', async () => {
    const recorder = new Recorder(store, now);
    await recorder.call('n1', { type: 'RINGING' });
    await recorder.note('call-n1', 'CallMonitored', { callId: 'n1', mode: 'listen', supervisorId: 's1' }, { actorId: 's1', actorRole: 'supervisor', reason: 'QA' });
    const answered = await recorder.call('n1', { type: 'ANSWERED', answeredBy: 'human' });
    expect(answered).not.toBeInstanceOf(DomainError);
    const events = await store.readStream('call-n1');
    expect(events.map((e) => e.type)).toEqual(['CallRinging', 'CallMonitored', 'CallAnswered']);
    expect(events[1].metadata).toMatchObject({ actorId: 's1', actorRole: 'supervisor', reason: 'QA' });
  });
});
