import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { callerWaits, createQueue, offers, registerAgent, uniqueAgents } from '../acd/inboundSupport.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor.close();
});

/**
 * One agent (logged in, not ready) able to take two queues: a caller of the first overflowed to a kept callback
 * of `callbackPriority`, a caller waits in a general queue of 5. Returns the agent, the kept call and the caller.
 */
async function callbackAndCaller(callbackPriority: number, from: string): Promise<{ agent: string; kept: string; caller: string }> {
  const [agent] = uniqueAgents('blended');
  const skill = `cb-${agent}`;
  const skills = [{ skill, minLevel: 1 }];
  await registerAgent(floor, agent, [{ skill, level: 3 }]);
  // Callers and callbacks are ranked once the queues' settings are loaded (the first catch-up of the log).
  await floor.server.queues.start();
  const callbackQueue = await createQueue(floor, { skills, priority: callbackPriority });
  const entry = await createQueue(floor, { skills, overflow: { afterSeconds: 20, target: { kind: 'callback', id: callbackQueue } } });
  const general = await createQueue(floor, { skills, priority: 5 });
  floor.sim.switch.agents.set('1001', { answerMs: 200 });
  expect(await floor.server.agentCommand(agent, { type: 'LOGIN', extension: '1001' })).toBeUndefined();
  floor.sim.switch.customers.script(`86${from}`, { kind: 'answer', ringMs: 200, talkMs: 5_000, machine: false, earlyMedia: false });

  const kept = await callerWaits(floor, { queueId: entry }, from);
  await floor.advance(20_000);
  await until('kept for a callback', async () => (await floor.types(callStreamId(kept))).includes('CallEnded'));
  const caller = await callerWaits(floor, { queueId: general });
  return { agent, kept, caller };
}

describe('blended agents: kept callbacks against callers on the line', () => {
  it("a kept callback whose queue ranks 7 goes before a caller waiting in a queue of 5", async () => {
    const { agent, kept, caller } = await callbackAndCaller(7, '13800138301');
    expect(await floor.server.agentCommand(agent, { type: 'READY' })).toBeUndefined();
    const started = await until('callback started', async () => (await floor.events(callStreamId(kept))).find((e) => e.type === 'CallbackStarted'));
    expect(started.data).toMatchObject({ agentId: agent });
    expect(floor.server.endpoint(caller)?.agentId).toBeUndefined();
    expect(await offers(floor, caller)).toEqual([]);
  });

  it('at equal priority the caller on the line goes first and the callback waits', async () => {
    const { agent, kept, caller } = await callbackAndCaller(5, '13800138302');
    expect(await floor.server.agentCommand(agent, { type: 'READY' })).toBeUndefined();
    expect(floor.server.endpoint(caller)?.agentId).toBe(agent);
    await floor.server.idle();
    expect(await floor.types(callStreamId(kept))).not.toContain('CallbackStarted');
  });
});
