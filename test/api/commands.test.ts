import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { leadDecider } from '../../src/domain/lead/decider.ts';
import type { LeadCommand } from '../../src/domain/lead/commands.ts';
import { startServer, type Harness } from './harness.ts';

let h: Harness;
const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;

async function importLead(phone: string, departmentId: string) {
  const cmd = { type: 'ImportLead', data: { phone, source: 'file', departmentId }, meta: { now: new Date().toISOString(), actorRole: 'system' } } as LeadCommand;
  await handleCommand(h.store, leadDecider, phone, cmd);
}

beforeAll(async () => {
  h = await startServer({}, 'api_cmd');
  await importLead('+8613800138001', 'east');
  await importLead('+8613800138002', 'east');
  await importLead('+8613800138003', 'west');
});
afterAll(() => h?.close());

const CLAIM = 'mutation($lead: ID!, $cid: ID) { claimLead(leadId: $lead, commandId: $cid) { streamId position repeated events { type position } } }';

describe('command mutations', () => {
  it('claims a lead and returns the positions of the resulting events', async () => {
    const r = await h.gql(CLAIM, { lead: '138 0013 8001' }, await h.token('agent-east'));
    expect(r.errors).toBeUndefined();
    expect(r.data.claimLead).toMatchObject({ streamId: 'lead-+8613800138001', repeated: false, events: [{ type: 'LeadClaimed' }] });
    expect(r.data.claimLead.position).toBe(r.data.claimLead.events[0].position);
    const stored = await h.store.readStream('lead-+8613800138001');
    expect(stored.at(-1)).toMatchObject({ type: 'LeadClaimed', position: r.data.claimLead.position, data: { agentId: 'agent-east' }, metadata: { actorId: 'agent-east', actorRole: 'agent' } });
  });

  it('answers a repeated command id with the first result and appends nothing', async () => {
    const token = await h.token('agent-east-2');
    const first = await h.gql(CLAIM, { lead: '+8613800138002', cid: 'click-1' }, token);
    const again = await h.gql(CLAIM, { lead: '+8613800138002', cid: 'click-1' }, token);
    expect(first.data.claimLead.repeated).toBe(false);
    expect(again.data.claimLead).toEqual({ ...first.data.claimLead, repeated: true });
    expect((await h.store.readStream('lead-+8613800138002')).filter((e) => e.type === 'LeadClaimed')).toHaveLength(1);
  });

  it('returns domain rejections as typed errors with the reason', async () => {
    const r = await h.gql(CLAIM, { lead: '+8613800138002' }, await h.token('agent-east'));
    expect(code(r)).toBe('LEAD_CLAIMED_BY_OTHER');
    expect(r.errors![0].extensions.reason).toMatch(/agent-east-2/);
    expect(r.errors![0].extensions.details).toMatchObject({ agentId: 'agent-east-2' });
    expect(code(await h.gql(CLAIM, { lead: 'not a phone' }, await h.token('agent-east')))).toMatch(/^PHONE_/);
    expect(code(await h.gql(CLAIM, { lead: '+8613900000000' }, await h.token('agent-east')))).toBe('LEAD_NOT_FOUND');
  });

  it('refuses every mutation to the auditor and user management to everyone but admins', async () => {
    const auditor = await h.token('auditor');
    expect(code(await h.gql(CLAIM, { lead: '+8613800138003' }, auditor))).toBe('FORBIDDEN');
    expect(code(await h.gql('mutation { agentLogin(extension: "1001") { position } }', {}, auditor))).toBe('FORBIDDEN');
    const create = 'mutation { createUser(input: { username: "x1", displayName: "x", password: "long enough pw", role: ADMIN }) { position } }';
    for (const u of ['agent-east', 'tl-east', 'sup-east', 'qa-east', 'auditor']) expect(code(await h.gql(create, {}, await h.token(u))), u).toBe('FORBIDDEN');
    const ok = await h.gql(create, {}, await h.token('admin'));
    expect(ok.errors).toBeUndefined();
    expect(await h.login('x1', 'long enough pw')).toMatch(/^ey/);
  });

  it('keeps supervisors to their own departments', async () => {
    const assign = 'mutation($lead: ID!, $agent: ID!) { assignLead(leadId: $lead, agentId: $agent) { position } }';
    expect(code(await h.gql(assign, { lead: '+8613800138003', agent: 'agent-west' }, await h.token('sup-east')))).toBe('FORBIDDEN');
    const ok = await h.gql(assign, { lead: '+8613800138003', agent: 'agent-west' }, await h.token('sup-west'));
    expect(ok.errors).toBeUndefined();
    const campaign = 'mutation($d: ID) { createCampaign(id: "c-west", input: { name: "西部回访", dialMode: PREVIEW, departmentId: $d }) { position } }';
    expect(code(await h.gql(campaign, { d: 'west' }, await h.token('sup-east')))).toBe('FORBIDDEN');
    expect((await h.gql(campaign, { d: 'west' }, await h.token('sup-west'))).errors).toBeUndefined();
    expect(code(await h.gql('mutation { startCampaign(id: "c-west") { position } }', {}, await h.token('sup-east')))).toBe('FORBIDDEN');
    // Past the scope check, the campaign's own rules speak.
    expect(code(await h.gql('mutation { startCampaign(id: "c-west") { position } }', {}, await h.token('sup-west')))).toBe('CAMPAIGN_HAS_NO_LIST');
  });

  it('lets an agent log in to a phone and change state; a supervisor may force it only in scope', async () => {
    const agent = await h.token('agent-sh');
    expect((await h.gql('mutation { agentLogin(extension: "3001") { events { type } } }', {}, agent)).data.agentLogin.events).toEqual([{ type: 'AgentLoggedIn' }]);
    expect(code(await h.gql('mutation { agentLogin(extension: "3002") { position } }', {}, agent))).toBe('AGENT_ALREADY_LOGGED_IN');
    const force = 'mutation { forceAgentState(agentId: "agent-sh", status: LOGGED_OUT, reason: "忘记退出") { events { type } } }';
    expect(code(await h.gql(force, {}, await h.token('sup-west')))).toBe('FORBIDDEN');
    expect((await h.gql(force, {}, await h.token('sup-east'))).data.forceAgentState.events).toEqual([{ type: 'AgentLoggedOut' }]);
  });

  it('answers call control with NOT_AVAILABLE when no switch is connected', async () => {
    expect(code(await h.gql('mutation { hold(callId: "k1") { position } }', {}, await h.token('agent-east')))).toBe('NOT_AVAILABLE');
  });

  it('validates input types before anything runs', async () => {
    const r = await h.gql('mutation { scheduleCallback(leadId: "+8613800138001", dueAt: "tomorrow") { position } }', {}, await h.token('agent-east'));
    expect(r.errors![0].message).toMatch(/ISO-8601/);
  });
});
