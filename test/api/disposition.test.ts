import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { campaignDecider } from '../../src/domain/campaign/decider.ts';
import { leadDecider } from '../../src/domain/lead/decider.ts';
import { startServer, type Harness } from './harness.ts';

const SET = 'mutation($c: ID!, $d: String!) { setDisposition(callId: $c, disposition: $d) { events { type } } }';
const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;

// A dialer call is closed with one of its campaign's dispositions: the dialer reads them (成交 closes the lead),
// and so do the reports; a typo must be refused with the list to choose from, not stored.
describe('setDisposition on a campaign call', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({}, 'api_disposition');
    const meta = (id: string) => ({ now: new Date().toISOString(), commandId: id, actorId: 'admin', actorRole: 'admin' });
    await handleCommand(h.store, campaignDecider, 'c-east', { type: 'CreateCampaign', data: { campaignId: 'c-east', name: '回访', departmentId: 'east' }, meta: meta('c1') });
    await handleCommand(h.store, leadDecider, '+8613800138601', { type: 'ImportLead', data: { phone: '+8613800138601', source: 'file', batchId: 'l1', departmentId: 'east' }, meta: meta('l1') });
    for (const callId of ['call-1', 'call-2']) {
      await h.store.append(`call-${callId}`, [
        { type: 'CallDialAttempted', data: { callId, phone: '+8613800138601', direction: 'outbound', campaignId: 'c-east', attempt: 1, compliance: { allowed: true, reasons: [] } } },
        { type: 'CallBridged', data: { callId, agentId: 'agent-east' } },
      ]);
    }
  });
  afterAll(async () => h?.close());

  it('takes one of the campaign’s dispositions', async () => {
    const r = await h.gql(SET, { c: 'call-1', d: '成交' }, await h.token('agent-east'));
    expect(r.errors?.[0]).toBeUndefined();
    expect(r.data.setDisposition.events).toEqual([{ type: 'LeadDispositionRecorded' }]);
  });

  it('refuses a code not on the campaign’s list, naming the choices, and records nothing', async () => {
    const r = await h.gql(SET, { c: 'call-2', d: 'SOLD!!' }, await h.token('agent-east'));
    expect(code(r)).toBe('DISPOSITION_UNKNOWN');
    expect(r.errors?.[0].extensions.details.allowed).toContain('成交');
    const recorded = await h.store.readAll({ after: 0, maxCount: 100, filter: { eventTypes: ['LeadDispositionRecorded'] } });
    expect(recorded.map((e) => e.data.callId)).toEqual(['call-1']);
  });
});
