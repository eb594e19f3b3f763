import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { campaignDecider } from '../../src/domain/campaign/decider.ts';
import { callerWaits, createCampaign, createQueue, offers, readyAgent, registerAgent, uniqueAgents } from '../acd/inboundSupport.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor.close();
});

/** A customer the campaign dialed answers and waits for an agent (a long connect rule: the test decides when). */
async function dialedCustomerWaits(campaignId: string, number: string): Promise<string> {
  const callId = randomUUID();
  floor.sim.switch.customers.script(number, { kind: 'answer', ringMs: 100, talkMs: 60_000, machine: false, earlyMedia: false });
  await floor.server.dial({ callId, dial: `sofia/gateway/trunk/${number}`, campaignId, connectRuleMs: 60_000 });
  await until('dialer call queued', () => floor.server.endpoint(callId)?.status === 'queued');
  await floor.server.idle();
  return callId;
}

/** Blended agents of this test only: they take the queue's callers (its skill) and the campaigns' calls. */
async function blendedFloor(): Promise<{ agents: string[]; queueId: string }> {
  const agents = uniqueAgents('first', 'second');
  const skill = `blend-${agents[0]}`;
  for (const a of agents) await registerAgent(floor, a, [{ skill, level: 5 }]);
  floor.server.dialerAgentFilter = (agentId) => agents.includes(agentId);
  // Ranking needs the queues' and campaigns' settings: until they are loaded a dialer call (which cannot wait) goes
  // to a ready agent while inbound callers wait, so load them before anyone is ready.
  await floor.server.queues.start();
  return { agents, queueId: await createQueue(floor, { skills: [{ skill, minLevel: 1 }], priority: 5 }) };
}

describe('blended agents: dialer calls and inbound callers compete by priority', () => {
  it('a campaign of priority 8 beats a queue of 5: its answered customer takes the ready agent though the caller waited longer', async () => {
    const { agents: [first, second], queueId } = await blendedFloor();
    const campaignId = await createCampaign(floor, { priority: 8 });
    const caller = await callerWaits(floor, { queueId });
    floor.clock.t += 20_000;
    const dialed = await dialedCustomerWaits(campaignId, '8613800138201');

    await readyAgent(floor, first, '1001');
    expect(floor.server.endpoint(dialed)?.agentId).toBe(first);
    expect(floor.server.endpoint(caller)?.agentId).toBeUndefined();
    await readyAgent(floor, second, '1002');
    expect(floor.server.endpoint(caller)?.agentId).toBe(second);
    expect((await offers(floor, caller))[0].data).toMatchObject({ queuePriority: 5, winner: second });
  });

  it('a campaign left at the default 5 loses to a queue of 5: the caller on the line goes first though the dialer call is older', async () => {
    const { agents: [first, second], queueId } = await blendedFloor();
    const campaignId = await createCampaign(floor, {});
    const dialed = await dialedCustomerWaits(campaignId, '8613800138202');
    floor.clock.t += 20_000;
    const caller = await callerWaits(floor, { queueId });

    await readyAgent(floor, first, '1001');
    expect(floor.server.endpoint(caller)?.agentId).toBe(first);
    expect(floor.server.endpoint(dialed)?.agentId).toBeUndefined();
    await readyAgent(floor, second, '1002');
    expect(floor.server.endpoint(dialed)?.agentId).toBe(second);
  });

  it('a campaign reconfigured to 8 while its customer waits ranks 8 at the next dispatch', async () => {
    const { agents: [first], queueId } = await blendedFloor();
    const campaignId = await createCampaign(floor, {});
    const caller = await callerWaits(floor, { queueId });
    const dialed = await dialedCustomerWaits(campaignId, '8613800138203');
    await handleCommand(floor.store, campaignDecider, campaignId, {
      type: 'ConfigureCampaign', data: { config: { priority: 8 } }, meta: { now: new Date(floor.clock.now()).toISOString(), actorId: 'admin-1', actorRole: 'admin' },
    });
    await floor.server.queues.sync();

    await readyAgent(floor, first, '1001');
    expect(floor.server.endpoint(dialed)?.agentId).toBe(first);
    expect(floor.server.endpoint(caller)?.agentId).toBeUndefined();
  });
});
