/**
 * The dialers' hold-back on a blended floor: a caller waiting in a queue holds back only the campaigns whose agents
 * could take them (the queue's department, the queue's skills), not every campaign of the floor.
 * Real store, the FreeSWITCH simulator over ESL, the live session and the campaign dialers on it.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDepartment } from '../../src/api/auth/identity.ts';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import type { Skill } from '../../src/domain/agent/events.ts';
import { agentDecider } from '../../src/domain/agent/decider.ts';
import { campaignDecider } from '../../src/domain/campaign/decider.ts';
import { leadDecider } from '../../src/domain/lead/decider.ts';
import { queueDecider } from '../../src/domain/queue/decider.ts';
import type { QueueConfig } from '../../src/domain/queue/events.ts';
import { CampaignDialers } from '../../src/floor/campaignDialers.ts';
import { inboundHoldBack } from '../../src/inbound/queueInbound.ts';
import { callerWaits, readyAgent, uniqueAgents } from '../acd/inboundSupport.ts';
import { until } from '../telephony/session/harness.ts';
import { ALL_DAY, liveFloorEachTest, phonesOf } from './support.ts';

const live = liveFloorEachTest();

let seq = 0;
const meta = () => ({ now: new Date().toISOString(), commandId: `hold-${randomUUID()}-${++seq}`, actorId: 'admin-1', actorRole: 'admin' });

async function queueOf(departmentId: string, config: Partial<QueueConfig> = {}): Promise<string> {
  const queueId = `q-${departmentId}-${randomUUID().slice(0, 6)}`;
  await handleCommand(live.floor.store, queueDecider, queueId, { type: 'CreateQueue', data: { queueId, name: queueId, departmentId, config }, meta: meta() });
  await live.floor.server.queues.sync();
  return queueId;
}

/** A user of the department (what the dialers go by) who is an agent with these skills (what routing goes by). */
async function agentOf(departmentId: string, agentId: string, skills: Skill[] = []): Promise<void> {
  await live.floor.store.append(`user-${agentId}`, [{ type: 'UserCreated', data: { userId: agentId, username: agentId, role: 'agent', departmentId } }]);
  await handleCommand(live.floor.store, agentDecider, agentId, { type: 'RegisterAgent', data: { agentId, name: agentId, teamId: 't-1', departmentId, skills }, meta: meta() });
  await live.floor.server.queues.sync();
}

const loggedIn = async (agentId: string, extension: string) => {
  live.floor.sim.switch.agents.set(extension, { answerMs: 200 });
  expect(await live.floor.server.agentCommand(agentId, { type: 'LOGIN', extension })).toBeUndefined();
};

describe('hold-back for inbound callers, by the agents who could take them', () => {
  it('counts a queue’s waiting callers only for campaigns of its department with an agent who has its skills', async () => {
    const [a1, a2, b1] = uniqueAgents('a1', 'a2', 'b1');
    const skill = `cantonese-${a1}`;
    const [deptA, deptB] = [`A-${a1}`, `B-${a1}`];
    await agentOf(deptA, a1, [{ skill, level: 5 }]);
    await agentOf(deptA, a2);
    await agentOf(deptB, b1);
    const qA = await queueOf(deptA, { skills: [{ skill, minLevel: 3 }] });
    const qB = await queueOf(deptB);
    // Everyone is logged in and busy elsewhere (not ready): the callers wait.
    await loggedIn(a1, '2001');
    await loggedIn(a2, '2002');
    await loggedIn(b1, '2003');
    await callerWaits(live.floor, { queueId: qA }, '13900139001');
    await callerWaits(live.floor, { queueId: qA }, '13900139002');
    await callerWaits(live.floor, { queueId: qB }, '13900139003');
    // A queue the log does not name is the whole floor's.
    const unknown = `q-unknown-${a1}`;
    await callerWaits(live.floor, { queueId: unknown }, '13900139004');
    expect(live.floor.server.inboundWaiting()).toBe(4);

    const inA = (...agents: string[]) => ({ departmentId: deptA, serves: (id: string) => agents.includes(id) });
    const a = inboundHoldBack(live.floor.server, inA(a1, a2));
    expect(a.count).toBe(3);
    expect(a.why).toContain(`${qA} 2 (1 of its agents could take them)`);
    expect(a.why).toContain(`${unknown} 1`);
    expect(a.why).toContain(`not for ${qB} 1 (department ${deptB})`);

    const b = inboundHoldBack(live.floor.server, { departmentId: deptB, serves: (id) => id === b1 });
    expect(b.count).toBe(2);
    expect(b.why).toContain(`${qA} 2 (department ${deptA})`);

    // Department A's campaign whose only agent lacks the queue's skill: qA's callers are not its to keep free.
    const unskilled = inboundHoldBack(live.floor.server, inA(a2));
    expect(unskilled.count).toBe(1);
    expect(unskilled.why).toContain(`${qA} 2 (none of its agents has the skills)`);
  });

  it("a team's campaign under the queue's department holds back for its callers (routing would give them its agents); a parent's campaign does not for the team's queue", async () => {
    const [a1, p1] = uniqueAgents('a1', 'p1');
    const skill = `billing-${a1}`;
    const [deptA, teamA1] = [`A-${a1}`, `A1-${a1}`];
    await createDepartment(live.floor.store, { departmentId: deptA, name: 'Client A' });
    await createDepartment(live.floor.store, { departmentId: teamA1, name: 'Client A team 1', parentId: deptA });
    await agentOf(teamA1, a1, [{ skill, level: 5 }]);
    await agentOf(deptA, p1, [{ skill, level: 5 }]);
    const qA = await queueOf(deptA, { skills: [{ skill, minLevel: 3 }] });
    const qTeam = await queueOf(teamA1, { skills: [{ skill, minLevel: 3 }] });
    await loggedIn(a1, '2031');
    await loggedIn(p1, '2032');
    await callerWaits(live.floor, { queueId: qA }, '13900139031');
    await callerWaits(live.floor, { queueId: qTeam }, '13900139032');

    const team = inboundHoldBack(live.floor.server, { departmentId: teamA1, serves: (id) => id === a1 });
    expect(team.count).toBe(2);
    expect(team.why).toContain(`${qA} 1 (1 of its agents could take them)`);

    const parent = inboundHoldBack(live.floor.server, { departmentId: deptA, serves: (id) => id === p1 });
    expect(parent.count).toBe(1);
    expect(parent.why).toContain(`not for ${qTeam} 1 (department ${teamA1})`);
  });

  it('the live dialers hold back the department whose agents could take the caller, the other department keeps dialing', async () => {
    const [a1, a2, b1] = uniqueAgents('a1', 'a2', 'b1');
    const skill = `billing-${a1}`;
    const [deptA, deptB] = [`A-${a1}`, `B-${a1}`];
    await agentOf(deptA, a1, [{ skill, level: 5 }]);
    await agentOf(deptA, a2);
    await agentOf(deptB, b1);
    const qA = await queueOf(deptA, { skills: [{ skill, minLevel: 3 }] });
    // a1 could take qA's caller but is busy; a2 (no skill) and b1 wait in ready for dialer calls.
    await loggedIn(a1, '2011');
    await readyAgent(live.floor, a2, '2012');
    await readyAgent(live.floor, b1, '2013');
    const caller = await callerWaits(live.floor, { queueId: qA }, '13900139011');

    for (const [c, dept, block] of [['cA', deptA, '3901'], ['cB', deptB, '3902']] as const) {
      const campaignId = `${c}-${a1}`;
      for (const [i, phone] of phonesOf(block, 5).entries()) {
        await handleCommand(live.floor.store, leadDecider, phone, { type: 'ImportLead', data: { phone, source: 'file', batchId: `list-${campaignId}`, row: i + 1, departmentId: dept }, meta: meta() });
      }
      for (const [type, data] of [
        ['CreateCampaign', { campaignId, name: c, departmentId: dept, config: { mode: 'progressive', callingHours: ALL_DAY } }],
        ['AttachList', { listId: `list-${campaignId}` }],
        ['StartCampaign', {}],
      ] as const) {
        await handleCommand(live.floor.store, campaignDecider, campaignId, { type, data, meta: meta() } as never);
      }
    }
    const dials = async (campaignId: string) =>
      (await live.floor.store.readAll({ after: 0, maxCount: 10_000, filter: { eventTypes: ['CallDialAttempted'] } })).filter((e) => e.data.campaignId === campaignId).length;

    live.dialers = new CampaignDialers({ store: live.floor.store, media: live.floor.server, dialString: (n) => `sofia/gateway/t/${n.slice(1)}`, holdBack: (c) => inboundHoldBack(live.floor.server, c), tickMs: 20 });
    await live.dialers.start();
    const [cA, cB] = [`cA-${a1}`, `cB-${a1}`];
    await until('department B dials for its ready agent', async () => (await dials(cB)) >= 1);
    await new Promise((r) => setTimeout(r, 300)); // several rounds of cA's dialer
    expect(await dials(cA)).toBe(0);
    expect(live.dialers.dialer(cA)!.explain()).toMatchObject({ heldBack: 1, heldBackWhy: expect.stringContaining(`${qA} 1 (1 of its agents could take them)`) });

    // The caller gives up: nothing holds department A back any more.
    live.floor.sim.remoteHangup(caller);
    await until('department A dials', async () => (await dials(cA)) >= 1);
    expect(live.dialers.dialer(cA)!.explain()).toMatchObject({ heldBack: 0 });
  });

  it('a dial placed in a round that held some back says so on its receipt', async () => {
    const [a1, a2, a3] = uniqueAgents('a1', 'a2', 'a3');
    const skill = `billing-${a1}`;
    const dept = `A-${a1}`;
    await agentOf(dept, a1, [{ skill, level: 5 }]);
    await agentOf(dept, a2);
    await agentOf(dept, a3);
    const qA = await queueOf(dept, { skills: [{ skill, minLevel: 3 }] });
    // Two agents wait for dialer calls; the caller waits for the busy skilled one: one dial of two is held back.
    await loggedIn(a1, '2021');
    await readyAgent(live.floor, a2, '2022');
    await readyAgent(live.floor, a3, '2023');
    await callerWaits(live.floor, { queueId: qA }, '13900139021');
    const campaignId = `cR-${a1}`;
    for (const [i, phone] of phonesOf('3903', 5).entries()) {
      await handleCommand(live.floor.store, leadDecider, phone, { type: 'ImportLead', data: { phone, source: 'file', batchId: `list-${campaignId}`, row: i + 1, departmentId: dept }, meta: meta() });
    }
    for (const [type, data] of [
      ['CreateCampaign', { campaignId, name: 'receipt', departmentId: dept, config: { mode: 'progressive', callingHours: ALL_DAY } }],
      ['AttachList', { listId: `list-${campaignId}` }],
      ['StartCampaign', {}],
    ] as const) {
      await handleCommand(live.floor.store, campaignDecider, campaignId, { type, data, meta: meta() } as never);
    }
    live.dialers = new CampaignDialers({ store: live.floor.store, media: live.floor.server, dialString: (n) => `sofia/gateway/t/${n.slice(1)}`, holdBack: (c) => inboundHoldBack(live.floor.server, c), tickMs: 20 });
    await live.dialers.start();
    const receipt = await until('a dial of the campaign', async () =>
      (await live.floor.store.readAll({ after: 0, maxCount: 10_000, filter: { eventTypes: ['CallDialAttempted'] } })).find((e) => e.data.campaignId === campaignId));
    expect(receipt.data).toMatchObject({ compliance: { allowed: true, inputs: { heldBack: 1, heldBackWhy: expect.stringContaining(`${qA} 1 (1 of its agents could take them)`) } } });
  });
  it('an agent held for a caller waiting for them (a known customer) is held back from the campaigns that dial for them', async () => {
    const [a1, a2] = uniqueAgents('a1', 'a2');
    const dept = `A-${a1}`;
    await agentOf(dept, a1);
    await agentOf(dept, a2);
    await readyAgent(live.floor, a1, '2031');
    await readyAgent(live.floor, a2, '2032');
    const inDept = (...agents: string[]) => ({ departmentId: dept, serves: (id: string) => agents.includes(id) });
    expect(inboundHoldBack(live.floor.server, inDept(a1, a2)).count).toBe(0);
    // The inbound side holds a1 (ready) for a caller waiting for them: one dial fewer for the campaigns a1 serves.
    live.floor.server.heldAgents = () => new Map([[a1, 'call-waiting-for-a1']]);
    const held = inboundHoldBack(live.floor.server, inDept(a1, a2));
    expect(held).toMatchObject({ count: 1, why: expect.stringContaining(`${a1}, kept for callers waiting for them`) });
    expect(live.floor.server.readyAgents().map((a) => a.agentId)).not.toContain(a1);
    // A campaign a1 does not dial for holds nothing back for them; nor once a1 is no longer ready.
    expect(inboundHoldBack(live.floor.server, inDept(a2)).count).toBe(0);
    expect(await live.floor.server.agentCommand(a1, { type: 'NOT_READY', reasonCode: 'break' })).toBeUndefined();
    expect(inboundHoldBack(live.floor.server, inDept(a1, a2)).count).toBe(0);
  });
});
