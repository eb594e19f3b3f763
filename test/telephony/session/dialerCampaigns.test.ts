import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { handleCommand } from '../../../src/commands/handleCommand.ts';
import { campaignDecider } from '../../../src/domain/campaign/decider.ts';
import { callStreamId } from '../../../src/domain/call/streams.ts';
import { CampaignDialers } from '../../../src/floor/campaignDialers.ts';
import { agentLegId } from '../../../src/telephony/session/callEndpoint.ts';
import { liveFloorEachTest } from '../../floor/support.ts';
import { until } from './harness.ts';

const meta = (id: string) => ({ now: new Date().toISOString(), commandId: id, actorId: 'admin-1', actorRole: 'admin' });
const answerAfter = (ringMs: number) => ({ kind: 'answer', ringMs, talkMs: 600_000, machine: false, earlyMedia: false }) as const;

const live = liveFloorEachTest();

async function readyAgent(agentId: string, ext: string): Promise<void> {
  live.floor.sim.switch.agents.set(ext, { answerMs: 500 });
  expect(await live.floor.server.agentCommand(agentId, { type: 'LOGIN', extension: ext })).toBeUndefined();
  expect(await live.floor.server.agentCommand(agentId, { type: 'READY' })).toBeUndefined();
}

async function queuedCall(campaignId: string, number: string): Promise<string> {
  const callId = randomUUID();
  live.floor.sim.switch.customers.script(number, answerAfter(300));
  await live.floor.server.dial({ callId, dial: `sofia/gateway/trunk/${number}`, campaignId, connectRuleMs: 120_000 });
  return callId;
}

describe('dialer calls go to the agents of their campaign', () => {
  it('a call of department A’s campaign waits while only a department B agent is ready, B’s call still goes, then A’s agent takes it', async () => {
    const tag = randomUUID().slice(0, 8);
    const [agentA, agentB, campA, campB] = [`ua-${tag}`, `ub-${tag}`, `ca-${tag}`, `cb-${tag}`];
    await live.floor.store.append(`user-${agentA}`, [{ type: 'UserCreated', data: { userId: agentA, username: agentA, role: 'agent', departmentId: `da-${tag}` } }]);
    await live.floor.store.append(`user-${agentB}`, [{ type: 'UserCreated', data: { userId: agentB, username: agentB, role: 'agent', departmentId: `db-${tag}` } }]);
    // Created, not started: the dialers know each campaign's department but place no dial of their own.
    for (const [id, dept] of [[campA, `da-${tag}`], [campB, `db-${tag}`]]) {
      await handleCommand(live.floor.store, campaignDecider, id, { type: 'CreateCampaign', data: { campaignId: id, name: id, departmentId: dept, config: { mode: 'progressive' } }, meta: meta(`create-${id}`) } as never);
    }
    live.dialers = new CampaignDialers({ store: live.floor.store, media: live.floor.server, dialString: (n) => `sofia/gateway/trunk/${n.slice(1)}` });
    await live.dialers.start();

    await readyAgent(agentB, '2002');
    const callA = await queuedCall(campA, '8613800139001');
    await until('A’s call queued', () => live.floor.server.endpoint(callA)?.status === 'queued');
    // Queued after A's call: skipped past A's, it goes to B's agent.
    const callB = await queuedCall(campB, '8613800139002');
    await until('B’s call bridged to B’s agent', () => live.floor.server.endpoint(callB)?.status === 'bridged');
    expect(live.floor.server.endpoint(callB)!.agentId).toBe(agentB);
    await live.floor.server.idle();
    expect(live.floor.server.endpoint(callA)!.status).toBe('queued');
    expect(live.floor.server.endpoint(callA)!.agentId).toBeUndefined();

    await readyAgent(agentA, '2001');
    await until('A’s call bridged to A’s agent', () => live.floor.server.endpoint(callA)?.status === 'bridged');
    expect(live.floor.server.endpoint(callA)!.agentId).toBe(agentA);
    expect(live.floor.sim.hears(callA)).toContain(agentLegId(callA, agentA));
    expect(await live.floor.types(callStreamId(callA))).toEqual(['CallRinging', 'CallAnswered', 'CallQueued', 'CallBridged']);
  });

  it('a call of a campaign the dialers do not know, or of none, goes to any ready agent', async () => {
    live.dialers = new CampaignDialers({ store: live.floor.store, media: live.floor.server, dialString: (n) => `sofia/gateway/trunk/${n.slice(1)}` });
    await live.dialers.start();
    const agent = `u-${randomUUID()}`;
    await readyAgent(agent, '2003');
    const callId = await queuedCall(`unknown-${randomUUID()}`, '8613800139003');
    await until('bridged', () => live.floor.server.endpoint(callId)?.status === 'bridged');
    expect(live.floor.server.endpoint(callId)!.agentId).toBe(agent);
  });
});
