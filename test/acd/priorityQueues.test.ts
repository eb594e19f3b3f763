import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueStreamId } from '../../src/domain/queue/streams.ts';
import { DEFAULT_QUEUE_CONFIG } from '../../src/domain/queue/decider.ts';
import { openFloor, type Floor } from '../telephony/session/harness.ts';
import { callerWaits, createQueue, offers, readyAgent, registerAgent, uniqueAgents } from './inboundSupport.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor.close();
});

/** A skill of the test's own keeps agents that earlier tests left on the shared log out of these queues. */
async function twoQueueAgent(): Promise<{ agent: string; skill: string }> {
  const [agent] = uniqueAgents('both');
  const skill = `lines-${agent}`;
  await registerAgent(floor, agent, [{ skill, level: 5 }]);
  // Callers are ranked once the queues' settings are loaded (the first catch-up of the log; slow on a busy machine).
  await floor.server.queues.start();
  return { agent, skill };
}

describe('queue priority: an agent in several queues takes the higher queue first', () => {
  it('the VIP line (8) is served before the general line (5) though the general caller waited longer; CallOffered says so', async () => {
    const { agent, skill } = await twoQueueAgent();
    const skills = [{ skill, minLevel: 1 }];
    const general = await createQueue(floor, { skills, priority: 5 });
    const vipLine = await createQueue(floor, { skills, priority: 8 });
    const waitedLong = await callerWaits(floor, { queueId: general });
    floor.clock.t += 30_000;
    const vipCaller = await callerWaits(floor, { queueId: vipLine });

    await readyAgent(floor, agent, '1001');
    expect(floor.server.endpoint(vipCaller)?.agentId).toBe(agent);
    expect(floor.server.endpoint(waitedLong)?.agentId).toBeUndefined();
    const [offer] = await offers(floor, vipCaller);
    expect(offer.data).toMatchObject({ queueId: vipLine, queuePriority: 8, priority: 0, winner: agent, waitedMs: 0 });
    expect(await offers(floor, waitedLong)).toEqual([]);
  });

  it('a VIP caller of the lower queue waits behind a plain caller of the higher queue (queue priority before caller priority)', async () => {
    const { agent, skill } = await twoQueueAgent();
    const skills = [{ skill, minLevel: 1 }];
    const general = await createQueue(floor, { skills });
    const priorityLine = await createQueue(floor, { skills, priority: 6 });
    const vipInGeneral = await callerWaits(floor, { queueId: general, priority: 10 });
    floor.clock.t += 1_000;
    const plain = await callerWaits(floor, { queueId: priorityLine });

    await readyAgent(floor, agent, '1001');
    expect(floor.server.endpoint(plain)?.agentId).toBe(agent);
    expect(floor.server.endpoint(vipInGeneral)?.agentId).toBeUndefined();
  });

  it('a queue logged before priorities existed ranks 5: by the wait against another queue of 5, below one of 6', async () => {
    const { agent, skill } = await twoQueueAgent();
    const skills = [{ skill, minLevel: 1 }];
    // An old log: the config as it was written before the field existed.
    const old = `q-${randomUUID()}`;
    const at = new Date(floor.clock.now()).toISOString();
    await floor.store.append(queueStreamId(old), [{ type: 'QueueCreated', data: { queueId: old, at, name: 'Old', departmentId: 'd-1', config: { ...DEFAULT_QUEUE_CONFIG, skills } } }], 'no-stream');
    await floor.server.queues.sync();
    const five = await createQueue(floor, { skills, priority: 5 });
    const six = await createQueue(floor, { skills, priority: 6 });

    const fromOld = await callerWaits(floor, { queueId: old });
    floor.clock.t += 1_000;
    const fromFive = await callerWaits(floor, { queueId: five });
    floor.clock.t += 1_000;
    const fromSix = await callerWaits(floor, { queueId: six });

    await readyAgent(floor, agent, '1001');
    expect(floor.server.endpoint(fromSix)?.agentId).toBe(agent);
    // The next agent able to take these queues gets the old queue's caller: same rank as five, waited longer.
    const [second] = uniqueAgents('second');
    await registerAgent(floor, second, [{ skill, level: 5 }]);
    await readyAgent(floor, second, '1002');
    expect(floor.server.endpoint(fromOld)?.agentId).toBe(second);
    expect(floor.server.endpoint(fromFive)?.agentId).toBeUndefined();
    expect((await offers(floor, fromOld))[0].data).toMatchObject({ queueId: old, queuePriority: 5 });
  });
});
