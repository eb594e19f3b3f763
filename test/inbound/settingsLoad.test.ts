import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppendResult, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, ReadStreamOptions, RecordedEvent, SubscribeOptions, Subscription } from '../../src/eventstore/types.ts';
import { recover } from '../../src/telephony/recovery/reconcile.ts';
import { callerWaits, createQueue, offers, readyAgent, registerAgent, uniqueAgents } from '../acd/inboundSupport.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';

/**
 * The session's view of the real store, with a gate on reads of queue settings (QueueCreated): closed, those
 * reads wait, as a slow database would make them. Everything else goes straight to PostgreSQL.
 */
class SlowQueueSettings implements EventStore {
  target?: EventStore;
  private bound = Promise.withResolvers<void>();
  private gate?: PromiseWithResolvers<void>;

  bind(store: EventStore): void {
    this.target = store;
    this.bound.resolve();
  }

  closeGate(): void {
    this.gate = Promise.withResolvers<void>();
  }

  openGate(): void {
    this.gate?.resolve();
    this.gate = undefined;
  }

  /** Reads of queue settings held at the gate right now. */
  held = 0;
  /** The next this many reads of queue settings fail, as with the database away. */
  failReads = 0;

  private async store(): Promise<EventStore> {
    await this.bound.promise;
    return this.target!;
  }

  async append(streamId: string, events: NewEvent[], expected?: ExpectedRevision): Promise<AppendResult> {
    return (await this.store()).append(streamId, events, expected);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return (await this.store()).readStream(streamId, options);
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    const store = await this.store();
    if (this.failReads > 0 && options?.filter?.eventTypes?.includes('QueueCreated')) {
      this.failReads--;
      throw new Error('queue settings: database away');
    }
    if (this.gate && options?.filter?.eventTypes?.includes('QueueCreated')) {
      this.held++;
      await this.gate.promise;
      this.held--;
    }
    return store.readAll(options);
  }

  subscribe(handler: (events: RecordedEvent[]) => Promise<void> | void, options?: SubscribeOptions): Subscription {
    return this.target!.subscribe(handler, options);
  }

  async headPosition(): Promise<number> {
    return (await this.store()).headPosition();
  }

  async close(): Promise<void> {}
}

let floor: Floor;
let slow: SlowQueueSettings;
beforeEach(async () => {
  slow = new SlowQueueSettings();
  floor = await openFloor({ store: slow });
  slow.bind(floor.store);
});
afterEach(async () => {
  slow.openGate();
  await floor.close();
});

describe('inbound callers after a restart, while the queue settings are still loading', () => {
  it('wait: an agent without the queue\'s required skill is not offered the caller; once loaded, the skilled agent is', async () => {
    const [unskilled, skilled] = uniqueAgents('unskilled', 'skilled');
    const skill = `billing-${skilled}`;
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 3 }], maxWaitSeconds: 600 });
    await registerAgent(floor, unskilled, []);
    await registerAgent(floor, skilled, [{ skill, level: 5 }]);
    const caller = await callerWaits(floor, { queueId });
    expect(floor.server.endpoint(caller)?.agentId).toBeUndefined();

    slow.closeGate();
    await floor.restartProcess();
    await recover(floor.server);
    await until('settings load under way', () => slow.held > 0);
    // Only the agent without the skill is free while the settings load (with the defaults, anyone would do).
    await readyAgent(floor, unskilled, '2001');
    await floor.server.idle();
    expect(floor.server.endpoint(caller)?.agentId).toBeUndefined();
    await readyAgent(floor, skilled, '2002');
    await floor.server.idle();
    expect(floor.server.endpoint(caller)?.agentId).toBeUndefined();
    expect(await offers(floor, caller)).toEqual([]);

    slow.openGate();
    const [offer] = await until('the caller is offered', async () => {
      const recorded = await offers(floor, caller);
      return recorded.length > 0 && recorded;
    });
    expect(floor.server.endpoint(caller)?.agentId).toBe(skilled);
    expect(offer.data).toMatchObject({ queueId, winner: skilled });
    expect((offer.data.eligibility as Array<{ agentId: string; eligible: boolean }>).find((c) => c.agentId === unskilled)).toMatchObject({ eligible: false });
  });

  it('a load that fails is tried again at the next dispatch: the caller is routed, and the failure is reported', async () => {
    const [agent] = uniqueAgents('after-failure');
    const skill = `claims-${agent}`;
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 2 }], maxWaitSeconds: 600 });
    await registerAgent(floor, agent, [{ skill, level: 4 }]);
    const caller = await callerWaits(floor, { queueId });

    slow.failReads = 1;
    await floor.restartProcess();
    await recover(floor.server);
    await until('the failed load reported', () => floor.errors.some((e) => String((e as Error)?.message).includes('database away')));
    expect(floor.server.queues.started).toBe(false);

    await readyAgent(floor, agent, '2003');
    const [offer] = await until('the caller is offered', async () => {
      const recorded = await offers(floor, caller);
      return recorded.length > 0 && recorded;
    });
    expect(offer.data).toMatchObject({ queueId, winner: agent });
    expect(floor.server.queues.started).toBe(true);
  });
});
