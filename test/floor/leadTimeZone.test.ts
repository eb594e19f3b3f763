import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCampaignFloor, thisHourInShanghai, type CampaignFloor } from './support.ts';

const HOME = '+8613800138501'; // a Chinese mobile: Asia/Shanghai by its number
const ABROAD = '+8613800138502'; // the same kind of number, but the customer lives in New York (lead field 时区)

// Calling hours are judged in the callee's local time: from the number, unless the lead names its own zone.
describe("a lead's own time zone overrides its number's", () => {
  let floor: CampaignFloor;
  beforeAll(async () => {
    floor = await openCampaignFloor('lead_time_zone');
    await floor.agentsIn('d1', 'u1');
    floor.readyOnDesk.push('u1');
    await floor.importLeads('tz', 'd1', [HOME, ABROAD], (phone) => (phone === ABROAD ? { 时区: 'America/New_York' } : undefined));
    await floor.campaign('tz', ['CreateCampaign', { campaignId: 'tz', name: 'Time zones', departmentId: 'd1', config: { mode: 'progressive', callingHours: thisHourInShanghai() } }], ['AttachList', { listId: 'tz' }], ['StartCampaign', {}]);
    await floor.startDialers();
  });
  afterAll(async () => floor?.close());

  it('dials the customer at home and refuses the one abroad, naming the lead as the zone source', async () => {
    const receipts = async () => floor.store.readAll({ after: 0, maxCount: 100, filter: { eventTypes: ['CallDialAttempted', 'CallDialBlocked'] } });
    const ended = new Set<string>();
    for (let i = 0; i < 100 && (await receipts()).length < 2; i++) {
      // Each dial goes unanswered, so the agent is free for the next one.
      for (const e of await receipts()) {
        const callId = e.data.callId as string;
        if (e.type === 'CallDialAttempted' && !ended.has(callId)) {
          ended.add(callId);
          await floor.store.append(`call-${callId}`, [{ type: 'CallEnded', data: { callId, cause: 'NO_ANSWER' } }]);
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const byPhone = new Map((await receipts()).map((e) => [e.data.phone as string, e]));
    expect(byPhone.get(HOME)?.type).toBe('CallDialAttempted');
    const abroad = byPhone.get(ABROAD)!;
    expect(abroad.type).toBe('CallDialBlocked');
    expect(abroad.data.compliance).toMatchObject({ reasons: ['OUTSIDE_CALLING_HOURS'], inputs: { timeZone: 'America/New_York', timeZoneSource: 'lead' } });
  });
});
