import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { campaignDecider } from '../../src/domain/campaign/decider.ts';
import { leadDecider } from '../../src/domain/lead/decider.ts';
import { leadId } from '../../src/domain/lead/streams.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { CampaignDialers } from '../../src/floor/campaignDialers.ts';
import type { MediaServer } from '../../src/telephony/session/mediaServer.ts';
import { createTestDatabase } from '../support/db.ts';

const ALL_DAY = { windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' }], timeZonePolicy: 'lead' as const, timeZone: 'Asia/Shanghai' };
const PHONE = '+8613800138201';

// List recycling: a lead out of attempts after a recyclable outcome (no answer) gets a new pass over the list;
// the dial says so (pass, selection 'recycled', attempt 1 of the pass), and passes stop at the campaign's maximum.
describe('list recycling on the live dialer', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let dialers: CampaignDialers;
  const placed: { callId: string }[] = [];
  const media = { dial: async (r: { callId: string }) => void placed.push(r), agents: { readyAgents: () => [{ agentId: 'u1' }] } } as unknown as MediaServer;
  let seq = 0;
  const meta = () => ({ now: new Date().toISOString(), commandId: `t-${++seq}`, actorId: 'admin-1', actorRole: 'admin' });
  const dials = async () =>
    (await store.readAll({ after: 0, maxCount: 1000, filter: { eventTypes: ['CallDialAttempted'] } })).map((e) => e.data as { callId: string; attempt: number; pass?: number; selection?: string });
  const waitForDials = async (n: number, quiet = false) => {
    for (let i = 0; i < (quiet ? 10 : 80) && placed.length < n; i++) await new Promise((r) => setTimeout(r, 50));
    return placed.length;
  };
  const noAnswer = (callId: string) => store.append(`call-${callId}`, [{ type: 'CallEnded', data: { callId, cause: 'NO_ANSWER' } }]);

  beforeAll(async () => {
    db = await createTestDatabase('list_recycling');
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 20 });
    await store.append('user-u1', [{ type: 'UserCreated', data: { userId: 'u1', username: 'u1', role: 'agent', departmentId: 'd1' } }]);
    await handleCommand(store, leadDecider, leadId(PHONE) as string, { type: 'ImportLead', data: { phone: PHONE, source: 'file', batchId: 'list-r', row: 1, departmentId: 'd1' }, meta: meta() });
    const config = { mode: 'progressive', callingHours: ALL_DAY, maxAttempts: 1, retryRules: { no_answer: { delayMinutes: 0 } }, recycle: { afterMinutes: 0, maxPasses: 1, dispositions: ['no_answer'] } };
    for (const [type, data] of [
      ['CreateCampaign', { campaignId: 'r1', name: 'Recycling', departmentId: 'd1', config }],
      ['AttachList', { listId: 'list-r' }],
      ['StartCampaign', {}],
    ] as const) {
      const r = await handleCommand(store, campaignDecider, 'r1', { type, data, meta: meta() } as never);
      expect(r).not.toBeInstanceOf(Error);
    }
    dialers = new CampaignDialers({ store, media, dialString: (n) => `sofia/gateway/t/${n.slice(1)}`, tickMs: 20 });
    await dialers.start();
  });
  afterAll(async () => {
    await dialers.stop();
    await store.close();
    await db.close();
  });

  it('dials a new lead, recycles it once after no answer, then leaves it', async () => {
    expect(await waitForDials(1)).toBe(1);
    await noAnswer(placed[0].callId);
    expect(await waitForDials(2)).toBe(2);
    await noAnswer(placed[1].callId);
    expect(await waitForDials(3, true)).toBe(2); // one pass allowed: the lead rests
    const [first, second] = await dials();
    expect(first).toMatchObject({ attempt: 1, selection: 'new' });
    expect(first.pass).toBeUndefined();
    expect(second).toMatchObject({ attempt: 1, pass: 1, selection: 'recycled' });
  });

  it('refuses a recycling rule that makes no sense, saying why', async () => {
    const r = await handleCommand(store, campaignDecider, 'r1', { type: 'ConfigureCampaign', data: { config: { recycle: { afterMinutes: 10, maxPasses: 0, dispositions: ['no_answer'] } } }, meta: meta() } as never).catch((e) => e);
    expect(r).toMatchObject({ code: 'RECYCLE_RULE_INVALID' });
  });
});
