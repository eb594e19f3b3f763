import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import type { LeadCommand } from '../../src/domain/lead/commands.ts';
import { leadDecider } from '../../src/domain/lead/decider.ts';
import { startServer, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startServer({}, 'api_order_approval');
});
afterAll(async () => {
  await h?.close();
});

const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;
const PLACE = 'mutation($lead: ID!) { placeOrder(leadId: $lead, lines: [{ sku: "tea-1", name: "龙井", quantity: 1, unitPrice: 12800 }]) { streamId } }';
const APPROVE = 'mutation($id: ID!) { approveOrder(orderId: $id) { repeated events { type } } }';

async function place(agent: string, lead: string): Promise<string> {
  const r = await h.gql(PLACE, { lead }, await h.token(agent));
  expect(r.errors).toBeUndefined();
  return r.data.placeOrder.streamId.slice('order-'.length);
}

describe('order approval', () => {
  it('records the signed-in approver and role; an approval arrives reviewed and approved, once', async () => {
    const id = await place('agent-east', '13800138000');
    const r = await h.gql(APPROVE, { id }, await h.token('sup-east'));
    expect(r.errors).toBeUndefined();
    expect(r.data.approveOrder.events).toEqual([{ type: 'OrderReviewed' }, { type: 'OrderApproved' }]);
    const approved = (await h.store.readStream(`order-${id}`)).find((e) => e.type === 'OrderApproved')!;
    expect(approved.data).toMatchObject({ approverId: 'sup-east' });
    expect(approved.metadata).toMatchObject({ actorId: 'sup-east', actorRole: 'supervisor' });
    expect((await h.gql(APPROVE, { id }, await h.token('admin'))).data.approveOrder.events).toEqual([]);
  });

  it('takes no approver or role from the caller\'s input', async () => {
    const id = await place('agent-east', '13800138001');
    const forged = await h.gql('mutation($id: ID!) { approveOrder(orderId: $id, approverRole: "admin") { position } }', { id }, await h.token('sup-east'));
    expect(forged.errors?.[0].message).toMatch(/approverRole/);
    expect((await h.store.readStream(`order-${id}`)).map((e) => e.type)).toEqual(['OrderPlaced']);
  });

  it('keeps approval to supervisors of the agent\'s department and admins', async () => {
    const id = await place('agent-east', '13800138002');
    expect(code(await h.gql(APPROVE, { id }, await h.token('sup-west')))).toBe('FORBIDDEN');
    expect(code(await h.gql(APPROVE, { id }, await h.token('agent-east')))).toBe('FORBIDDEN');
    expect(code(await h.gql(APPROVE, { id }, await h.token('tl-east')))).toBe('FORBIDDEN');
    expect((await h.store.readStream(`order-${id}`)).map((e) => e.type)).toEqual(['OrderPlaced']);
  });

  it('lets a team leader direct only their own team', async () => {
    const assign = 'mutation($agent: ID!) { assignLead(leadId: "13800138003", agentId: $agent) { position } }';
    const now = new Date().toISOString();
    await handleCommand(h.store, leadDecider, '+8613800138003', { type: 'ImportLead', data: { phone: '13800138003', source: 'file', departmentId: 'east' }, meta: { now, actorRole: 'system' } } as LeadCommand);
    expect(code(await h.gql(assign, { agent: 'agent-sh' }, await h.token('tl-east')))).toBe('FORBIDDEN');
    expect(code(await h.gql(assign, { agent: 'agent-west' }, await h.token('tl-east')))).toBe('FORBIDDEN');
    expect((await h.gql(assign, { agent: 'agent-east-2' }, await h.token('tl-east'))).errors).toBeUndefined();
  });
});
