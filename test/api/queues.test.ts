import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionReadModels } from '../../src/api/projectionReadModels.ts';
import { startProjections, type ProjectionRunner } from '../../src/projections/index.ts';
import { startServer, type Harness } from './harness.ts';

let h: Harness;
let runner: ProjectionRunner;
const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;
const SET = 'mutation($a: ID!, $s: [AgentSkillInput!]!) { setAgentSkills(agentId: $a, skills: $s) { position } }';
const QUEUE = '{ queue(id: "q-yue") { skills { skill minLevel } agents { id } members { agent { id } skills { skill level } status } state { agentsAvailable agentsBusy } } }';

async function queue(user: string) {
  await runner.waitFor(await h.store.headPosition());
  const r = await h.gql(QUEUE, {}, await h.token(user));
  expect(r.errors).toBeUndefined();
  return r.data.queue;
}

beforeAll(async () => {
  h = await startServer(({ pool, store }) => ({ readModels: projectionReadModels(pool, store) }), 'api_queues');
  runner = await startProjections({ pool: h.pool, store: h.store });
  const r = await h.gql('mutation { createQueue(id: "q-yue", input: { name: "粤语热线", departmentId: "east", skills: [{ skill: "cantonese", minLevel: 5 }] }) { position } }', {}, await h.token('admin'));
  expect(r.errors).toBeUndefined();
});
afterAll(async () => {
  await runner?.stop();
  await h?.close();
});

describe('queue membership by skills', () => {
  it('a queue has no agents until an admin or their supervisor gives agents its skills; too low a level stays out', async () => {
    expect(await queue('admin')).toEqual({ skills: [{ skill: 'cantonese', minLevel: 5 }], agents: [], members: [], state: { agentsAvailable: 0, agentsBusy: 0 } });
    expect((await h.gql(SET, { a: 'agent-east', s: [{ skill: 'cantonese', level: 6 }, { skill: 'sales', level: 3 }] }, await h.token('admin'))).errors).toBeUndefined();
    expect((await h.gql(SET, { a: 'agent-sh', s: [{ skill: 'cantonese', level: 4 }] }, await h.token('sup-east'))).errors).toBeUndefined();
    const q = await queue('admin');
    expect(q.agents).toEqual([{ id: 'agent-east' }]);
    expect(q.members).toEqual([{ agent: { id: 'agent-east' }, skills: [{ skill: 'cantonese', level: 6 }, { skill: 'sales', level: 3 }], status: 'LOGGED_OUT' }]);
    // level 5 meets the minimum
    expect((await h.gql(SET, { a: 'agent-sh', s: [{ skill: 'cantonese', level: 5 }] }, await h.token('sup-east'))).errors).toBeUndefined();
    expect((await queue('sup-east')).agents).toEqual([{ id: 'agent-east' }, { id: 'agent-sh' }]);
    // new skills replace the old: without cantonese the agent leaves the queue
    expect((await h.gql(SET, { a: 'agent-sh', s: [{ skill: 'sales', level: 9 }] }, await h.token('admin'))).errors).toBeUndefined();
    expect((await queue('admin')).agents).toEqual([{ id: 'agent-east' }]);
  });

  it('shows the members live state, and counts available and busy among them only', async () => {
    const east = await h.token('agent-east');
    expect((await h.gql('mutation { agentLogin(extension: "3101") { position } }', {}, east)).errors).toBeUndefined();
    expect((await h.gql('mutation { setAgentAvailable { position } }', {}, east)).errors).toBeUndefined();
    // someone outside the queue logs in and is ready too: not counted for this queue
    const other = await h.token('agent-east-2');
    await h.gql('mutation { agentLogin(extension: "3102") { position } }', {}, other);
    await h.gql('mutation { setAgentAvailable { position } }', {}, other);
    const q = await queue('sup-east');
    expect(q.members.map((m: any) => [m.agent.id, m.status])).toEqual([['agent-east', 'AVAILABLE']]);
    expect(q.state).toEqual({ agentsAvailable: 1, agentsBusy: 0 });
    await h.gql('mutation { pauseAgent(reason: "break") { position } }', {}, east);
    expect((await queue('admin')).members[0].status).toBe('PAUSED');
  });

  it('refuses skills from agents, from another department\'s supervisor, and invalid levels, saying why', async () => {
    const s = [{ skill: 'cantonese', level: 9 }];
    expect(code(await h.gql(SET, { a: 'agent-east', s }, await h.token('agent-east')))).toBe('FORBIDDEN');
    expect(code(await h.gql(SET, { a: 'agent-east', s }, await h.token('sup-west')))).toBe('FORBIDDEN');
    const bad = await h.gql(SET, { a: 'agent-east', s: [{ skill: 'cantonese', level: 11 }] }, await h.token('admin'));
    expect(code(bad)).toBe('SKILLS_INVALID');
    expect(bad.errors?.[0].message).toMatch(/1.*10/);
    expect(code(await h.gql(SET, { a: 'nobody', s }, await h.token('admin')))).toBe('AGENT_NOT_FOUND');
    // nothing of the refused commands reached the queue
    expect((await queue('admin')).members[0].skills).toEqual([{ skill: 'cantonese', level: 6 }, { skill: 'sales', level: 3 }]);
  });
});
