import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_DAY, openCampaignFloor, type CampaignFloor } from './support.ts';

const PHONE = '+8613800138201';

// List recycling: a lead out of attempts after a recyclable outcome (no answer) gets a new pass over the list;
// the dial says so (pass, selection 'recycled', attempt 1 of the pass), and passes stop at the campaign's maximum.
describe('list recycling on the live dialer', () => {
  let floor: CampaignFloor;
  const dials = async () =>
    (await floor.store.readAll({ after: 0, maxCount: 1000, filter: { eventTypes: ['CallDialAttempted'] } })).map((e) => e.data as { callId: string; attempt: number; pass?: number; selection?: string });
  const waitForDials = async (n: number, quiet = false) => {
    for (let i = 0; i < (quiet ? 10 : 80) && floor.placed.length < n; i++) await new Promise((r) => setTimeout(r, 50));
    return floor.placed.length;
  };
  const noAnswer = (callId: string) => floor.store.append(`call-${callId}`, [{ type: 'CallEnded', data: { callId, cause: 'NO_ANSWER' } }]);

  beforeAll(async () => {
    floor = await openCampaignFloor('list_recycling');
    await floor.agentsIn('d1', 'u1');
    floor.readyOnDesk.push('u1');
    await floor.importLeads('list-r', 'd1', [PHONE]);
    const config = { mode: 'progressive', callingHours: ALL_DAY, maxAttempts: 1, retryRules: { no_answer: { delayMinutes: 0 } }, recycle: { afterMinutes: 0, maxPasses: 1, dispositions: ['no_answer'] } };
    await floor.campaign('r1', ['CreateCampaign', { campaignId: 'r1', name: 'Recycling', departmentId: 'd1', config }], ['AttachList', { listId: 'list-r' }], ['StartCampaign', {}]);
    await floor.startDialers();
  });
  afterAll(async () => floor?.close());

  it('dials a new lead, recycles it once after no answer, then leaves it', async () => {
    expect(await waitForDials(1)).toBe(1);
    await noAnswer(floor.placed[0].callId);
    expect(await waitForDials(2)).toBe(2);
    await noAnswer(floor.placed[1].callId);
    expect(await waitForDials(3, true)).toBe(2); // one pass allowed: the lead rests
    const [first, second] = await dials();
    expect(first).toMatchObject({ attempt: 1, selection: 'new' });
    expect(first.pass).toBeUndefined();
    expect(second).toMatchObject({ attempt: 1, pass: 1, selection: 'recycled' });
  });

  it('refuses a recycling rule that makes no sense, saying why', async () => {
    await expect(floor.campaign('r1', ['ConfigureCampaign', { config: { recycle: { afterMinutes: 10, maxPasses: 0, dispositions: ['no_answer'] } } }])).rejects.toMatchObject({ code: 'RECYCLE_RULE_INVALID' });
  });
});
