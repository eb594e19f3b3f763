import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { agentDecider } from '../../src/domain/agent/decider.ts';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { positionPrompt } from '../../src/inbound/announcements.ts';
import { recover } from '../../src/telephony/recovery/reconcile.ts';
import { callerWaits, createQueue, readyAgent, registerAgent, uniqueAgents } from '../acd/inboundSupport.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor.close();
});

const announced = async (id: string) =>
  (await floor.events(callStreamId(id))).filter((e) => e.type === 'QueuePositionAnnounced').map((e) => e.data.position);

describe('queue position announcements', () => {
  it('tell each waiting caller their place every N seconds, VIP callers ahead, and stop once served', async () => {
    const [agent] = uniqueAgents('agent');
    const skill = `care-${agent}`;
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }] });
    await registerAgent(floor, agent, [{ skill, level: 5 }]);
    const regular = await callerWaits(floor, { queueId, announceEverySeconds: 30 });
    floor.clock.t += 5_000;
    const vip = await callerWaits(floor, { queueId, announceEverySeconds: 30, priority: 10 });

    await floor.advance(25_000); // 30 s for the regular caller: the VIP is ahead
    expect(await announced(regular)).toEqual([2]);
    await until('position prompt played', () => floor.facts.some((f) => f.kind === 'playback-started' && f.callId === regular && f.path === positionPrompt(2)));
    await floor.advance(5_000); // 30 s for the VIP
    expect(await announced(vip)).toEqual([1]);

    await readyAgent(floor, agent, '1001');
    expect(floor.server.endpoint(vip)?.agentId).toBe(agent);
    // Served means bridged: the agent's phone answers on the switch's clock, and moving ours past the 15 s
    // reservation first would expire the offer and put the VIP back in line.
    await until('VIP bridged', () => floor.server.endpoint(vip)?.status === 'bridged');
    await floor.advance(30_000);
    expect(await announced(regular)).toEqual([2, 1]);
    await floor.advance(30_000);
    expect(await announced(vip)).toEqual([1]);
    expect(await announced(regular)).toEqual([2, 1, 1]);
  });

  it('are on for every caller of a queue configured with announceEverySeconds, unless the entry says 0, and keep their rhythm across a restart', async () => {
    const skill = `none-${uniqueAgents('x')[0]}`;
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }], announceEverySeconds: 20 });
    const caller = await callerWaits(floor, { queueId });
    floor.clock.t += 1_000;
    const quiet = await callerWaits(floor, { queueId, announceEverySeconds: 0 });
    await floor.advance(19_000);
    expect(await announced(caller)).toEqual([1]);

    await floor.restartProcess();
    await recover(floor.server);
    await floor.advance(20_000); // the timer stored before the restart fires; the next one comes from the queue's setting
    expect(await announced(caller)).toEqual([1, 1]);
    await floor.advance(20_000);
    expect(await announced(caller)).toEqual([1, 1, 1]);
    expect(await announced(quiet)).toEqual([]);
  });

  it('go on after an agent offered the caller during one does not answer', async () => {
    // Our reservation (on the hand-moved clock) ends the unanswered offer here, so the switch must not give up
    // ringing first: at timeScale 50 its 15 s originate timeout is 0.3 s of real time, which a loaded machine
    // spends before the clock is moved, and the caller is then offered again to the same agent.
    await floor.close();
    floor = await openFloor({}, { timeScale: 1 });
    const [agent] = uniqueAgents('agent');
    const skill = `care-${agent}`;
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }] });
    await registerAgent(floor, agent, [{ skill, level: 5 }]);
    const id = await callerWaits(floor, { queueId, announceEverySeconds: 30 });
    await floor.advance(20_000);
    await readyAgent(floor, agent, '1007', { answer: false });
    expect(floor.server.endpoint(id)?.agentId).toBe(agent);
    await floor.advance(10_000); // the announcement comes due while the agent's phone rings: not played over it
    expect(await announced(id)).toEqual([]);
    // The agent loses the queue's skill meanwhile, so the caller stays in line after the reservation expires.
    await handleCommand(floor.store, agentDecider, agent, { type: 'SetAgentSkills', data: { skills: [] }, meta: { now: new Date(floor.clock.now()).toISOString(), actorId: 'sup-1', actorRole: 'supervisor' } });
    await floor.server.queues.sync();
    await floor.advance(5_000); // the reservation expires unanswered
    await until('caller back in line', () => floor.server.endpoint(id)?.agentId === undefined);
    await floor.server.idle();
    expect(floor.server.endpoint(id)?.agentId).toBeUndefined();
    // The announcement is recorded once its playback starts on the switch: wait for it, then check it is the only one.
    await floor.advance(30_000);
    await until('first announcement', async () => (await announced(id)).length >= 1);
    expect(await announced(id)).toEqual([1]);
    await floor.advance(30_000);
    await until('second announcement', async () => (await announced(id)).length >= 2);
    expect(await announced(id)).toEqual([1, 1]);
  });

  it('start even when the caller was offered on arrival to an agent who did not answer', async () => {
    const [agent] = uniqueAgents('agent');
    const skill = `care-${agent}`;
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }] });
    await registerAgent(floor, agent, [{ skill, level: 5 }]);
    await readyAgent(floor, agent, '1008', { answer: false });
    const id = await callerWaits(floor, { queueId, announceEverySeconds: 30 });
    expect(floor.server.endpoint(id)?.agentId).toBe(agent);
    await handleCommand(floor.store, agentDecider, agent, { type: 'SetAgentSkills', data: { skills: [] }, meta: { now: new Date(floor.clock.now()).toISOString(), actorId: 'sup-1', actorRole: 'supervisor' } });
    await floor.server.queues.sync();
    await floor.advance(15_000); // the reservation expires unanswered
    await until('caller back in line', () => floor.server.endpoint(id)?.agentId === undefined);
    await floor.advance(15_000);
    expect(await announced(id)).toEqual([1]);
  });

  it('are off unless the queue or the entry asks for them', async () => {
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill: `none-${uniqueAgents('x')[0]}`, minLevel: 1 }] });
    const id = await callerWaits(floor, { queueId });
    await floor.advance(60_000);
    expect(await announced(id)).toEqual([]);
  });
});
