import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { recover } from '../../src/telephony/recovery/reconcile.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';
import { callerWaits, createQueue, offers, readyAgent, registerAgent, uniqueAgents } from './inboundSupport.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor.close();
});

/** Serve one caller to the end (a minute of talk, wrap-up over); returns the agent who took them. */
async function serve(queueId: string, from?: string): Promise<string> {
  const id = await callerWaits(floor, { queueId }, from);
  await until('bridged', () => floor.server.endpoint(id)?.status === 'bridged');
  await floor.server.idle();
  floor.clock.t += 60_000;
  floor.sim.remoteHangup(id);
  await until('ended', async () => (await floor.types(callStreamId(id))).includes('CallEnded'));
  await floor.server.idle();
  await floor.advance(10_000);
  return (await offers(floor, id))[0].data.winner as string;
}

async function queueFor(strategy: 'round_robin' | 'sticky', agents: string[]): Promise<string> {
  const skill = `s-${agents[0]}`;
  for (const a of agents) await registerAgent(floor, a, [{ skill, level: 5 }]);
  return createQueue(floor, { strategy, skills: [{ skill, minLevel: 1 }] });
}

/** The session process restarts: agents and calls come back from the log, then the switch is asked. */
async function restart(): Promise<void> {
  await floor.restartProcess();
  await recover(floor.server);
  await floor.server.idle();
}

describe('queue memory and today’s figures across a restart of the session', () => {
  it('round-robin goes on after the last agent served, and today’s calls and talk time are still counted', async () => {
    const [a, b, c] = uniqueAgents('a', 'b', 'c');
    const queueId = await queueFor('round_robin', [a, b, c]);
    await readyAgent(floor, a, '1001');
    await readyAgent(floor, b, '1002');
    await readyAgent(floor, c, '1003');
    expect(await serve(queueId)).toBe(a);
    expect(await serve(queueId)).toBe(b);

    await restart();
    expect(floor.server.agents.status(a)).toBe('ready');
    expect(floor.server.routing.agentViews().find((v) => v.agentId === a)).toMatchObject({ callsToday: 1, talkSecondsToday: 60 });
    expect(floor.server.routing.agentViews().find((v) => v.agentId === c)).toMatchObject({ callsToday: 0, talkSecondsToday: 0 });
    const id = await callerWaits(floor, { queueId });
    expect((await offers(floor, id))[0].data).toMatchObject({ strategy: 'round_robin', winner: c, reason: `next after ${b} in rotation` });
  });

  it('sticky: after a restart a caller still goes back to the agent they spoke with, though another idled longer', async () => {
    const [first, second] = uniqueAgents('first', 'second');
    const queueId = await queueFor('sticky', [first, second]);
    await readyAgent(floor, second, '1002');
    expect(await serve(queueId, '13800138191')).toBe(second);
    await readyAgent(floor, first, '1001');

    await restart();
    // `second` takes a break and comes back: `first` has now idled longest.
    await floor.server.agentCommand(second, { type: 'NOT_READY', reasonCode: 'break' });
    floor.clock.t += 1_000;
    await floor.server.agentCommand(second, { type: 'READY' });
    const id = await callerWaits(floor, { queueId }, '13800138191');
    expect((await offers(floor, id))[0].data).toMatchObject({ strategy: 'sticky', winner: second, reason: `${second} spoke with this caller last` });
  });

  it('only today counts: yesterday\'s calls are not brought back', async () => {
    const [agent] = uniqueAgents('yesterday');
    const queueId = await queueFor('round_robin', [agent]);
    await readyAgent(floor, agent, '1001');
    expect(await serve(queueId)).toBe(agent);
    floor.clock.t += 24 * 3600_000;

    await restart();
    expect(floor.server.routing.agentViews().find((v) => v.agentId === agent)).toMatchObject({ callsToday: 0, talkSecondsToday: 0 });
  });

  it('today is the floor\'s day in Beijing time: after midnight +08:00 (still the same UTC day) the count starts again, live and after a restart', async () => {
    const [agent] = uniqueAgents('beijing');
    const queueId = await queueFor('round_robin', [agent]);
    await readyAgent(floor, agent, '1001');
    expect(await serve(queueId)).toBe(agent); // 17:0x in Beijing
    expect(floor.server.routing.agentViews().find((v) => v.agentId === agent)).toMatchObject({ callsToday: 1 });
    floor.clock.t = Date.parse('2026-11-23T16:30:00Z'); // 00:30 the next day in Beijing
    expect(floor.server.routing.agentViews().find((v) => v.agentId === agent)).toMatchObject({ callsToday: 0, talkSecondsToday: 0 });

    await restart();
    expect(floor.server.routing.agentViews().find((v) => v.agentId === agent)).toMatchObject({ callsToday: 0, talkSecondsToday: 0 });
  });

  it('a call connected before the restart and still going counts its talk so far', async () => {
    const [agent] = uniqueAgents('talker');
    const queueId = await queueFor('round_robin', [agent]);
    await readyAgent(floor, agent, '1001');
    const id = await callerWaits(floor, { queueId });
    await until('bridged', () => floor.server.endpoint(id)?.status === 'bridged');
    await floor.server.idle();
    floor.clock.t += 30_000;

    await restart();
    expect(floor.server.agents.status(agent)).toBe('on-call');
    expect(floor.server.routing.agentViews().find((v) => v.agentId === agent)).toMatchObject({ callsToday: 1, talkSecondsToday: 30 });
  });
});
