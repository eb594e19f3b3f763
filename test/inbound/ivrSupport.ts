/** Shared steps for inbound tests: routing rules, menus published in the log, callers ringing a number, the session's inbound side. */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Destination, InboundRules } from '../../src/acd/inboundRouting.ts';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { ivrDecider } from '../../src/domain/ivr/decider.ts';
import type { IvrMenu, IvrNode } from '../../src/domain/ivr/events.ts';
import type { RecordedEvent } from '../../src/eventstore/types.ts';
import { IVR_TIMER } from '../../src/inbound/ivr/runtime.ts';
import { startInbound, type Inbound } from '../../src/inbound/startInbound.ts';
import { afterEach, beforeEach, expect } from 'vitest';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';

export const IVR_DID = '+862180000009';

/** Rules open around the clock: each called number to its destination, anything else to `defaultDestination`. */
export function allDayRules(version: string, byDid: Record<string, Destination>, defaultDestination: Destination, extra: Partial<InboundRules> = {}): InboundRules {
  return {
    version,
    timeZone: 'Asia/Shanghai',
    blacklist: [],
    whitelist: [],
    holidays: [],
    openHours: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }],
    closed: { kind: 'voicemail' },
    byDid,
    byCallerPrefix: [],
    defaultDestination,
    stickyToLastAgent: false,
    ...extra,
  };
}

/** The session's inbound side on a test floor: with `rules`, or else the route sets published in the log. */
export function startRouting(floor: Floor, rules?: () => InboundRules): Promise<Inbound> {
  return startInbound(floor.server, { rules, promptsDir: path.join(floor.recordingsDir, 'prompts') });
}

export function rulesTo(menuId: string, defaultQueue: string): InboundRules {
  return {
    version: 'ivr-test-1',
    timeZone: 'Asia/Shanghai',
    blacklist: [],
    whitelist: [],
    holidays: [],
    openHours: [{ days: [0, 1, 2, 3, 4, 5, 6], start: '00:00', end: '23:59' }],
    closed: { kind: 'queue', id: defaultQueue },
    byDid: { [IVR_DID]: { kind: 'ivr', id: menuId } },
    byCallerPrefix: [],
    defaultDestination: { kind: 'queue', id: defaultQueue },
    stickyToLastAgent: false,
  };
}

/** A one-node menu: 1 → sales, 2 → service, silence or wrong keys `retries` times → service. */
export function rootMenu(queues: { sales: string; service: string }, node: Partial<IvrNode> = {}): IvrMenu {
  return {
    rootNodeId: 'root',
    nodes: [{
      id: 'root',
      promptText: '销售请按1，售后服务请按2',
      choices: { '1': { kind: 'queue', id: queues.sales }, '2': { kind: 'queue', id: queues.service } },
      timeoutSeconds: 5,
      maxRetries: 1,
      onFailure: { kind: 'queue', id: queues.service },
      ...node,
    }],
  };
}

export async function publish(floor: Floor, menuId: string, menu: IvrMenu, basedOnVersion = 0): Promise<void> {
  const r = await handleCommand(floor.store, ivrDecider, menuId, {
    type: 'PublishIvrMenu',
    data: { menuId, name: '服务热线 Service line', basedOnVersion, menu },
    meta: { now: new Date(floor.clock.now()).toISOString(), actorId: 'admin-1', actorRole: 'admin' },
  });
  if (r.events.length === 0) throw new Error('menu not published');
}

export async function startIvr(floor: Floor, menuId: string, defaultQueue = `q-${randomUUID()}`): Promise<Inbound> {
  return startRouting(floor, () => rulesTo(menuId, defaultQueue));
}

const played = (floor: Floor, id: string) => floor.facts.filter((f) => f.kind === 'playback-started' && f.callId === id);
const stopped = (floor: Floor, id: string) => floor.facts.filter((f) => f.kind === 'playback-stopped' && f.callId === id);

/** A caller rings the menu's number; resolves once they hear the first prompt. */
export async function callerInMenu(floor: Floor, from = `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`): Promise<string> {
  const id = floor.sim.inboundCall(from, IVR_DID);
  await until('the first prompt', () => played(floor, id).length >= 1);
  return id;
}

/** Wait until the caller has heard `n` prompts. */
export function heardPrompts(floor: Floor, id: string, n: number): Promise<unknown> {
  return until(`prompt ${n}`, () => played(floor, id).length >= n);
}

/** Wait until prompt `n` has finished and the menu waits for a key (its input timer is set). */
export async function waitingForKey(floor: Floor, id: string, n: number): Promise<void> {
  await until(`prompt ${n} over`, () => stopped(floor, id).length >= n);
  await until('input timer', () => floor.scheduler.pendingTimers().some((t) => t.kind === IVR_TIMER && t.command.id === id));
}

export function ivrTimers(floor: Floor, id: string) {
  return floor.scheduler.pendingTimers().filter((t) => t.kind === IVR_TIMER && t.command.id === id);
}

export async function callEvents(floor: Floor, id: string): Promise<RecordedEvent[]> {
  return floor.events(callStreamId(id));
}

export async function untilEvent(floor: Floor, id: string, type: string, count = 1): Promise<RecordedEvent[]> {
  return until(`${count} ${type}`, async () => {
    const events = await callEvents(floor, id);
    return events.filter((e) => e.type === type).length >= count && events;
  });
}

/** What an IVR test runs on: a live floor, a fresh menu id and two queue ids, and the inbound side the test starts. */
export interface IvrFloor {
  floor: Floor;
  inbound?: Inbound;
  menuId: string;
  queues: { sales: string; service: string };
}

/**
 * Opens a live floor before each test with fresh ids; after it, checks the session reported no failed fact or
 * command along the way, stops the inbound side the test started and closes the floor.
 */
export function ivrFloorEachTest(): IvrFloor {
  const ivr = {} as IvrFloor;
  beforeEach(async () => {
    ivr.floor = await openFloor();
    ivr.menuId = `ivr-${randomUUID()}`;
    ivr.queues = { sales: `q-sales-${randomUUID()}`, service: `q-service-${randomUUID()}` };
  });
  afterEach(async () => {
    expect(ivr.floor.errors).toEqual([]);
    await ivr.inbound?.stop();
    ivr.inbound = undefined;
    await ivr.floor.close();
  });
  return ivr;
}

/** The routing decision recorded for an inbound call (InboundCallRouted), once it is there. */
export async function routed(floor: Floor, id: string): Promise<Record<string, any>> {
  const events = await until('routed', async () => {
    const es = await floor.events(callStreamId(id));
    return es.some((e) => e.type === 'InboundCallRouted') && es;
  });
  return events.find((e) => e.type === 'InboundCallRouted')!.data as Record<string, any>;
}

/** An earlier call of this number, bridged to the agent a day ago, as the log has it (what makes a known customer). */
export async function spokeBefore(floor: Floor, phone: string, agentId: string, did: string): Promise<void> {
  const callId = randomUUID();
  const at = new Date(floor.clock.now() - 86_400_000).toISOString();
  await floor.store.append(callStreamId(callId), [
    { type: 'CallReceived', data: { callId, at, phone, did, direction: 'inbound' } },
    { type: 'CallBridged', data: { callId, at, agentId } },
    { type: 'CallEnded', data: { callId, at, cause: 'NORMAL_CLEARING', hangupBy: 'caller' } },
  ], 'any');
}
