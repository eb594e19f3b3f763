import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { peopleFirst } from '../../src/floor/peopleFirst.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';
import { callerWaits, createQueue, offers, readyAgent, registerAgent, uniqueAgents } from './inboundSupport.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor.close();
});

describe('people before bots on the demo floor', () => {
  it('an inbound caller goes to the ready person though a bot idled longer; with the person busy, to the bot', async () => {
    const [bot, person] = uniqueAgents('bot', 'person');
    const skill = `svc-${bot}`;
    for (const a of [bot, person]) await registerAgent(floor, a, [{ skill, level: 5 }]);
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }] });
    peopleFirst(floor.server.agents, [bot]);
    await readyAgent(floor, bot, '1001');
    floor.clock.t += 5_000;
    await readyAgent(floor, person, '1002');

    const first = await callerWaits(floor, { queueId });
    expect((await offers(floor, first))[0].data).toMatchObject({ winner: person, reason: expect.stringContaining('preferred group 0 first') });
    const second = await callerWaits(floor, { queueId });
    expect((await offers(floor, second))[0].data).toMatchObject({ winner: bot });
  });

  it('a dialer call goes to the ready person first too', async () => {
    const [bot, person] = uniqueAgents('bot', 'person');
    peopleFirst(floor.server.agents, [bot]);
    await readyAgent(floor, bot, '1001');
    floor.clock.t += 5_000;
    await readyAgent(floor, person, '1002');
    const callId = randomUUID();
    floor.sim.switch.customers.script('8613800139101', { kind: 'answer', ringMs: 300, talkMs: 600_000, machine: false, earlyMedia: false });
    await floor.server.dial({ callId, dial: 'sofia/gateway/trunk/8613800139101', connectRuleMs: 60_000 });
    await until('offered', () => floor.server.endpoint(callId)?.agentId);
    expect(floor.server.endpoint(callId)!.agentId).toBe(person);
  });
});
