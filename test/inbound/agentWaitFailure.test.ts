/**
 * A wait that cannot be set up (the store fails while the caller is being asked) leaves no hold behind: the
 * caller goes to the queue and their agent, once ready, serves it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundRules } from '../../src/acd/inboundRouting.ts';
import { callStreamId } from '../../src/domain/call/streams.ts';
import type { AppendResult, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, ReadStreamOptions, RecordedEvent, SubscribeOptions, Subscription } from '../../src/eventstore/types.ts';
import type { Inbound } from '../../src/inbound/startInbound.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';
import { allDayRules, startRouting } from './ivrSupport.ts';

/** The real store, except that appends of `failType` fail `failures` times (the database away for a moment). */
class FailingAppends implements EventStore {
  target?: EventStore;
  failType = '';
  failures = 0;

  bind(store: EventStore): void {
    this.target = store;
  }

  async append(streamId: string, events: NewEvent[], expected?: ExpectedRevision): Promise<AppendResult> {
    if (this.failures > 0 && events.some((e) => e.type === this.failType)) {
      this.failures--;
      throw new Error(`${this.failType}: database away`);
    }
    return this.target!.append(streamId, events, expected);
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.target!.readStream(streamId, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.target!.readAll(options);
  }

  subscribe(handler: (events: RecordedEvent[]) => Promise<void> | void, options?: SubscribeOptions): Subscription {
    return this.target!.subscribe(handler, options);
  }

  headPosition(): Promise<number> {
    return this.target!.headPosition();
  }

  async close(): Promise<void> {}
}

const DID = '+862180000076';
const QUEUE = `q-${randomUUID()}`;
const rules = (): InboundRules => allDayRules('wait-fail-1', { [DID]: { kind: 'queue', id: QUEUE } }, { kind: 'queue', id: QUEUE }, { stickyToLastAgent: true, agentWaitSeconds: 30 });

let floor: Floor;
let inbound: Inbound;
let store: FailingAppends;
beforeAll(async () => {
  store = new FailingAppends();
  // The wrapper is bound before anything reads or writes (openFloor only connects).
  floor = await openFloor({ store });
  store.bind(floor.store);
  inbound = await startRouting(floor, rules);
});
afterAll(async () => {
  await inbound.stop();
  await floor.close();
});

describe('a wait that cannot be set up', () => {
  it('the offer cannot be recorded: no hold is left; the caller is queued and the agent, once ready, takes them', async () => {
    const agentId = `a-${randomUUID()}`;
    floor.sim.switch.agents.set('5301', { answerMs: 200 });
    expect(await floor.server.agentCommand(agentId, { type: 'LOGIN', extension: '5301' })).toBeUndefined();
    const local = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const before = randomUUID();
    const at = new Date(floor.clock.now() - 86_400_000).toISOString();
    await floor.store.append(callStreamId(before), [
      { type: 'CallReceived', data: { callId: before, at, phone: `+86${local}`, did: DID, direction: 'inbound' } },
      { type: 'CallBridged', data: { callId: before, at, agentId } },
      { type: 'CallEnded', data: { callId: before, at, cause: 'NORMAL_CLEARING', hangupBy: 'caller' } },
    ], 'any');

    store.failType = 'CallAgentWaitOffered';
    store.failures = 1;
    const id = floor.sim.inboundCall(local, DID);
    await until('queued', async () => (await floor.types(callStreamId(id))).includes('CallQueued'));
    expect(floor.errors.some((e) => String((e as Error)?.message).includes('CallAgentWaitOffered: database away'))).toBe(true);
    expect(floor.server.heldAgents().size).toBe(0);
    expect(await floor.server.agentCommand(agentId, { type: 'READY' })).toBeUndefined();
    const offered = await until('offered', async () => (await floor.events(callStreamId(id))).find((e) => e.type === 'CallOffered'));
    expect(offered.data).toMatchObject({ winner: agentId, queueId: QUEUE });
    floor.sim.remoteHangup(id);
  });
});
