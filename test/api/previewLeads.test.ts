import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { campaignDecider } from '../../src/domain/campaign/decider.ts';
import { leadDecider } from '../../src/domain/lead/decider.ts';
import { leadId } from '../../src/domain/lead/streams.ts';
import { startServer, type Harness } from './harness.ts';

const ALL_DAY = { windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }], timeZonePolicy: 'lead', timeZone: 'Asia/Shanghai' };
const PHONES = ['+8613800138101', '+8613800138102', '+8613800138103', '+8613800138104'];
const Q = 'query($c: ID!) { nextPreviewLead(campaignId: $c) { phone reason attempts heldUntil } }';

// Preview mode: each agent is shown a lead chosen for them and held for them, so two agents working the same
// campaign never phone the same customer; asking again passes over the lead shown.
describe('nextPreviewLead', () => {
  let h: Harness;
  let seq = 0;
  const meta = () => ({ now: new Date().toISOString(), commandId: `t-${++seq}`, actorId: 'admin', actorRole: 'admin' });
  const campaign = (id: string, type: string, data: Record<string, unknown>) => handleCommand(h.store, campaignDecider, id, { type, data, meta: meta() } as never);
  const next = async (user: string, c = 'pv') => h.gql(Q, { c }, await h.token(user));

  beforeAll(async () => {
    h = await startServer({}, 'preview_leads');
    for (const [i, phone] of PHONES.entries()) {
      await handleCommand(h.store, leadDecider, leadId(phone) as string, { type: 'ImportLead', data: { phone, source: 'file', batchId: 'pv-list', row: i + 1, departmentId: 'east' }, meta: meta() });
    }
    // The last lead of the list is assigned to agent-east-2: they see it before the campaign's new leads.
    await handleCommand(h.store, leadDecider, leadId(PHONES[3]) as string, { type: 'AssignLead', data: { assignee: { kind: 'agent', id: 'agent-east-2' }, by: 'person', reason: 'VIP follow-up' }, meta: meta() });
    await campaign('pv', 'CreateCampaign', { campaignId: 'pv', name: 'Preview east', departmentId: 'east', config: { mode: 'preview', callingHours: ALL_DAY } });
    await campaign('pv', 'AttachList', { listId: 'pv-list' });
    await campaign('pv', 'StartCampaign', {});
    await campaign('pd', 'CreateCampaign', { campaignId: 'pd', name: 'Predictive east', departmentId: 'east', config: { mode: 'predictive', callingHours: ALL_DAY } });
    await campaign('pd', 'AttachList', { listId: 'pv-list' });
    await campaign('pd', 'StartCampaign', {});
    await campaign('draft', 'CreateCampaign', { campaignId: 'draft', name: 'Draft east', departmentId: 'east', config: { mode: 'preview', callingHours: ALL_DAY } });
  });
  afterAll(async () => h?.close());

  it('shows two agents two different leads, the assigned one to its owner first', async () => {
    const a = await next('agent-east');
    const b = await next('agent-east-2');
    expect(a.errors).toBeUndefined();
    expect(a.data.nextPreviewLead).toMatchObject({ phone: PHONES[0], reason: 'new', attempts: 0 });
    expect(Date.parse(a.data.nextPreviewLead.heldUntil)).toBeGreaterThan(Date.now());
    expect(b.data.nextPreviewLead).toMatchObject({ phone: PHONES[3], reason: 'assigned_agent' });
  });

  it('passes over the lead shown when the agent asks again, and frees it for the others', async () => {
    const again = await next('agent-east');
    expect(again.data.nextPreviewLead.phone).toBe(PHONES[1]);
    const other = await next('agent-east-2');
    expect(other.data.nextPreviewLead.phone).toBe(PHONES[0]); // agent-east let it go
  });

  it('refuses campaigns the dialer works, campaigns not running, other departments and non-floor roles, saying why', async () => {
    expect((await next('agent-east', 'pd')).errors?.[0].extensions.code).toBe('CAMPAIGN_NOT_PREVIEW');
    expect((await next('agent-east', 'draft')).errors?.[0].extensions.code).toBe('CAMPAIGN_NOT_RUNNING');
    expect((await next('agent-west')).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await next('auditor')).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await next('agent-east', 'nope')).errors?.[0].extensions.code).toBe('NOT_FOUND');
  });
});
