import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';
import { callerWaits, createQueue, offers, readyAgent, registerAgent, uniqueAgents } from './inboundSupport.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor.close();
});

describe('inbound callers are routed by their queue, and every decision is recorded', () => {
  it('longest idle: the agent ready the longest gets the caller, with the reason on the call', async () => {
    const queueId = await createQueue(floor, { strategy: 'longest_idle' });
    const [early, late] = uniqueAgents('early', 'late');
    await readyAgent(floor, late, '1001');
    floor.clock.t += 5_000;
    await readyAgent(floor, early, '1002');
    // `late` takes a break and comes back: now `early` has been idle longest.
    floor.clock.t += 5_000;
    await floor.server.agentCommand(late, { type: 'NOT_READY', reasonCode: 'break' });
    await floor.server.agentCommand(late, { type: 'READY' });

    const id = await callerWaits(floor, { queueId });
    expect(floor.server.endpoint(id)?.agentId).toBe(early);
    const [offer] = await offers(floor, id);
    expect(offer.data).toMatchObject({ queueId, strategy: 'longest_idle', winner: early, reason: expect.stringContaining('the longest') });
    expect(offer.data.candidates).toEqual(expect.arrayContaining([early, late]));
  });

  it('a skill requirement excludes an agent and says why', async () => {
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill: 'mandarin', minLevel: 5 }] });
    const [novice, expert, none] = uniqueAgents('novice', 'expert', 'none');
    await registerAgent(floor, novice, [{ skill: 'mandarin', level: 3 }]);
    await registerAgent(floor, expert, [{ skill: 'mandarin', level: 7 }]);
    await registerAgent(floor, none, []);
    await readyAgent(floor, novice, '1001');
    await readyAgent(floor, none, '1003');
    floor.clock.t += 5_000;
    await readyAgent(floor, expert, '1002');

    const id = await callerWaits(floor, { queueId });
    expect(floor.server.endpoint(id)?.agentId).toBe(expert);
    const [offer] = await offers(floor, id);
    expect(offer.data.winner).toBe(expert);
    expect(offer.data.eligibility).toEqual(expect.arrayContaining([
      expect.objectContaining({ agentId: novice, eligible: false, why: 'LOW_SKILL:mandarin' }),
      expect.objectContaining({ agentId: none, eligible: false, why: 'MISSING_SKILL:mandarin' }),
      expect.objectContaining({ agentId: expert, eligible: true }),
    ]));
  });

  it('a caller nobody can take waits with the reason recorded, and is offered when a qualified agent is ready', async () => {
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill: 'cantonese', minLevel: 1 }] });
    const [other, able] = uniqueAgents('other', 'able');
    await registerAgent(floor, able, [{ skill: 'cantonese', level: 4 }]);
    await readyAgent(floor, other, '1001');
    const id = await callerWaits(floor, { queueId });
    expect(floor.server.endpoint(id)?.agentId).toBeUndefined();
    const deferred = (await floor.events(callStreamId(id))).filter((e) => e.type === 'CallRoutingDeferred');
    expect(deferred.map((e) => e.data.reason)).toEqual(['no qualified agent logged in']);
    await readyAgent(floor, able, '1002');
    expect(floor.server.endpoint(id)?.agentId).toBe(able);
  });

  it('a VIP caller is offered before callers who waited longer', async () => {
    const queueId = await createQueue(floor, { strategy: 'longest_idle' });
    const first = await callerWaits(floor, { queueId });
    floor.clock.t += 2_000;
    const vip = await callerWaits(floor, { queueId, priority: 10 });
    const [agent] = uniqueAgents('one');
    await readyAgent(floor, agent, '1001');
    expect(floor.server.endpoint(vip)?.agentId).toBe(agent);
    expect(floor.server.endpoint(first)?.agentId).toBeUndefined();
    expect((await offers(floor, vip))[0].data).toMatchObject({ priority: 10, waitedMs: 0 });
  });

  it('round robin rotates through the agents, not by idle time', async () => {
    // A skill of their own keeps agents that earlier tests left on the shared log (revived by their timers) out.
    const [a, b, c] = uniqueAgents('a', 'b', 'c');
    const skill = `rr-${a}`;
    const queueId = await createQueue(floor, { strategy: 'round_robin', skills: [{ skill, minLevel: 1 }] });
    for (const agent of [a, b, c]) await registerAgent(floor, agent, [{ skill, level: 5 }]);
    // Ready in the order c, b, a: longest idle would start with c.
    await readyAgent(floor, c, '1003', { answerMs: 50 });
    floor.clock.t += 1_000;
    await readyAgent(floor, b, '1002', { answerMs: 50 });
    floor.clock.t += 1_000;
    await readyAgent(floor, a, '1001', { answerMs: 50 });

    const winners: string[] = [];
    for (let i = 0; i < 4; i++) {
      const id = await callerWaits(floor, { queueId });
      await until('bridged', () => floor.server.endpoint(id)?.status === 'bridged');
      winners.push((await offers(floor, id))[0].data.winner as string);
      floor.sim.remoteHangup(id);
      await until('ended', async () => (await floor.types(callStreamId(id))).includes('CallEnded'));
      await floor.server.idle();
      await floor.advance(10_000); // wrap-up ends, the agent is ready again
    }
    expect(winners).toEqual([a, b, c, a]);
  });

  it('an offer the agent does not answer goes to the next agent, recorded as a new decision', async () => {
    const queueId = await createQueue(floor, { strategy: 'longest_idle' });
    const [sleepy, awake] = uniqueAgents('sleepy', 'awake');
    await readyAgent(floor, sleepy, '1001', { answer: false });
    floor.clock.t += 1_000;
    await readyAgent(floor, awake, '1002');
    const id = await callerWaits(floor, { queueId });
    expect(floor.server.endpoint(id)?.agentId).toBe(sleepy);
    await floor.advance(15_000); // the reservation expires
    await until('bridged to the next agent', () => floor.server.endpoint(id)?.status === 'bridged');
    expect((await offers(floor, id)).map((e) => e.data.winner)).toEqual([sleepy, awake]);
  });

  it('blended: a caller waiting on the line is offered before an older dialer call', async () => {
    const queueId = await createQueue(floor, { strategy: 'longest_idle' });
    const dialed = randomUUID();
    floor.sim.switch.customers.script('8613800138101', { kind: 'answer', ringMs: 100, talkMs: 60_000, machine: false, earlyMedia: false });
    await floor.server.dial({ callId: dialed, dial: 'sofia/gateway/trunk/8613800138101', campaignId: 'camp-1', connectRuleMs: 60_000 });
    await until('dialer call queued', () => floor.server.endpoint(dialed)?.status === 'queued');
    floor.clock.t += 1_000;
    const caller = await callerWaits(floor, { queueId });
    const [agent, second] = uniqueAgents('agent', 'second');
    await readyAgent(floor, agent, '1001');
    expect(floor.server.endpoint(caller)?.agentId).toBe(agent);
    expect(floor.server.endpoint(dialed)?.agentId).toBeUndefined();
    await readyAgent(floor, second, '1002');
    expect(floor.server.endpoint(dialed)?.agentId).toBe(second);
  });
});
