/**
 * A caller offered again to the agent whose phone just gave up ringing (the only one able to take them): the new
 * ring is a leg of its own, so the old channel's late hang-up and destroy facts neither end it nor make the session
 * forget it. Before, the leg id was the same for every offer of a call to an agent, and the caller stayed reserved
 * to a phone the session no longer followed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';
import { callerWaits, createQueue, readyAgent, registerAgent, uniqueAgents } from './inboundSupport.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor.close();
});

describe('an agent offered the same caller again', () => {
  it('rings on a new leg each time and the caller is put through when the agent finally answers', async () => {
    const [agent] = uniqueAgents('agent');
    const skill = `care-${agent}`;
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }] });
    await registerAgent(floor, agent, [{ skill, level: 5 }]);
    await readyAgent(floor, agent, '1009', { answer: false });
    const id = await callerWaits(floor, { queueId });
    // The switch gives up ringing after 15 s (0.3 s real here): the caller is offered to the same agent again.
    const offers = async () => (await floor.events(callStreamId(id))).filter((e) => e.type === 'CallOffered');
    await until('offered again', async () => (await offers()).length >= 3);
    expect((await offers()).every((e) => e.data.winner === agent)).toBe(true);

    floor.sim.switch.agents.set('1009', { answerMs: 200 });
    await until('bridged', () => floor.server.endpoint(id)?.status === 'bridged');
    const bridged = (await floor.events(callStreamId(id))).find((e) => e.type === 'CallBridged');
    expect(bridged?.data).toMatchObject({ agentId: agent });
    // The rings that gave up are gone from the session once the switch destroyed them; only the answered one is left.
    await until('old rings forgotten', () => [...floor.server.legs.values()].filter((l) => l.role === 'agent').length === 1);
    expect(floor.server.endpoint(id)?.agentLeg).toBe([...floor.server.legs.values()].find((l) => l.role === 'agent')?.legId);
  });
});
