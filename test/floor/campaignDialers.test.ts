import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignDialers } from '../../src/floor/campaignDialers.ts';
import { ALL_DAY, openCampaignFloor, phonesOf, thisHourInShanghai, type CampaignFloor } from './support.ts';

// Campaigns an admin creates and starts are dialed by the running system, not only the demo campaign; pausing
// one stops its dials at once; each campaign paces for its own department's agents.
describe('campaign dialers follow the campaigns in the log', () => {
  let floor: CampaignFloor;
  let dialers: CampaignDialers;
  const campaign = (id: string, type: string, data: Record<string, unknown>) => floor.campaign(id, [type, data]);
  const agent = (agentId: string, type: string, data: Record<string, unknown> = {}) => floor.store.append(`agent-${agentId}`, [{ type, data: { agentId, ...data } }]);
  const dialsOf = (campaignId: string) => floor.placed.filter((p) => p.campaignId === campaignId).length;
  // Waits for `until`, then a few more ticks so that an extra dial would show; `quiet` when nothing is expected.
  const settle = async (until: () => boolean, quiet = false) => {
    for (let i = 0; i < (quiet ? 8 : 80) && !until(); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 400)); // a few more ticks: no extra dial may follow
  };
  const receipts = async (campaignId: string) => {
    const rows: { type: string; compliance: { allowed: boolean; reasons: string[]; inputs?: Record<string, unknown> } }[] = [];
    for (const e of await floor.store.readAll({ after: 0, maxCount: 10_000, filter: { eventTypes: ['CallDialAttempted', 'CallDialBlocked'] } })) {
      const d = e.data as { campaignId?: string; compliance: never };
      if (d.campaignId === campaignId) rows.push({ type: e.type, compliance: d.compliance });
    }
    return rows;
  };

  beforeAll(async () => {
    floor = await openCampaignFloor('campaign_dialers');
    await floor.agentsIn('d1', 'u1');
    await floor.agentsIn('d2', 'u2');
    await floor.importLeads('list-1', 'd1', phonesOf('1381', 30));
    await floor.campaign('c1', ['CreateCampaign', { campaignId: 'c1', name: 'Progressive 1', departmentId: 'd1', config: { mode: 'progressive', callingHours: ALL_DAY } }], ['AttachList', { listId: 'list-1' }]);
    await floor.campaign('c2', ['CreateCampaign', { campaignId: 'c2', name: 'Preview 2', departmentId: 'd1', config: { mode: 'preview', callingHours: ALL_DAY } }], ['AttachList', { listId: 'list-1' }], ['StartCampaign', {}]);
    dialers = await floor.startDialers();
  });
  afterAll(async () => floor?.close());

  it('dials nothing for a draft campaign or a preview campaign', async () => {
    await agent('u1', 'AgentReady');
    floor.readyOnDesk.push('u1');
    await settle(() => floor.placed.length > 0, true);
    expect(floor.placed).toHaveLength(0);
    expect(dialers.dialing()).toEqual([]);
  });

  it('starts dialing once the campaign is started, for its own department’s agents only, with the campaign revision on the receipt', async () => {
    await campaign('c1', 'StartCampaign', {});
    // u1 has been waiting in ready since before the start: the campaign dials for them at once.
    await settle(() => dialsOf('c1') >= 1);
    expect(dialsOf('c1')).toBe(1);
    await agent('u2', 'AgentReady'); // another department: not this campaign's agent
    await settle(() => dialsOf('c1') >= 2, true);
    expect(dialsOf('c1')).toBe(1);
    const [r] = await receipts('c1');
    expect(JSON.stringify(r.compliance)).toContain('campaign-c1@');
  });

  it('places no further dial once the campaign is paused, and dials again when it is started again', async () => {
    await campaign('c1', 'PauseCampaign', { reason: 'list check' });
    await settle(() => !dialers.dialing().includes('c1'));
    expect(dialers.dialing()).not.toContain('c1');
    const before = dialsOf('c1');
    await agent('u1', 'AgentWrapUpEnded');
    await agent('u1', 'AgentReady');
    await settle(() => dialsOf('c1') > before, true);
    expect(dialsOf('c1')).toBe(before);

    await campaign('c1', 'StartCampaign', {});
    await settle(() => dialers.dialing().includes('c1'));
    await agent('u1', 'AgentReady');
    await settle(() => dialsOf('c1') > before);
    expect(dialsOf('c1')).toBe(before + 1);
  });

  it('applies new calling hours from the next dial: refused with the new revision and the reason recorded', async () => {
    // A window that is not now in Shanghai.
    await campaign('c1', 'ConfigureCampaign', { config: { callingHours: thisHourInShanghai(2) } });
    const revision = (await floor.store.readStream('campaign-c1')).length - 1;
    await new Promise((r) => setTimeout(r, 300)); // the dialers hear of the change
    const before = (await receipts('c1')).length;
    // The dial placed for u1 before the change goes unanswered: u1 is free for the next one.
    const ringing = floor.placed.at(-1)!.callId;
    await floor.store.append(`call-${ringing}`, [{ type: 'CallEnded', data: { callId: ringing, cause: 'NO_ANSWER' } }]);
    for (let i = 0; i < 60 && (await receipts('c1')).length === before; i++) await new Promise((r) => setTimeout(r, 50));
    const latest = (await receipts('c1')).at(-1)!;
    expect(latest.type).toBe('CallDialBlocked');
    expect(latest.compliance.reasons).toContain('OUTSIDE_CALLING_HOURS');
    expect(JSON.stringify(latest.compliance)).toContain(`campaign-c1@${revision}`);
  });
});
