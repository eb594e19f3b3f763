/**
 * A known customer whose last agent is busy is asked: 1 waits for that agent, 2 goes to the next available one,
 * no key in time or another key takes the route set's default. Every choice is on the call stream with its key.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { InboundRules } from '../../src/acd/inboundRouting.ts';
import { callStreamId } from '../../src/domain/call/streams.ts';
import type { AgentWaitOffer } from '../../src/domain/inbound/events.ts';
import { AGENT_WAIT_OFFER_PROMPT, AGENT_WAIT_OFFER_TIMER, AGENT_WAIT_PROMPT } from '../../src/inbound/ivr/agentWait.ts';
import type { Inbound } from '../../src/inbound/startInbound.ts';
import { recover } from '../../src/telephony/recovery/reconcile.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';
import { allDayRules, startRouting } from './ivrSupport.ts';

const DID = '+862180000077';
const QUEUE = `q-${randomUUID()}`;
let offer: AgentWaitOffer | undefined;
const rules = (): InboundRules => allDayRules('offer-1', { [DID]: { kind: 'queue', id: QUEUE } }, { kind: 'queue', id: QUEUE }, { stickyToLastAgent: true, agentWaitOffer: offer });

let floor: Floor;
let inbound: Inbound;
const loggedIn: string[] = [];
beforeAll(async () => {
  floor = await openFloor();
  inbound = await startRouting(floor, rules);
});
afterEach(async () => {
  offer = undefined;
  for (const a of loggedIn.splice(0)) await floor.server.agentCommand(a, { type: 'LOGOUT', reason: 'test over' });
});
afterAll(async () => {
  await inbound.stop();
  await floor.close();
});

let extension = 5100;
async function agent(ready: boolean): Promise<string> {
  const agentId = `a-${randomUUID()}`;
  const ext = String(extension++);
  floor.sim.switch.agents.set(ext, { answerMs: 200 });
  expect(await floor.server.agentCommand(agentId, { type: 'LOGIN', extension: ext })).toBeUndefined();
  if (ready) expect(await floor.server.agentCommand(agentId, { type: 'READY' })).toBeUndefined();
  loggedIn.push(agentId);
  return agentId;
}

/** A number that spoke with `agentId` yesterday rings again; resolves once they have been asked. */
async function knownCustomerRings(agentId: string): Promise<string> {
  const local = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const callId = randomUUID();
  const at = new Date(floor.clock.now() - 86_400_000).toISOString();
  await floor.store.append(callStreamId(callId), [
    { type: 'CallReceived', data: { callId, at, phone: `+86${local}`, did: DID, direction: 'inbound' } },
    { type: 'CallBridged', data: { callId, at, agentId } },
    { type: 'CallEnded', data: { callId, at, cause: 'NORMAL_CLEARING', hangupBy: 'caller' } },
  ], 'any');
  const id = floor.sim.inboundCall(local, DID);
  await until('the offer', async () => (await floor.types(callStreamId(id))).includes('CallAgentWaitOffered'));
  return id;
}

async function eventOf(id: string, type: string) {
  const events = await until(type, async () => {
    const es = await floor.events(callStreamId(id));
    return es.some((e) => e.type === type) && es;
  });
  return events.find((e) => e.type === type)!.data as Record<string, unknown>;
}

async function bridgedTo(id: string): Promise<unknown> {
  return (await eventOf(id, 'CallBridged')).agentId;
}

/** The offer has played and the key timeout runs (the stand-in set while it played is replaced). */
const offerHeard = (id: string) => until('the offer heard', () => floor.scheduler.pendingTimers().some((t) => t.timerId === `agent-wait-offer-${id}`));

describe('the offer to wait for the last agent', () => {
  it('1: the caller waits for their agent, not taken by a free colleague, and reaches them once ready', async () => {
    const colleague = await agent(true);
    const last = await agent(false);
    const id = await knownCustomerRings(last);
    expect(await eventOf(id, 'CallAgentWaitOffered')).toMatchObject({ agentId: last, queueId: QUEUE, keys: { 1: 'wait', 2: 'queue' }, timeoutSeconds: 5, onNoChoice: 'wait', prompt: AGENT_WAIT_OFFER_PROMPT });
    floor.sim.injectDtmf(id, '1');
    expect(await eventOf(id, 'CallerChoseToWait')).toMatchObject({ agentId: last, key: '1', by: 'key' });
    await eventOf(id, 'CallWaitingForAgent');
    expect(floor.server.endpoint(id)).toBeUndefined(); // not queued: the free colleague is not offered them
    expect(await floor.server.agentCommand(last, { type: 'READY' })).toBeUndefined();
    expect(await bridgedTo(id)).toBe(last);
    const offered = (await floor.events(callStreamId(id))).filter((e) => e.type === 'CallOffered').map((e) => e.data.winner);
    expect(offered).toEqual([last]);
    expect(offered).not.toContain(colleague);
    floor.sim.remoteHangup(id);
  });

  it('2: the caller goes to the queue at once and the next available agent takes them', async () => {
    const colleague = await agent(true);
    const last = await agent(false);
    const id = await knownCustomerRings(last);
    floor.sim.injectDtmf(id, '2');
    expect(await eventOf(id, 'CallerDeclinedWait')).toMatchObject({ agentId: last, queueId: QUEUE, key: '2', by: 'key' });
    expect(await bridgedTo(id)).toBe(colleague);
    const types = await floor.types(callStreamId(id));
    expect(types).not.toContain('CallWaitingForAgent');
    expect(types).not.toContain('CallerChoseToWait');
    floor.sim.remoteHangup(id);
  });

  it('no key once the offer has been heard: after the timeout the default (wait) applies, recorded as timeout', async () => {
    await agent(true);
    const last = await agent(false);
    const id = await knownCustomerRings(last);
    await offerHeard(id);
    await floor.advance(4_000);
    expect(await floor.types(callStreamId(id))).not.toContain('CallerChoseToWait');
    await floor.advance(1_500);
    expect(await eventOf(id, 'CallerChoseToWait')).toMatchObject({ key: 'timeout', by: 'default', reason: expect.stringContaining('no key within 5 s') });
    await eventOf(id, 'CallWaitingForAgent');
    expect(await floor.server.agentCommand(last, { type: 'READY' })).toBeUndefined();
    expect(await bridgedTo(id)).toBe(last);
    floor.sim.remoteHangup(id);
  });

  it('a wrong key takes the default too: here the route set says queue, and its uploaded prompt is played', async () => {
    offer = { onNoChoice: 'queue', timeoutSeconds: 8, promptFile: 'offer-0001.wav' };
    const colleague = await agent(true);
    const last = await agent(false);
    const id = await knownCustomerRings(last);
    expect(await eventOf(id, 'CallAgentWaitOffered')).toMatchObject({ timeoutSeconds: 8, onNoChoice: 'queue', prompt: path.join(floor.recordingsDir, 'prompts', 'offer-0001.wav') });
    floor.sim.injectDtmf(id, '7');
    expect(await eventOf(id, 'CallerDeclinedWait')).toMatchObject({ key: '7', by: 'default', reason: expect.stringContaining('pressed 7, not 1 or 2') });
    expect(await bridgedTo(id)).toBe(colleague);
    floor.sim.remoteHangup(id);
  });

  it('no key with a default of queue: the caller is queued at the timeout, recorded as timeout', async () => {
    offer = { onNoChoice: 'queue' };
    const colleague = await agent(true);
    const last = await agent(false);
    const id = await knownCustomerRings(last);
    await offerHeard(id);
    await floor.advance(5_500);
    expect(await eventOf(id, 'CallerDeclinedWait')).toMatchObject({ key: 'timeout', by: 'default' });
    expect(await bridgedTo(id)).toBe(colleague);
    floor.sim.remoteHangup(id);
  });

  it('a wrong key with the default of wait: the caller waits, recorded with the key they pressed', async () => {
    await agent(true);
    const last = await agent(false);
    const id = await knownCustomerRings(last);
    floor.sim.injectDtmf(id, '#');
    expect(await eventOf(id, 'CallerChoseToWait')).toMatchObject({ key: '#', by: 'default' });
    await eventOf(id, 'CallWaitingForAgent');
    expect(floor.scheduler.pendingTimers().filter((t) => t.kind === AGENT_WAIT_OFFER_TIMER && t.command.id === id)).toEqual([]);
    floor.sim.remoteHangup(id);
    await eventOf(id, 'CallEnded');
    expect(floor.scheduler.pendingTimers().filter((t) => t.command.id === id)).toEqual([]);
  });

  it('the agent frees up while the caller is being asked: the caller is put through to them without choosing', async () => {
    await agent(true);
    const last = await agent(false);
    const id = await knownCustomerRings(last);
    expect(await floor.server.agentCommand(last, { type: 'READY' })).toBeUndefined();
    expect(await bridgedTo(id)).toBe(last);
    const types = await floor.types(callStreamId(id));
    expect(types).not.toContain('CallerChoseToWait');
    expect(types).not.toContain('CallerDeclinedWait');
    expect(floor.scheduler.pendingTimers().filter((t) => t.kind === AGENT_WAIT_OFFER_TIMER && t.command.id === id)).toEqual([]);
    floor.sim.remoteHangup(id);
  });

  it('a caller still being asked when the process restarts gets the default (wait) at once, not silence: held for, and put through when the agent is ready', async () => {
    const last = await agent(false);
    floor.sim.switch.options.playbackMs = 600_000; // the offer is still playing at the restart
    const id = await knownCustomerRings(last);
    await until('the offer playing', () => floor.facts.some((f) => f.kind === 'playback-started' && f.callId === id && f.path === AGENT_WAIT_OFFER_PROMPT));
    await inbound.stop();
    await floor.restartProcess();
    await recover(floor.server);
    inbound = await startRouting(floor, rules);
    floor.sim.switch.options.playbackMs = 2_000;
    await floor.advance(2_000); // a moment, not the offer's 60 s stand-in
    expect(await eventOf(id, 'CallerChoseToWait')).toMatchObject({ key: 'timeout', by: 'default', reason: expect.stringContaining('restart') });
    await eventOf(id, 'CallWaitingForAgent');
    await until('the wait prompt', () => floor.facts.some((f) => f.kind === 'playback-started' && f.callId === id && f.path === AGENT_WAIT_PROMPT));
    expect(floor.server.heldAgents().get(last)).toBe(id);
    expect(await floor.server.agentCommand(last, { type: 'READY' })).toBeUndefined();
    expect(await bridgedTo(id)).toBe(last);
    expect((await floor.events(callStreamId(id))).find((e) => e.type === 'CallOffered')?.data).toMatchObject({ strategy: 'direct', winner: last });
    floor.sim.remoteHangup(id);
  });

  it('a caller still being asked when the process restarts, with a default of queue, is queued at once', async () => {
    offer = { onNoChoice: 'queue' };
    const last = await agent(false);
    floor.sim.switch.options.playbackMs = 600_000;
    const id = await knownCustomerRings(last);
    await until('the offer playing', () => floor.facts.some((f) => f.kind === 'playback-started' && f.callId === id && f.path === AGENT_WAIT_OFFER_PROMPT));
    await inbound.stop();
    await floor.restartProcess();
    await recover(floor.server);
    inbound = await startRouting(floor, rules);
    floor.sim.switch.options.playbackMs = 2_000;
    await floor.advance(2_000);
    expect(await eventOf(id, 'CallerDeclinedWait')).toMatchObject({ key: 'timeout', by: 'default', reason: expect.stringContaining('restart') });
    await eventOf(id, 'CallQueued');
    floor.sim.remoteHangup(id);
  });

  it('a caller waiting for their agent when the process restarts waits on, held for: the agent ready again is theirs, before the deadline', async () => {
    const last = await agent(false);
    const colleague = await agent(true); // free all along: the queue would give them the caller
    const id = await knownCustomerRings(last);
    floor.sim.injectDtmf(id, '1');
    await eventOf(id, 'CallWaitingForAgent');
    await inbound.stop();
    await floor.restartProcess();
    await recover(floor.server);
    inbound = await startRouting(floor, rules);
    await until('held for again', () => floor.server.heldAgents().get(last) === id);
    expect(await floor.server.agentCommand(last, { type: 'READY' })).toBeUndefined();
    expect(await bridgedTo(id)).toBe(last);
    const types = (await floor.events(callStreamId(id))).map((e) => e.type);
    expect(types).not.toContain('CallAgentWaitEnded');
    expect(floor.server.agents.status(colleague)).toBe('ready');
    floor.sim.remoteHangup(id);
  });
});
