import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDepartment } from '../../src/api/auth/identity.ts';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { DEFAULT_QUEUE_CONFIG } from '../../src/domain/queue/decider.ts';
import { queueStreamId } from '../../src/domain/queue/streams.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';
import { callerWaits, createQueue, offers, readyAgent, registerAgent, uniqueAgents } from './inboundSupport.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor.close();
});

/**
 * A BPO floor: client A's department with a team under it (A1), client B's department beside it, and one agent
 * of each with the same skill. Returns the departments, the agents and the skill A's queues ask for.
 */
async function twoClients(): Promise<{ a: string; a1: string; b: string; ofA1: string; ofB: string; skill: string }> {
  const [a, a1, b] = ['a', 'a1', 'b'].map((n) => `d-${n}-${randomUUID().slice(0, 8)}`);
  await createDepartment(floor.store, { departmentId: a, name: 'Client A' });
  await createDepartment(floor.store, { departmentId: a1, name: 'Client A team 1', parentId: a });
  await createDepartment(floor.store, { departmentId: b, name: 'Client B' });
  const [ofA1, ofB] = uniqueAgents('a1', 'b');
  const skill = `product-${ofA1}`;
  await registerAgent(floor, ofA1, [{ skill, level: 5 }], a1);
  await registerAgent(floor, ofB, [{ skill, level: 9 }], b);
  return { a, a1, b, ofA1, ofB, skill };
}

describe("routing keeps a queue's callers in its department", () => {
  it("a skilled agent of another department is not offered the caller, and the record says why", async () => {
    const { a, b, ofB, skill } = await twoClients();
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }] }, a);
    await readyAgent(floor, ofB, '1002');

    const id = await callerWaits(floor, { queueId });
    expect(floor.server.endpoint(id)?.agentId).toBeUndefined();
    expect(await offers(floor, id)).toEqual([]);
    const deferred = (await floor.events(callStreamId(id))).find((e) => e.type === 'CallRoutingDeferred');
    expect(deferred?.data.reason).toContain('1 of another department');
    expect(deferred?.data.eligibility).toEqual([
      expect.objectContaining({ agentId: ofB, eligible: false, why: `OTHER_DEPARTMENT:${b}`, note: `other department ${b}` }),
    ]);
  });

  it("an agent of a department under the queue's takes the caller, though the other department's agent idled longer", async () => {
    const { a, b, ofA1, ofB, skill } = await twoClients();
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }] }, a);
    await readyAgent(floor, ofB, '1002');
    floor.clock.t += 5_000;
    await readyAgent(floor, ofA1, '1001');

    const id = await callerWaits(floor, { queueId });
    expect(floor.server.endpoint(id)?.agentId).toBe(ofA1);
    const [offer] = await offers(floor, id);
    expect(offer.data.winner).toBe(ofA1);
    expect(offer.data.eligibility).toEqual(expect.arrayContaining([
      expect.objectContaining({ agentId: ofA1, eligible: true }),
      expect.objectContaining({ agentId: ofB, eligible: false, why: `OTHER_DEPARTMENT:${b}` }),
    ]));
  });

  it("a queue of the team's department is not the parent department's agents' to take", async () => {
    const { a, a1, ofA1, skill } = await twoClients();
    const [ofA] = uniqueAgents('a');
    await registerAgent(floor, ofA, [{ skill, level: 5 }], a);
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }] }, a1);
    await readyAgent(floor, ofA, '1003');
    floor.clock.t += 5_000;
    await readyAgent(floor, ofA1, '1001');

    const id = await callerWaits(floor, { queueId });
    expect(floor.server.endpoint(id)?.agentId).toBe(ofA1);
    const [offer] = await offers(floor, id);
    expect(offer.data.eligibility).toEqual(expect.arrayContaining([expect.objectContaining({ agentId: ofA, why: `OTHER_DEPARTMENT:${a}` })]));
  });

  it('a queue the log gives no department is the whole floor\'s, as before', async () => {
    const { ofB, skill } = await twoClients();
    // Logged before queues had departments: QueueCreated without one.
    const queueId = `q-${randomUUID()}`;
    const config = { ...DEFAULT_QUEUE_CONFIG, skills: [{ skill, minLevel: 1 }] };
    await floor.store.append(queueStreamId(queueId), [{ type: 'QueueCreated', data: { queueId, at: new Date(floor.clock.now()).toISOString(), name: 'Old', config } }], 'no-stream');
    await floor.server.queues.sync();
    await readyAgent(floor, ofB, '1002');
    const id = await callerWaits(floor, { queueId });
    expect(floor.server.endpoint(id)?.agentId).toBe(ofB);
  });

  it("a kept callback of the queue waits for an agent of its department, not the other department's ready agent", async () => {
    const { a, ofA1, ofB, skill } = await twoClients();
    const skills = [{ skill, minLevel: 1 }];
    await floor.server.queues.start();
    const callbackQueue = await createQueue(floor, { skills }, a);
    const entry = await createQueue(floor, { skills, overflow: { afterSeconds: 20, target: { kind: 'callback', id: callbackQueue } } }, a);
    floor.sim.switch.customers.script('8613800138401', { kind: 'answer', ringMs: 200, talkMs: 5_000, machine: false, earlyMedia: false });
    await readyAgent(floor, ofB, '1002');

    // Nobody of the queue's department is logged in: the caller is kept for a callback at once.
    const kept = await callerWaits(floor, { queueId: entry }, '13800138401');
    await until('kept for a callback', async () => (await floor.types(callStreamId(kept))).includes('CallbackQueued'));
    await floor.server.dispatch();
    await floor.server.idle();
    expect(await floor.types(callStreamId(kept))).not.toContain('CallbackStarted');

    await readyAgent(floor, ofA1, '1001');
    const started = await until('callback started', async () => (await floor.events(callStreamId(kept))).find((e) => e.type === 'CallbackStarted'));
    expect(started.data).toMatchObject({ agentId: ofA1 });
  });
});
