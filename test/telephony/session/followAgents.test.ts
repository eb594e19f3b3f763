import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleCommand } from '../../../src/commands/handleCommand.ts';
import type { AgentMachineEvent } from '../../../src/domain/machines/agentMachine.ts';
import { agentMachineDecider } from '../../../src/domain/machines/deciders.ts';
import type { Subscription } from '../../../src/eventstore/types.ts';
import { followAgents } from '../../../src/telephony/session/followAgents.ts';
import { openFloor, until, type Floor } from './harness.ts';

let floor: Floor;
let sub: Subscription | undefined;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await sub?.stop();
  await floor?.close();
});

/** Another writer (the agent desk API) changes the agent's state, not this server. */
const elsewhere = (agentId: string, event: AgentMachineEvent) =>
  handleCommand(floor.store, agentMachineDecider(agentId), agentId, { type: 'AgentMachine', data: { event }, meta: { now: new Date().toISOString() } });

describe('following agent state written elsewhere', () => {
  it('an agent made ready by another writer is offered the next call', async () => {
    sub = await followAgents(floor.server);
    const agentId = `a-${randomUUID()}`;
    floor.sim.switch.agents.set('4001', { answerMs: 200 });
    await elsewhere(agentId, { type: 'LOGIN', extension: '4001' });
    await elsewhere(agentId, { type: 'READY' });
    await until('desk sees the agent ready', () => floor.server.agents.status(agentId) === 'ready');

    const callId = randomUUID();
    floor.sim.switch.customers.script('8613600000001', { kind: 'answer', ringMs: 300, talkMs: 600_000, machine: false, earlyMedia: false });
    await floor.server.dial({ callId, dial: 'sofia/gateway/trunk/8613600000001' });
    await until('bridged', () => floor.server.endpoint(callId)?.status === 'bridged');
    expect(floor.server.endpoint(callId)?.agentId).toBe(agentId);
  });

  it('a not-ready set elsewhere takes the agent out of routing', async () => {
    sub = await followAgents(floor.server);
    const agentId = `a-${randomUUID()}`;
    await floor.server.agentCommand(agentId, { type: 'LOGIN', extension: '4002' });
    await floor.server.agentCommand(agentId, { type: 'READY' });
    await elsewhere(agentId, { type: 'NOT_READY', reasonCode: 'meeting' });
    await until('desk sees not ready', () => floor.server.agents.status(agentId) === 'not-ready');
    expect(floor.server.agents.readyAgents().map((a) => a.agentId)).not.toContain(agentId);
  });
});
