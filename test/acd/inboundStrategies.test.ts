import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { agentLegId } from '../../src/telephony/session/callEndpoint.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';
import { callerWaits, createQueue, offers, readyAgent, registerAgent, uniqueAgents } from './inboundSupport.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor.close();
});

/** Serve one caller to the end: bridged, hung up, wrap-up over (the agent is ready again). */
async function serve(queueId: string, from?: string): Promise<string> {
  const id = await callerWaits(floor, { queueId }, from);
  await until('bridged', () => floor.server.endpoint(id)?.status === 'bridged');
  await floor.server.idle(); // the agent's side of the bridge too
  floor.clock.t += 60_000; // a minute of talk
  floor.sim.remoteHangup(id);
  await until('ended', async () => (await floor.types(callStreamId(id))).includes('CallEnded'));
  await floor.server.idle();
  await floor.advance(10_000);
  return (await offers(floor, id))[0].data.winner as string;
}

/** A queue of its own skill, so agents earlier tests left on the shared log stay out. */
async function queueFor(strategy: 'sticky' | 'fewest_calls' | 'ring_all', agents: string[]): Promise<string> {
  const skill = `s-${agents[0]}`;
  for (const a of agents) await registerAgent(floor, a, [{ skill, level: 5 }]);
  return createQueue(floor, { strategy, skills: [{ skill, minLevel: 1 }] });
}

describe('strategies with memory and today\'s figures', () => {
  it('sticky: a caller goes back to the agent they spoke with last, though another idled longer', async () => {
    const [first, second] = uniqueAgents('first', 'second');
    const queueId = await queueFor('sticky', [first, second]);
    await readyAgent(floor, second, '1002');
    expect(await serve(queueId, '13800138091')).toBe(second);
    await readyAgent(floor, first, '1001');
    // `second` takes a break and comes back: `first` has now idled longest.
    await floor.server.agentCommand(second, { type: 'NOT_READY', reasonCode: 'break' });
    floor.clock.t += 1_000;
    await floor.server.agentCommand(second, { type: 'READY' });
    const id = await callerWaits(floor, { queueId }, '13800138091');
    expect((await offers(floor, id))[0].data).toMatchObject({ strategy: 'sticky', winner: second, reason: `${second} spoke with this caller last` });
    const other = await callerWaits(floor, { queueId }, '13800138092');
    expect((await offers(floor, other))[0].data).toMatchObject({ winner: first, reason: expect.stringContaining('last agent not free') });
  });

  it('fewest calls counts today\'s calls on the desk, which also keeps the talk time', async () => {
    const [busy, fresh] = uniqueAgents('busy', 'fresh');
    const queueId = await queueFor('fewest_calls', [busy, fresh]);
    await readyAgent(floor, busy, '1001');
    expect(await serve(queueId)).toBe(busy);
    // `fresh` comes in after `busy` is ready again: `busy` has idled longest but has taken a call.
    floor.clock.t += 1_000;
    await readyAgent(floor, fresh, '1002');
    const id = await callerWaits(floor, { queueId });
    expect((await offers(floor, id))[0].data).toMatchObject({ strategy: 'fewest_calls', winner: fresh, reason: '0 calls today, the fewest' });
    expect(floor.server.routing.agentViews().find((a) => a.agentId === busy)).toMatchObject({ callsToday: 1, talkSecondsToday: 60 });
  });

  it('ring all: every free qualified phone rings, the first to answer gets the caller, the others are freed', async () => {
    const [slow, quick, never] = uniqueAgents('slow', 'quick', 'never');
    const queueId = await queueFor('ring_all', [slow, quick, never]);
    await readyAgent(floor, slow, '1001', { answerMs: 5_000 });
    await readyAgent(floor, quick, '1002', { answerMs: 100 });
    await readyAgent(floor, never, '1003', { answer: false });
    const id = await callerWaits(floor, { queueId });
    const [offer] = await offers(floor, id);
    expect(offer.data).toMatchObject({ strategy: 'ring_all', ring: [slow, quick, never], reason: expect.stringContaining('first to answer wins') });
    expect(offer.data.winner).toBeUndefined();
    await until('three phones ring', () => [slow, quick, never].every((a) => floor.facts.some((f) => f.kind === 'channel-created' && f.callId === agentLegId(id, a))));

    await until('bridged', () => floor.server.endpoint(id)?.status === 'bridged');
    await floor.server.idle();
    expect((await floor.events(callStreamId(id))).find((e) => e.type === 'CallBridged')?.data.agentId).toBe(quick);
    await until('the other phones stop ringing', () => !floor.sim.switch.channels.has(agentLegId(id, slow)) && !floor.sim.switch.channels.has(agentLegId(id, never)));
    await floor.server.idle();
    expect(floor.server.agents.status(slow)).toBe('ready');
    expect(floor.server.agents.status(never)).toBe('ready');
    expect(floor.server.agents.status(quick)).toBe('on-call');
  });

  it('ring all: a caller who hangs up while the phones ring frees every agent', async () => {
    const [one, two] = uniqueAgents('one', 'two');
    const queueId = await queueFor('ring_all', [one, two]);
    await readyAgent(floor, one, '1001', { answerMs: 60_000 });
    await readyAgent(floor, two, '1002', { answerMs: 60_000 });
    const id = await callerWaits(floor, { queueId });
    await until('both phones ring', () => [one, two].every((a) => floor.server.agents.status(a) === 'ringing'));
    floor.sim.remoteHangup(id);
    await until('ended', async () => (await floor.types(callStreamId(id))).includes('CallEnded'));
    await until('phones stop', () => ![one, two].some((a) => floor.sim.switch.channels.has(agentLegId(id, a))));
    await floor.server.idle();
    expect([one, two].map((a) => floor.server.agents.status(a))).toEqual(['ready', 'ready']);
  });
});
