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
const meta = (id: string) => ({ now: new Date().toISOString(), commandId: id, actorId: 'admin-1', actorRole: 'admin' });

// Campaigns an admin creates and starts are dialed by the running system, not only the demo campaign; pausing
// one stops its dials at once; each campaign paces for its own department's agents.
describe('campaign dialers follow the campaigns in the log', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let dialers: CampaignDialers;
  const placed: { callId: string; campaignId?: string }[] = [];
  // Only the switch is a double: receipts go to the real store, then the switch is asked to originate.
  const readyOnDesk: string[] = [];
  const media = { dial: async (r: { callId: string; campaignId?: string }) => void placed.push(r), agents: { readyAgents: () => readyOnDesk.map((agentId) => ({ agentId })) } } as unknown as MediaServer;
  let seq = 0;
  const campaign = (id: string, command: Record<string, unknown>) => handleCommand(store, campaignDecider, id, { ...command, meta: meta(`c-${++seq}`) } as never);
  const agent = (agentId: string, type: string, data: Record<string, unknown> = {}) => store.append(`agent-${agentId}`, [{ type, data: { agentId, ...data } }]);
  const user = (userId: string, departmentId: string) => store.append(`user-${userId}`, [{ type: 'UserCreated', data: { userId, username: userId, role: 'agent', departmentId } }]);
  const dialsOf = (campaignId: string) => placed.filter((p) => p.campaignId === campaignId).length;
  // Waits for `until`, then a few more ticks so that an extra dial would show; `quiet` when nothing is expected.
  const settle = async (until: () => boolean, quiet = false) => {
    for (let i = 0; i < (quiet ? 8 : 80) && !until(); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 400)); // a few more ticks: no extra dial may follow
  };
  const receipts = async (campaignId: string) => {
    const rows: { type: string; compliance: { allowed: boolean; reasons: string[]; inputs?: Record<string, unknown> } }[] = [];
    for (const e of await store.readAll({ after: 0, maxCount: 10_000, filter: { eventTypes: ['CallDialAttempted', 'CallDialBlocked'] } })) {
      const d = e.data as { campaignId?: string; compliance: never };
      if (d.campaignId === campaignId) rows.push({ type: e.type, compliance: d.compliance });
    }
    return rows;
  };

  beforeAll(async () => {
    db = await createTestDatabase('campaign_dialers');
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 20 });
    await user('u1', 'd1');
    await user('u2', 'd2');
    for (let i = 0; i < 30; i++) {
      const phone = `+86138001381${String(i).padStart(2, '0')}`;
      await handleCommand(store, leadDecider, leadId(phone) as string, { type: 'ImportLead', data: { phone, source: 'file', batchId: 'list-1', row: i + 1, departmentId: 'd1' }, meta: meta(`lead-${i}`) });
    }
    await campaign('c1', { type: 'CreateCampaign', data: { campaignId: 'c1', name: 'Progressive 1', departmentId: 'd1', config: { mode: 'progressive', callingHours: ALL_DAY } } });
    await campaign('c1', { type: 'AttachList', data: { listId: 'list-1' } });
    await campaign('c2', { type: 'CreateCampaign', data: { campaignId: 'c2', name: 'Preview 2', departmentId: 'd1', config: { mode: 'preview', callingHours: ALL_DAY } } });
    await campaign('c2', { type: 'AttachList', data: { listId: 'list-1' } });
    await campaign('c2', { type: 'StartCampaign', data: {} });
    dialers = new CampaignDialers({ store, media, dialString: (n) => `sofia/gateway/t/${n.slice(1)}`, tickMs: 20 });
    await dialers.start();
  });
  afterAll(async () => {
    await dialers.stop();
    await store.close();
    await db.close();
  });

  it('dials nothing for a draft campaign or a preview campaign', async () => {
    await agent('u1', 'AgentReady');
    readyOnDesk.push('u1');
    await settle(() => placed.length > 0, true);
    expect(placed).toHaveLength(0);
    expect(dialers.dialing()).toEqual([]);
  });

  it('starts dialing once the campaign is started, for its own department’s agents only, with the campaign revision on the receipt', async () => {
    await campaign('c1', { type: 'StartCampaign', data: {} });
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
    await campaign('c1', { type: 'PauseCampaign', data: { reason: 'list check' } });
    await settle(() => !dialers.dialing().includes('c1'));
    expect(dialers.dialing()).not.toContain('c1');
    const before = dialsOf('c1');
    await agent('u1', 'AgentWrapUpEnded');
    await agent('u1', 'AgentReady');
    await settle(() => dialsOf('c1') > before, true);
    expect(dialsOf('c1')).toBe(before);

    await campaign('c1', { type: 'StartCampaign', data: {} });
    await settle(() => dialers.dialing().includes('c1'));
    await agent('u1', 'AgentReady');
    await settle(() => dialsOf('c1') > before);
    expect(dialsOf('c1')).toBe(before + 1);
  });

  it('applies new calling hours from the next dial: refused with the new revision and the reason recorded', async () => {
    const now = new Date(Date.now() + 8 * 3600_000); // Shanghai wall clock (UTC+8)
    const hour = now.getUTCHours();
    // A one-hour window that is not now, in Shanghai.
    const start = `${String((hour + 2) % 24).padStart(2, '0')}:00`;
    const end = `${String((hour + 2) % 24).padStart(2, '0')}:59`;
    await campaign('c1', { type: 'ConfigureCampaign', data: { config: { callingHours: { ...ALL_DAY, windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start, end }] } } } });
    const revision = (await store.readStream('campaign-c1')).length - 1;
    await new Promise((r) => setTimeout(r, 300)); // the dialers hear of the change
    const before = (await receipts('c1')).length;
    // The dial placed for u1 before the change goes unanswered: u1 is free for the next one.
    const ringing = placed.at(-1)!.callId;
    await store.append(`call-${ringing}`, [{ type: 'CallEnded', data: { callId: ringing, cause: 'NO_ANSWER' } }]);
    for (let i = 0; i < 60 && (await receipts('c1')).length === before; i++) await new Promise((r) => setTimeout(r, 50));
    const latest = (await receipts('c1')).at(-1)!;
    expect(latest.type).toBe('CallDialBlocked');
    expect(latest.compliance.reasons).toContain('OUTSIDE_CALLING_HOURS');
    expect(JSON.stringify(latest.compliance)).toContain(`campaign-c1@${revision}`);
  });
});
