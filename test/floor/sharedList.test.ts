import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_DAY, openCampaignFloor, phonesOf, type CampaignFloor } from './support.ts';

// Two campaigns working the same list at the same moment must never ring one customer twice at once.
describe('two campaigns sharing a list', () => {
  let floor: CampaignFloor;
  beforeAll(async () => {
    floor = await openCampaignFloor('shared_list');
    await floor.agentsIn('d1', 'u1', 'u2', 'u3');
    floor.readyOnDesk.push('u1', 'u2', 'u3');
    await floor.importLeads('shared', 'd1', phonesOf('1387', 4));
    for (const id of ['s1', 's2']) {
      await floor.campaign(id, ['CreateCampaign', { campaignId: id, name: `Shared ${id}`, departmentId: 'd1', config: { mode: 'predictive', callingHours: ALL_DAY } }], ['AttachList', { listId: 'shared' }], ['StartCampaign', {}]);
    }
    await floor.startDialers();
  });
  afterAll(async () => floor?.close());

  it('dials each number once while its call is live, whichever campaign picks it first', async () => {
    for (let i = 0; i < 40 && floor.placed.length < 4; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500)); // more ticks of both dialers
    const dials = await floor.store.readAll({ after: 0, maxCount: 100, filter: { eventTypes: ['CallDialAttempted'] } });
    const phones = dials.map((e) => e.data.phone);
    expect(phones.length).toBe(4);
    expect(new Set(phones).size).toBe(phones.length);
  });
});
