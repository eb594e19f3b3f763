/** Shared steps for inbound ACD tests: queues and skills in the log, agents on the desk, callers on the line. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import type { Skill } from '../../src/domain/agent/events.ts';
import { agentDecider } from '../../src/domain/agent/decider.ts';
import { campaignDecider } from '../../src/domain/campaign/decider.ts';
import type { CampaignConfig } from '../../src/domain/campaign/events.ts';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { queueDecider } from '../../src/domain/queue/decider.ts';
import type { QueueConfig } from '../../src/domain/queue/events.ts';
import type { RecordedEvent } from '../../src/eventstore/types.ts';
import { enterQueue, type QueueEntry } from '../../src/inbound/queueInbound.ts';
import { until, type Floor } from '../telephony/session/harness.ts';

const meta = (floor: Floor) => ({ now: new Date(floor.clock.now()).toISOString(), actorId: 'sup-1', actorRole: 'supervisor' });

/** A queue in the log, as a supervisor would create it; the session sees it on its next decision. */
export async function createQueue(floor: Floor, config: Partial<QueueConfig>, departmentId = 'd-1'): Promise<string> {
  const queueId = `q-${randomUUID()}`;
  await handleCommand(floor.store, queueDecider, queueId, {
    type: 'CreateQueue', data: { queueId, name: 'Sales', departmentId, config }, meta: meta(floor),
  });
  await floor.server.queues.sync();
  return queueId;
}

/** A campaign in the log, as an admin would create it; the session ranks its calls by it from the next dispatch. */
export async function createCampaign(floor: Floor, config: Partial<CampaignConfig>, departmentId = 'd-1'): Promise<string> {
  const campaignId = `camp-${randomUUID()}`;
  await handleCommand(floor.store, campaignDecider, campaignId, {
    type: 'CreateCampaign',
    data: { campaignId, name: 'Blend', departmentId, config },
    meta: { now: new Date(floor.clock.now()).toISOString(), actorId: 'admin-1', actorRole: 'admin' },
  });
  await floor.server.queues.sync();
  return campaignId;
}

export async function registerAgent(floor: Floor, agentId: string, skills: Skill[] = [], departmentId = 'd-1'): Promise<void> {
  await handleCommand(floor.store, agentDecider, agentId, {
    type: 'RegisterAgent', data: { agentId, name: agentId, teamId: 't-1', departmentId, skills }, meta: meta(floor),
  });
  await floor.server.queues.sync();
}

/** Log in and go ready at the floor's current time; the phone answers after `answerMs`, or never. */
export async function readyAgent(floor: Floor, agentId: string, extension: string, phone: { answerMs?: number; answer?: boolean } = { answerMs: 200 }): Promise<void> {
  floor.sim.switch.agents.set(extension, phone);
  expect(await floor.server.agentCommand(agentId, { type: 'LOGIN', extension })).toBeUndefined();
  expect(await floor.server.agentCommand(agentId, { type: 'READY' })).toBeUndefined();
}

/** A caller rings and is received (CallReceived with their number, as the inbound reception records it). */
export async function callerRings(floor: Floor, from = `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`): Promise<string> {
  const id = floor.sim.inboundCall(from, '+862180000001');
  await until('parked', () => floor.facts.some((f) => f.kind === 'parked' && 'callId' in f && f.callId === id));
  const at = new Date(floor.clock.now()).toISOString();
  await floor.store.append(callStreamId(id), [{ type: 'CallReceived', data: { callId: id, at, phone: `+86${from}`, did: '+862180000001', direction: 'inbound' } }], 'no-stream');
  return id;
}

/** A caller rings, the queue answers them and they wait (CallAnswered, CallQueued). */
export async function callerWaits(floor: Floor, entry: QueueEntry, from?: string): Promise<string> {
  const id = await callerRings(floor, from);
  await floor.server.enqueue(() => enterQueue(floor.server, id, entry));
  await until('queued', () => ['queued', 'bridged'].includes(floor.server.endpoint(id)?.status ?? '') || floor.server.endpoint(id)?.agentId);
  await floor.server.idle();
  return id;
}

export async function offers(floor: Floor, callId: string): Promise<RecordedEvent[]> {
  return (await floor.events(callStreamId(callId))).filter((e) => e.type === 'CallOffered');
}

export const uniqueAgents = (...names: string[]): string[] => {
  const prefix = `a${randomUUID().slice(0, 8)}`;
  return names.map((n) => `${prefix}-${n}`);
};
