/**
 * While a known customer waits for their agent, that agent is held for them: a queue caller who has waited
 * longer does not take the agent when they become ready. The hold ends when the caller hangs up or their
 * wait is over, and the agent then serves the queue.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { InboundRules } from '../../src/acd/inboundRouting.ts';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { AGENT_AWAY_PROMPT, AGENT_WAIT_TIMER } from '../../src/inbound/ivr/agentWait.ts';
import type { Inbound } from '../../src/inbound/startInbound.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';
import { allDayRules, startRouting } from './ivrSupport.ts';

const DID = '+862180000078';
/** Routed straight to one agent (destination agent): `directAgent`. */
const DIRECT_DID = '+862180000079';
const QUEUE = `q-${randomUUID()}`;
let directAgent = 'nobody';
const rules = (): InboundRules =>
  allDayRules('hold-1', { [DID]: { kind: 'queue', id: QUEUE }, [DIRECT_DID]: { kind: 'agent', id: directAgent } }, { kind: 'queue', id: QUEUE }, { stickyToLastAgent: true, agentWaitSeconds: 30 });

let floor: Floor;
let inbound: Inbound;
const loggedIn: string[] = [];
const calls: string[] = [];
beforeAll(async () => {
  floor = await openFloor();
  inbound = await startRouting(floor, rules);
});
afterEach(async () => {
  for (const id of calls.splice(0)) if (floor.sim.switch.channels.has(id)) floor.sim.remoteHangup(id);
  for (const a of loggedIn.splice(0)) await floor.server.agentCommand(a, { type: 'LOGOUT', reason: 'test over' });
  await floor.server.idle();
});
afterAll(async () => {
  await inbound.stop();
  await floor.close();
});

let extension = 5200;
/** Logged in, not ready (on a break, or busy elsewhere). */
async function busyAgent(): Promise<string> {
  const agentId = `a-${randomUUID()}`;
  const ext = String(extension++);
  floor.sim.switch.agents.set(ext, { answerMs: 200 });
  expect(await floor.server.agentCommand(agentId, { type: 'LOGIN', extension: ext })).toBeUndefined();
  loggedIn.push(agentId);
  return agentId;
}

const localNumber = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

async function types(id: string): Promise<string[]> {
  return floor.types(callStreamId(id));
}

/** An unknown caller rings and waits in the queue (nobody free). */
async function queueCaller(): Promise<string> {
  const id = floor.sim.inboundCall(localNumber(), DID);
  calls.push(id);
  await until('deferred', async () => (await types(id)).includes('CallRoutingDeferred'));
  return id;
}

/** A number that spoke with `agentId` yesterday (as the log has it); returns the local number. */
async function spokeYesterday(agentId: string): Promise<string> {
  const local = localNumber();
  const before = randomUUID();
  const at = new Date(floor.clock.now() - 86_400_000).toISOString();
  await floor.store.append(callStreamId(before), [
    { type: 'CallReceived', data: { callId: before, at, phone: `+86${local}`, did: DID, direction: 'inbound' } },
    { type: 'CallBridged', data: { callId: before, at, agentId } },
    { type: 'CallEnded', data: { callId: before, at, cause: 'NORMAL_CLEARING', hangupBy: 'caller' } },
  ], 'any');
  return local;
}

/** A number that spoke with `agentId` yesterday rings again, is asked, presses 1 and waits for them. */
async function stickyCallerWaits(agentId: string): Promise<string> {
  const id = floor.sim.inboundCall(await spokeYesterday(agentId), DID);
  calls.push(id);
  await until('the offer', async () => (await types(id)).includes('CallAgentWaitOffered'));
  floor.sim.injectDtmf(id, '1');
  await until('waiting', async () => (await types(id)).includes('CallWaitingForAgent'));
  return id;
}

async function bridgedTo(id: string): Promise<unknown> {
  const events = await until('bridged', async () => {
    const es = await floor.events(callStreamId(id));
    return es.some((e) => e.type === 'CallBridged') && es;
  });
  return events.find((e) => e.type === 'CallBridged')!.data.agentId;
}

async function recorded(id: string, type: string) {
  return (await floor.events(callStreamId(id))).filter((e) => e.type === type).map((e) => e.data as Record<string, any>);
}

describe('the agent a caller waits for is held for them', () => {
  it('a queue caller who waited longer does not take the agent; the agent goes to the caller waiting for them, and the queue caller is told why', async () => {
    const x = await busyAgent();
    const queued = await queueCaller();
    const sticky = await stickyCallerWaits(x);
    expect(floor.server.heldAgents().get(x)).toBe(sticky);

    expect(await floor.server.agentCommand(x, { type: 'READY' })).toBeUndefined();
    expect(await bridgedTo(sticky)).toBe(x);
    expect((await recorded(sticky, 'CallOffered'))[0]).toMatchObject({ strategy: 'direct', winner: x });
    expect((await recorded(queued, 'CallOffered')).map((o) => o.winner)).not.toContain(x);
    const deferred = (await recorded(queued, 'CallRoutingDeferred')).find((d) => String(d.reason).includes('held for a caller waiting for them'));
    expect(deferred?.reason).toContain(x);
    expect(deferred?.eligibility).toContainEqual(expect.objectContaining({ agentId: x, eligible: false, why: 'NOT_AVAILABLE', heldFor: sticky }));
    expect(floor.server.heldAgents().size).toBe(0);
  });

  it('with two callers waiting for the same agent, the first to start waiting gets them', async () => {
    const x = await busyAgent();
    const first = await stickyCallerWaits(x);
    const second = await stickyCallerWaits(x);
    expect(floor.server.heldAgents().get(x)).toBe(first);
    expect(await floor.server.agentCommand(x, { type: 'READY' })).toBeUndefined();
    expect(await bridgedTo(first)).toBe(x);
    // The second still waits for the agent (now on a call): still held for them, not sent to the queue.
    expect(await types(second)).not.toContain('CallQueued');
    expect(floor.server.heldAgents().get(x)).toBe(second);
  });

  it('the hold ends when the waiting caller hangs up: the agent, ready, goes to the queue caller at once', async () => {
    const x = await busyAgent();
    const queued = await queueCaller();
    const sticky = await stickyCallerWaits(x);
    floor.sim.remoteHangup(sticky);
    await until('ended', async () => (await types(sticky)).includes('CallEnded'));
    expect(floor.server.heldAgents().size).toBe(0);
    expect(await floor.server.agentCommand(x, { type: 'READY' })).toBeUndefined();
    expect(await bridgedTo(queued)).toBe(x);
    expect((await recorded(queued, 'CallOffered')).at(-1)).toMatchObject({ winner: x, queueId: QUEUE });
  });

  it('the hold ends when the wait is over: the caller goes to the queue, behind the one who waited longer, who takes the agent', async () => {
    const x = await busyAgent();
    const queued = await queueCaller();
    const sticky = await stickyCallerWaits(x);
    await until('the wait deadline set', () => floor.scheduler.pendingTimers().some((t) => t.kind === AGENT_WAIT_TIMER && t.command.id === sticky));
    await floor.advance(31_000);
    await until('wait over', async () => (await types(sticky)).includes('CallQueued'));
    expect((await recorded(sticky, 'CallAgentWaitEnded'))[0]).toMatchObject({ agentId: x, queueId: QUEUE });
    expect(floor.server.heldAgents().size).toBe(0);
    expect(await floor.server.agentCommand(x, { type: 'READY' })).toBeUndefined();
    expect(await bridgedTo(queued)).toBe(x);
    expect(await types(sticky)).not.toContain('CallBridged');
  });

  it('a held agent is offered no dialer call: the call goes to the next ready agent', async () => {
    const x = await busyAgent();
    const y = await busyAgent();
    expect(await floor.server.agentCommand(x, { type: 'READY' })).toBeUndefined();
    await floor.advance(1_000); // x has been idle longest: without the hold the call would be theirs
    expect(await floor.server.agentCommand(y, { type: 'READY' })).toBeUndefined();
    // The moment between x going ready and the caller waiting for them taking x, held as AgentWaits holds them.
    const provider = floor.server.heldAgents;
    floor.server.heldAgents = () => new Map([[x, 'a-caller-waiting']]);
    try {
      const callId = randomUUID();
      const number = `86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
      floor.sim.switch.customers.script(number, { kind: 'answer', ringMs: 300, talkMs: 600_000, machine: false, earlyMedia: false });
      calls.push(callId);
      await floor.server.dial({ callId, dial: `sofia/gateway/trunk/${number}`, campaignId: 'camp-1', connectRuleMs: 60_000 });
      expect(await bridgedTo(callId)).toBe(y);
      expect(floor.server.readyAgents().map((a) => a.agentId)).not.toContain(x);
      expect(floor.server.agents.status(x)).toBe('ready');
    } finally {
      floor.server.heldAgents = provider;
    }
  });

  it('a known customer whose last agent is not logged in is not asked to wait: they go to the queue and a free colleague takes them', async () => {
    const absent = `a-${randomUUID()}`; // never logged in on this desk
    const colleague = await busyAgent();
    expect(await floor.server.agentCommand(colleague, { type: 'READY' })).toBeUndefined();
    const id = floor.sim.inboundCall(await spokeYesterday(absent), DID);
    calls.push(id);
    expect(await bridgedTo(id)).toBe(colleague);
    const [routed] = await recorded(id, 'InboundCallRouted');
    expect(routed).toMatchObject({ destination: { kind: 'queue', id: QUEUE }, knownCustomer: { lastAgentId: absent, lastAgentFree: false, lastAgentLoggedIn: false } });
    expect(routed.offerToWaitFor).toBeUndefined();
    expect(await types(id)).not.toContain('CallAgentWaitOffered');
    expect(floor.server.heldAgents().has(absent)).toBe(false);
  });

  it('an agent not on the desk when their caller starts waiting is not held; once they log in and are ready the caller gets them, not a queue caller who waited longer', async () => {
    const x = `a-${randomUUID()}`;
    directAgent = x;
    const queued = await queueCaller();
    const direct = floor.sim.inboundCall(localNumber(), DIRECT_DID);
    calls.push(direct);
    await until('waiting', async () => (await types(direct)).includes('CallWaitingForAgent'));
    // Nobody to watch yet: nobody held (a hold here would outlast any change of theirs).
    expect(floor.server.heldAgents().has(x)).toBe(false);

    const ext = String(extension++);
    floor.sim.switch.agents.set(ext, { answerMs: 200 });
    expect(await floor.server.agentCommand(x, { type: 'LOGIN', extension: ext })).toBeUndefined();
    loggedIn.push(x);
    expect(floor.server.heldAgents().get(x)).toBe(direct);
    expect(await floor.server.agentCommand(x, { type: 'READY' })).toBeUndefined();
    // Put through well before the 30 s deadline (the clock does not move).
    expect(await bridgedTo(direct)).toBe(x);
    expect((await recorded(direct, 'CallOffered'))[0]).toMatchObject({ strategy: 'direct', winner: x });
    expect((await recorded(queued, 'CallOffered')).map((o) => o.winner)).not.toContain(x);
    expect(await types(direct)).not.toContain('CallAgentWaitEnded');
  });

  it('with nobody else waiting: an agent who logs in and is ready after their caller started waiting gets the caller at once', async () => {
    const x = `a-${randomUUID()}`;
    directAgent = x;
    const direct = floor.sim.inboundCall(localNumber(), DIRECT_DID);
    calls.push(direct);
    await until('waiting', async () => (await types(direct)).includes('CallWaitingForAgent'));
    // Told the agent is not available yet, not that they are on another call.
    await until('the away prompt', () => floor.facts.some((f) => f.kind === 'playback-started' && f.callId === direct && f.path === AGENT_AWAY_PROMPT));
    const ext = String(extension++);
    floor.sim.switch.agents.set(ext, { answerMs: 200 });
    expect(await floor.server.agentCommand(x, { type: 'LOGIN', extension: ext })).toBeUndefined();
    loggedIn.push(x);
    expect(await floor.server.agentCommand(x, { type: 'READY' })).toBeUndefined();
    expect(await bridgedTo(direct)).toBe(x);
    expect(await types(direct)).not.toContain('CallAgentWaitEnded');
  });
});
