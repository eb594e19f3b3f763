import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCampaignFloor, phonesOf, thisHourInShanghai, type CampaignFloor } from './support.ts';

// A campaign whose every lead is refused (here: outside calling hours) must not run through its list writing a
// refusal per lead per tick: one refusal per round, and after a few in a row the dialer rests before trying again.
describe('a dialer facing refusal after refusal', () => {
  let floor: CampaignFloor;
  beforeAll(async () => {
    floor = await openCampaignFloor('refusal_backoff');
    await floor.agentsIn('d1', 'u1', 'u2', 'u3');
    floor.readyOnDesk.push('u1', 'u2', 'u3');
    await floor.importLeads('rb', 'd1', phonesOf('1386', 30));
    // A window that is not now in Shanghai (two and three hours ahead).
    const callingHours = thisHourInShanghai(2);
    await floor.campaign('rb', ['CreateCampaign', { campaignId: 'rb', name: 'Closed hours', departmentId: 'd1', config: { mode: 'progressive', callingHours } }], ['AttachList', { listId: 'rb' }], ['StartCampaign', {}]);
    await floor.startDialers();
  });
  afterAll(async () => floor?.close());

  it('records a few refusals with their reason, then rests instead of refusing the whole list', async () => {
    await new Promise((r) => setTimeout(r, 2_000)); // 100 ticks of 20 ms, three agents ready
    const refused = await floor.store.readAll({ after: 0, maxCount: 100, filter: { eventTypes: ['CallDialBlocked'] } });
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(refused.length).toBeLessThanOrEqual(4);
    expect((refused[0].data.compliance as { reasons: string[] }).reasons).toEqual(['OUTSIDE_CALLING_HOURS']);
    expect(floor.placed).toHaveLength(0);
  });
});
