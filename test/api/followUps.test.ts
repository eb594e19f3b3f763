import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionReadModels } from '../../src/api/projectionReadModels.ts';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import type { LeadCommand } from '../../src/domain/lead/commands.ts';
import { leadDecider } from '../../src/domain/lead/decider.ts';
import { CampaignLeads } from '../../src/floor/campaignLeads.ts';
import { rebuild } from '../../src/projections/index.ts';
import { startServer, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startServer(({ pool, store }) => ({ readModels: projectionReadModels(pool, store) }), 'api_follow_ups');
  const now = new Date().toISOString();
  for (const [phone, departmentId] of [['13800138301', 'east'], ['13800138302', 'east'], ['13800138303', 'west']])
    await handleCommand(h.store, leadDecider, `+86${phone}`, { type: 'ImportLead', data: { phone, source: 'file', batchId: 'list-cb', departmentId }, meta: { now, actorRole: 'system' } } as LeadCommand);
});
afterAll(async () => {
  await h?.close();
});

const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;
const SCHEDULE = 'mutation($lead: ID!, $d: DateTime!) { scheduleCallback(leadId: $lead, dueAt: $d) { streamId events { id type } } }';
const CANCEL = 'mutation($id: ID!, $reason: String, $cmd: ID) { cancelCallback(callbackId: $id, reason: $reason, commandId: $cmd) { streamId position repeated events { type } } }';
const CALLBACKS = 'query { callbacks { nodes { id status } } }';

async function schedule(user: string, lead: string, inMs = 3600_000): Promise<string> {
  const r = await h.gql(SCHEDULE, { lead, d: new Date(Date.now() + inMs).toISOString() }, await h.token(user));
  expect(r.errors).toBeUndefined();
  await rebuild('leads', { pool: h.pool, store: h.store });
  const log = await h.store.readStream(r.data.scheduleCallback.streamId);
  return (log.filter((e) => e.type === 'LeadCallbackScheduled').at(-1)!.data as any).callbackId;
}
/** The data of the cancel event a result points at. */
const cancelled = async (r: any) => (await h.store.readStream(r.data.cancelCallback.streamId)).find((e) => e.type === 'LeadCallbackCancelled' && e.position === r.data.cancelCallback.position)?.data;
const project = () => rebuild('leads', { pool: h.pool, store: h.store });
const callbackIds = async (user: string) => {
  const r = await h.gql(CALLBACKS, {}, await h.token(user));
  expect(r.errors).toBeUndefined();
  return r.data.callbacks.nodes.map((n: any) => n.id);
};

describe('cancelCallback', () => {
  it('the owner cancels with a reason; the event is durable, a repeat is idempotent, the callbacks list drops it', async () => {
    const id = await schedule('agent-east', '13800138301');
    expect(await callbackIds('agent-east')).toContain(id);
    const r = await h.gql(CANCEL, { id, reason: '客户已下单 / customer already ordered', cmd: 'c-1' }, await h.token('agent-east'));
    expect(r.errors).toBeUndefined();
    expect(r.data.cancelCallback.events).toEqual([{ type: 'LeadCallbackCancelled' }]);
    expect(await cancelled(r)).toMatchObject({ callbackId: id, owner: 'agent-east', cancelledBy: 'agent-east', reason: '客户已下单 / customer already ordered' });
    const again = await h.gql(CANCEL, { id, reason: '客户已下单 / customer already ordered', cmd: 'c-1' }, await h.token('agent-east'));
    expect(again.data.cancelCallback).toMatchObject({ repeated: true, position: r.data.cancelCallback.position });
    const log = await h.store.readStream('lead-+8613800138301');
    expect(log.filter((e) => e.type === 'LeadCallbackCancelled')).toHaveLength(1);
    await project();
    expect(await callbackIds('agent-east')).not.toContain(id);
    expect(await callbackIds('sup-east')).not.toContain(id);
  });

  it('refuses a second cancel, a missing reason, and cancelling a completed callback, with the domain reason', async () => {
    const id = await schedule('agent-east', '13800138301');
    const noReason = await h.gql(CANCEL, { id }, await h.token('agent-east'));
    expect(code(noReason)).toBe('REASON_REQUIRED');
    expect((await h.gql(CANCEL, { id, reason: '改期' }, await h.token('agent-east'))).errors).toBeUndefined();
    const twice = await h.gql(CANCEL, { id, reason: '改期' }, await h.token('agent-east'));
    expect(code(twice)).toBe('CALLBACK_NOT_OPEN');
    expect(twice.errors?.[0].extensions.reason).toMatch(/cancelled/);

    const done = await schedule('agent-east', '13800138301');
    expect((await h.gql('mutation($id: ID!) { completeCallback(callbackId: $id) { position } }', { id: done }, await h.token('agent-east'))).errors).toBeUndefined();
    expect(code(await h.gql(CANCEL, { id: done, reason: '晚了' }, await h.token('agent-east')))).toBe('CALLBACK_NOT_OPEN');
  });

  it('a supervisor of the lead\'s department may cancel an agent\'s callback; colleagues, team leaders and other departments may not', async () => {
    const id = await schedule('agent-east', '13800138302');
    expect(code(await h.gql(CANCEL, { id, reason: '抢单' }, await h.token('sup-west')))).toBe('FORBIDDEN');
    expect(code(await h.gql(CANCEL, { id, reason: '抢单' }, await h.token('agent-west')))).toBe('FORBIDDEN');
    // Colleagues and the team leader see the lead, but a callback is the agent's promise: only a supervisor overrides it.
    for (const user of ['agent-east-2', 'tl-east']) {
      const r = await h.gql(CANCEL, { id, reason: '抢单' }, await h.token(user));
      expect(code(r)).toBe('CALLBACK_NOT_YOURS');
      expect(r.errors?.[0].extensions.reason).toMatch(/agent-east/);
    }
    expect(code(await h.gql(CANCEL, { id, reason: 'x' }, await h.token('auditor')))).toBe('FORBIDDEN');
    expect((await h.store.readStream('lead-+8613800138302')).map((e) => e.type)).not.toContain('LeadCallbackCancelled');
    const r = await h.gql(CANCEL, { id, reason: '客户投诉，停止回访 / complaint' }, await h.token('sup-east'));
    expect(r.errors).toBeUndefined();
    expect(await cancelled(r)).toMatchObject({ callbackId: id, owner: 'agent-east', cancelledBy: 'sup-east' });
    expect(code(await h.gql(CANCEL, { id: 'no-such-callback', reason: 'x' }, await h.token('sup-east')))).toBe('NOT_FOUND');
  });

  it('the owner\'s myCallbacks feed hears the cancellation (with the due time it had), a colleague\'s does not', async () => {
    const id = await schedule('agent-east', '13800138301');
    const after = await h.store.headPosition();
    const feed = (user: string) =>
      new Promise<any[]>(async (resolve, reject) => {
        const client = createClient({ url: `${h.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { token: await h.token(user) }, retryAttempts: 0, lazy: true });
        const got: any[] = [];
        const done = () => {
          void client.dispose();
          resolve(got);
        };
        const timer = setTimeout(done, 1500);
        client.subscribe<any>(
          { query: 'subscription($after: Position) { myCallbacks(afterPosition: $after) { callbackId eventType dueAt } }', variables: { after } },
          {
            next: (m) => {
              got.push(m.data?.myCallbacks);
              if (m.data?.myCallbacks.eventType === 'LeadCallbackCancelled') {
                clearTimeout(timer);
                done();
              }
            },
            error: reject,
            complete: () => {},
          },
        );
      });
    const mine = feed('agent-east');
    const colleague = feed('agent-east-2');
    expect((await h.gql(CANCEL, { id, reason: '客户已下单' }, await h.token('agent-east'))).errors).toBeUndefined();
    expect(await mine).toEqual([{ callbackId: id, eventType: 'LeadCallbackCancelled', dueAt: expect.any(String) }]);
    expect(await colleague).toEqual([]);
  });

  it('the dialer no longer offers a cancelled callback', async () => {
    await h.store.append('campaign-cb-camp', [
      { type: 'CampaignCreated', data: { campaignId: 'cb-camp', at: new Date().toISOString(), name: '回访', departmentId: 'west', config: {} } },
      { type: 'CampaignListAttached', data: { campaignId: 'cb-camp', at: new Date().toISOString(), listId: 'list-cb' } },
    ]);
    const id = await schedule('agent-west', '13800138303', 1000);
    await new Promise((r) => setTimeout(r, 1100)); // due now
    const before = new CampaignLeads(h.store, 'cb-camp');
    await before.catchUp();
    expect(before.select(new Date().toISOString(), new Set(), { agentId: 'agent-west' })).toMatchObject({ reason: 'callback_owner', lead: { phone: '+8613800138303' } });
    expect((await h.gql(CANCEL, { id, reason: '客户不需要 / not needed' }, await h.token('agent-west'))).errors).toBeUndefined();
    const after = new CampaignLeads(h.store, 'cb-camp');
    await after.catchUp();
    expect(after.select(new Date().toISOString(), new Set(), { agentId: 'agent-west' })?.reason).not.toMatch(/^callback/);
    await before.catchUp(); // a running dialer learns it too
    expect(before.select(new Date().toISOString(), new Set(), { agentId: 'agent-west' })?.reason).not.toMatch(/^callback/);
  });
});
