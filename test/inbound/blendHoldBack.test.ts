/**
 * The dialers' hold-back on a blended floor counts only the callers a campaign's agents would take first: a queue
 * ranked below the campaign holds back nothing, since the campaign's answered calls go first (dispatchOrder).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inboundHoldBack } from '../../src/inbound/queueInbound.ts';
import { callerWaits, createCampaign, createQueue, registerAgent, uniqueAgents } from '../acd/inboundSupport.ts';
import { openFloor, type Floor } from '../telephony/session/harness.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor.close();
});

describe('hold-back by priority: a campaign holds back only for queues ranked at or above it', () => {
  it('a campaign of 8 holds back for the VIP line (8), not for the general line (5), and says why', async () => {
    const [agent] = uniqueAgents('blended');
    const skill = `hold-${agent}`;
    const skills = [{ skill, minLevel: 1 }];
    await registerAgent(floor, agent, [{ skill, level: 5 }]);
    const general = await createQueue(floor, { skills, priority: 5 });
    const vipLine = await createQueue(floor, { skills, priority: 8 });
    // Logged in and busy elsewhere (not ready): the callers wait.
    floor.sim.switch.agents.set('3001', { answerMs: 200 });
    expect(await floor.server.agentCommand(agent, { type: 'LOGIN', extension: '3001' })).toBeUndefined();
    await callerWaits(floor, { queueId: general }, '13900139101');
    await callerWaits(floor, { queueId: general }, '13900139102');
    await callerWaits(floor, { queueId: vipLine }, '13900139103');
    const serves = (id: string) => id === agent;

    const high = inboundHoldBack(floor.server, { campaignId: await createCampaign(floor, { priority: 8 }), departmentId: 'd-1', serves });
    expect(high.count).toBe(1);
    expect(high.why).toContain(`${vipLine} 1 (1 of its agents could take them)`);
    expect(high.why).toContain(`${general} 2 (queue priority 5 below the campaign's 8)`);

    // At the default 5 the general line's callers go first (equal: inbound first), so they hold back too.
    const even = inboundHoldBack(floor.server, { campaignId: await createCampaign(floor, {}), departmentId: 'd-1', serves });
    expect(even.count).toBe(3);
  });
});
