import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionReadModels } from '../../src/api/projectionReadModels.ts';
import { rebuild } from '../../src/projections/index.ts';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import type { LeadCommand } from '../../src/domain/lead/commands.ts';
import { leadDecider } from '../../src/domain/lead/decider.ts';
import { startServer, type Harness } from './harness.ts';

let h: Harness;
let betweenCalls = 0;

async function call(callId: string, agentId: string, phone: string) {
  const at = new Date().toISOString();
  await h.store.append(`call-${callId}`, [
    { type: 'CallDialAttempted', data: { callId, phone, agentId, direction: 'outbound', attempt: 1, at, compliance: { allowed: true, reasons: [], inputs: {} } } },
    { type: 'CallAnswered', data: { callId, answeredBy: 'human', at } },
    { type: 'CallBridged', data: { callId, agentId, at } },
    { type: 'CallEnded', data: { callId, cause: 'NORMAL_CLEARING', hangupBy: 'agent', at } },
  ]);
}

beforeAll(async () => {
  h = await startServer(({ pool, store }) => ({ readModels: projectionReadModels(pool, store) }), 'api_prm');
  const now = new Date().toISOString();
  await handleCommand(h.store, leadDecider, '+8613800138101', { type: 'ImportLead', data: { phone: '13800138101', name: '李先生', source: 'file', departmentId: 'east' }, meta: { now, actorRole: 'system' } } as LeadCommand);
  await h.gql('mutation { claimLead(leadId: "+8613800138101") { position } }', {}, await h.token('agent-east'));
  for (const [phone, dept] of [['13800138201', 'east'], ['13800138202', 'east'], ['13800138203', 'west']])
    await handleCommand(h.store, leadDecider, `+86${phone}`, { type: 'ImportLead', data: { phone, source: 'file', departmentId: dept }, meta: { now, actorRole: 'system' } } as LeadCommand);
  await h.gql('mutation { claimLead(leadId: "13800138203") { position } }', {}, await h.token('agent-west'));
  await h.gql('mutation { agentLogin(extension: "3001") { position } }', {}, await h.token('agent-sh'));
  const due = new Date(Date.now() + 3600_000).toISOString();
  await h.gql('mutation($d: DateTime!) { scheduleCallback(leadId: "+8613800138101", dueAt: $d, note: "下午再打") { position } }', { d: due }, await h.token('agent-east'));
  await h.gql('mutation($d: DateTime!) { scheduleCallback(leadId: "+8613800138203", dueAt: $d, scope: ANYONE) { position } }', { d: due }, await h.token('agent-west'));
  await call('p1', 'agent-east', '+8613800138101');
  await h.gql('mutation { placeOrder(leadId: "+8613800138101", callId: "p1", lines: [{ sku: "tea-1", name: "龙井", quantity: 2, unitPrice: 12800 }]) { position } }', {}, await h.token('agent-east'));
  betweenCalls = await h.store.headPosition();
  await call('p2', 'agent-west', '+8613800138102');
  await call('p3', 'agent-sh', '+8613800138103');
  await h.gql('mutation { createCampaign(id: "camp-e", input: { name: "华东回访", dialMode: PROGRESSIVE, departmentId: "east", maxAttempts: 5 }) { position } }', {}, await h.token('sup-east'));
  await h.gql('mutation { createCampaign(id: "camp-w", input: { name: "西部新客", dialMode: PREVIEW, departmentId: "west" }) { position } }', {}, await h.token('sup-west'));
  await rebuild('all', { pool: h.pool, store: h.store });
});
afterAll(() => h?.close());

const CALLS = 'query($a: AsOf) { calls(asOf: $a) { nodes { id phoneDisplay outcome agent { id } } } }';
const ids = async (user: string, asOf?: object) => {
  const r = await h.gql(CALLS, { a: asOf }, await h.token(user));
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.calls.nodes.map((n: any) => n.id).sort();
};

describe('the projections behind the API', () => {
  it('serves the call detail records, scoped', async () => {
    expect(await ids('agent-east')).toEqual(['p1']);
    expect(await ids('sup-east')).toEqual(['p1', 'p3']);
    expect(await ids('sup-west')).toEqual(['p2']);
    expect(await ids('auditor')).toEqual(['p1', 'p2', 'p3']);
    const r = await h.gql(CALLS, {}, await h.token('agent-east'));
    expect(r.data.calls.nodes[0]).toEqual({ id: 'p1', phoneDisplay: '138 0013 8101', outcome: 'ANSWERED', agent: { id: 'agent-east' } });
  });

  it('answers as of an earlier position', async () => {
    expect(await ids('auditor', { position: betweenCalls })).toEqual(['p1']);
  });

  it('pops the customer 360 for those who may see it', async () => {
    const Q = '{ customer(phone: "138-0013-8101") { phone leads { name status owner { id } ownershipExpiresAt } calls { nodes { id } } ownership { owner { id } reason } } }';
    const mine = await h.gql(Q, {}, await h.token('agent-east'));
    expect(mine.errors).toBeUndefined();
    expect(mine.data.customer).toMatchObject({ phone: '+8613800138101', leads: [{ name: '李先生', owner: { id: 'agent-east' } }], calls: { nodes: [{ id: 'p1' }] }, ownership: [{ owner: { id: 'agent-east' }, reason: 'claimed' }] });
    expect((await h.gql(Q, {}, await h.token('sup-east'))).data.customer.phone).toBe('+8613800138101');
    expect((await h.gql(Q, {}, await h.token('agent-west'))).data.customer).toBeNull();
    expect((await h.gql(Q, {}, await h.token('sup-west'))).data.customer).toBeNull();
  });

  it('lists campaigns of the caller’s departments', async () => {
    const Q = '{ campaigns { nodes { id name status dialMode maxAttempts department { name } } } }';
    expect((await h.gql(Q, {}, await h.token('sup-east'))).data.campaigns.nodes).toEqual([{ id: 'camp-e', name: '华东回访', status: 'DRAFT', dialMode: 'PROGRESSIVE', maxAttempts: 5, department: { name: '华东' } }]);
    expect((await h.gql(Q, {}, await h.token('agent-west'))).data.campaigns.nodes.map((c: any) => c.id)).toEqual(['camp-w']);
    expect((await h.gql(Q, {}, await h.token('admin'))).data.campaigns.nodes).toHaveLength(2);
    expect((await h.gql('{ campaign(id: "camp-w") { id } }', {}, await h.token('sup-east'))).data.campaign).toBeNull();
  });

  it('lists leads with their owners, cut to the caller', async () => {
    const Q = 'query($f: LeadFilter) { leads(filter: $f, first: 2) { nodes { phone owner { id } status } pageInfo { hasNextPage endCursor } } }';
    const phones = async (user: string, f?: object) => (await h.gql(Q, { f }, await h.token(user))).data.leads.nodes.map((n: any) => n.phone);
    expect(await phones('agent-east')).toEqual(['+8613800138101']);
    expect(await phones('agent-west')).toEqual(['+8613800138203']);
    expect(await phones('sup-west')).toEqual(['+8613800138203']);
    const first = await h.gql(Q, {}, await h.token('sup-east'));
    expect(first.data.leads.nodes.map((n: any) => n.phone)).toEqual(['+8613800138101', '+8613800138201']);
    expect(first.data.leads.pageInfo.hasNextPage).toBe(true);
    const next = await h.gql('query($a: String) { leads(first: 2, after: $a) { nodes { phone } } }', { a: first.data.leads.pageInfo.endCursor }, await h.token('sup-east'));
    expect(next.data.leads.nodes.map((n: any) => n.phone)).toEqual(['+8613800138202']);
    expect(await phones('sup-east', { unowned: true })).toEqual(['+8613800138201', '+8613800138202']);
  });

  it('shows agent states and callbacks within scope', async () => {
    const states = await h.gql('{ agentStates { agent { id } status pauseReason extension } }', {}, await h.token('sup-east'));
    expect(states.errors).toBeUndefined();
    expect(states.data.agentStates.map((s: any) => s.agent.id).sort()).toEqual(['agent-east', 'agent-east-2', 'agent-sh', 'tl-east']);
    expect(states.data.agentStates.find((s: any) => s.agent.id === 'agent-sh')).toMatchObject({ status: 'WRAP_UP', pauseReason: null, extension: '3001' }); // logged in, then took call p3
    const CB = '{ callbacks { nodes { lead { phone } agent { id } scope note status } } }';
    const east = (await h.gql(CB, {}, await h.token('agent-east'))).data.callbacks.nodes;
    // agent-west's callback for anyone is for a west lead: not for an east agent (department scoping).
    expect(east.map((c: any) => [c.lead.phone, c.scope]).sort()).toEqual([['+8613800138101', 'AGENT']]);
    const west = (await h.gql(CB, {}, await h.token('agent-west'))).data.callbacks.nodes;
    expect(west.map((c: any) => c.lead.phone)).toEqual(['+8613800138203']); // agent-east's private callback stays private
  });

  it('lists orders within scope', async () => {
    const Q = '{ orders { nodes { customerPhone total status agent { id } lines { sku quantity unitPrice } } } }';
    const mine = await h.gql(Q, {}, await h.token('agent-east'));
    expect(mine.errors).toBeUndefined();
    expect(mine.data.orders.nodes).toEqual([{ customerPhone: '+8613800138101', total: 25600, status: 'PENDING_APPROVAL', agent: { id: 'agent-east' }, lines: [{ sku: 'tea-1', quantity: 2, unitPrice: 12800 }] }]);
    expect((await h.gql(Q, {}, await h.token('agent-west'))).data.orders.nodes).toEqual([]);
    expect((await h.gql(Q, {}, await h.token('sup-west'))).data.orders.nodes).toEqual([]);
  });
  it('ranks the agents the caller may see, counting approved orders only (a cancelled one leaves)', async () => {
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const Q = 'query($f: DateTime!, $t: DateTime!) { agentRanking(from: $f, to: $t) { rank agent { id } orders ordersAmount } }';
    const sup = await h.token('sup-east');
    const eastRow = async () => {
      const r = await h.gql(Q, { f: from, t: to }, sup);
      expect(r.errors).toBeUndefined();
      expect(r.data.agentRanking.map((x: any) => x.agent.id)).not.toContain('agent-west');
      return r.data.agentRanking.find((x: any) => x.agent.id === 'agent-east');
    };
    // agent-east's order is still waiting for approval: not a sale yet
    expect(await eastRow()).toMatchObject({ orders: 0, ordersAmount: 0 });
    const orderId = (await h.gql('{ orders { nodes { id } } }', {}, await h.token('agent-east'))).data.orders.nodes[0].id;
    const ok = async (m: string) => expect((await h.gql(m, { o: orderId }, sup)).errors).toBeUndefined();
    await ok('mutation($o: ID!) { approveOrder(orderId: $o) { position } }');
    await rebuild('all', { pool: h.pool, store: h.store });
    expect(await eastRow()).toEqual({ rank: 1, agent: { id: 'agent-east' }, orders: 1, ordersAmount: 25600 });
    await ok('mutation($o: ID!) { cancelOrder(orderId: $o, reason: "客户改主意") { position } }');
    await rebuild('all', { pool: h.pool, store: h.store });
    expect(await eastRow()).toMatchObject({ orders: 0, ordersAmount: 0 });
  });
});
