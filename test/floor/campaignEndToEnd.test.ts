import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { blacklistDecider } from '../../src/domain/blacklist/decider.ts';
import { campaignDecider } from '../../src/domain/campaign/decider.ts';
import { leadDecider } from '../../src/domain/lead/decider.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import type { RecordedEvent } from '../../src/eventstore/types.ts';
import { BotAgents } from '../../src/floor/botAgents.ts';
import { CampaignDialers } from '../../src/floor/campaignDialers.ts';
import { FreeSwitchSimulator } from '../../src/telephony/simulator/server.ts';
import { startTelephony, type Telephony } from '../../src/telephony/startTelephony.ts';
import { createTestDatabase } from '../support/db.ts';

// Open this hour and the next in Shanghai, which are never these hours in New York (12 or 13 hours apart).
const H = new Date(Date.now() + 8 * 3600_000).getUTCHours();
const pad = (h: number) => String(h).padStart(2, '0');
const THIS_HOUR_IN_SHANGHAI = { windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: `${pad(H)}:00`, end: H === 23 ? '24:00' : `${pad(H + 1)}:59` }], timeZonePolicy: 'lead' as const, timeZone: 'Asia/Shanghai' };
const DNC = '+8613800138401';
const BLACK = '+8613800138402';
const ABROAD = '+8613800138403'; // lives in New York (lead field 时区): outside the campaign's hours there
const LEADS = [DNC, BLACK, ABROAD, ...Array.from({ length: 4 }, (_, i) => `+861380013841${i}`)];
const BOTS = ['bot-a', 'bot-b'];

// A campaign an admin sets up, run end to end through the ESL simulator the way `npm start` runs it: leads in,
// compliance refusals with receipts (do-not-call, blacklist), dials out, answered calls bridged to agents on the
// call session, dispositions recorded on the leads.
describe('a progressive campaign end to end through the simulator', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let sim: FreeSwitchSimulator;
  let telephony: Telephony;
  let dialers: CampaignDialers;
  let bots: BotAgents;
  const errors: string[] = [];
  /** Number dialed -> caller id the customer's phone showed. */
  const shownNumbers = new Map<string, string>();
  let seq = 0;
  const meta = () => ({ now: new Date().toISOString(), commandId: `e2e-${++seq}`, actorId: 'admin-1', actorRole: 'admin' });
  const ofType = async (...types: string[]): Promise<RecordedEvent[]> => store.readAll({ after: 0, maxCount: 10_000, filter: { eventTypes: types } });
  const until = async (what: string, fn: () => Promise<boolean>, ms = 20_000) => {
    const end = Date.now() + ms;
    while (!(await fn())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; errors: ${errors.join('; ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase('campaign_e2e');
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 50 });
    sim = await FreeSwitchSimulator.start({ port: 0, password: 'ClueCon', timeScale: 5, customers: { answerProbability: 1, machineShare: 0, ringMs: [1_000, 2_000], talkMs: [10_000, 15_000] } });
    telephony = await startTelephony({ store, esl: { host: '127.0.0.1', port: sim.port, password: 'ClueCon' }, dataDir: path.join(os.tmpdir(), `cs-e2e-${process.pid}`), log: (l) => errors.push(l) });
    for (const id of BOTS) await store.append(`user-${id}`, [{ type: 'UserCreated', data: { userId: id, username: id, role: 'agent', departmentId: 'sales' } }]);
    for (const [i, phone] of LEADS.entries()) {
      const fields = phone === ABROAD ? { 时区: 'America/New_York' } : undefined;
      await handleCommand(store, leadDecider, phone, { type: 'ImportLead', data: { phone, source: 'file', batchId: 'e2e-list', row: i + 1, departmentId: 'sales', fields }, meta: meta() });
    }
    await handleCommand(store, leadDecider, DNC, { type: 'AddDoNotCall', data: { reason: '客户要求 customer asked', source: 'agent' }, meta: meta() });
    await handleCommand(store, blacklistDecider, BLACK, { type: 'BlacklistNumber', data: { phone: BLACK, reason: '投诉 complaint' }, meta: meta() });
    for (const [type, data] of [
      ['CreateCampaign', { campaignId: 'e2e', name: '回访 follow-up', departmentId: 'sales', config: { mode: 'progressive', callingHours: THIS_HOUR_IN_SHANGHAI, callerId: '+862160001234' } }],
      ['AttachList', { listId: 'e2e-list' }],
    ] as const) {
      await handleCommand(store, campaignDecider, 'e2e', { type, data, meta: meta() } as never);
    }
    const media = telephony.media;
    telephony.esl.on('fact', (f) => {
      if (f.kind === 'channel-created' && f.direction === 'outbound') shownNumbers.set(f.destination ?? '', f.callerNumber ?? '');
    });
    dialers = new CampaignDialers({ store, media, dialString: (n) => `sofia/gateway/demo/${n.slice(1)}`, log: (l) => errors.push(l), tickMs: 100 });
    await dialers.start();
    bots = new BotAgents(store, media, BOTS);
    bots.onError = (e) => errors.push(String(e));
    await bots.start();
    // Agents wait in ready; the campaign starts.
    await handleCommand(store, campaignDecider, 'e2e', { type: 'StartCampaign', data: {}, meta: meta() });
  }, 60_000);
  afterAll(async () => {
    await dialers?.stop();
    await bots?.stop();
    await telephony?.stop();
    await sim?.stop();
    await store?.close();
    await db?.close();
  });

  it('refuses a lead outside calling hours at dial time with a receipt, never tries the do-not-call or blacklisted leads', async () => {
    await until('the calling-hours refusal', async () => (await ofType('CallDialBlocked')).length >= 1);
    const [blocked] = await ofType('CallDialBlocked');
    expect(blocked.data).toMatchObject({ phone: ABROAD, campaignId: 'e2e' });
    expect(blocked.data.compliance).toMatchObject({ reasons: ['OUTSIDE_CALLING_HOURS'], inputs: { timeZone: 'America/New_York', timeZoneSource: 'lead' } });
    // Do-not-call and the operator's blacklist close the lead in the campaign's selection (from the same log).
    await until('the rest of the list dialed', async () => (await ofType('CallDialAttempted')).length >= LEADS.length - 3, 30_000);
    const attempted = (await ofType('CallDialAttempted')).map((e) => e.data.phone);
    for (const never of [DNC, BLACK, ABROAD]) expect(attempted).not.toContain(never);
  }, 40_000);

  it('dials the other leads, bridges answered calls to the agents, and records their dispositions', async () => {
    await until('two dispositions', async () => (await ofType('LeadDispositionRecorded')).length >= 2, 40_000);
    // A bot also records a disposition for a call whose customer hung up before it answered: wait for the bridges.
    const bridgedAgents = async () => new Set((await ofType('CallBridged')).map((e) => e.data.agentId));
    await until('both agents bridged', async () => (await bridgedAgents()).size >= BOTS.length, 20_000);
    expect(await bridgedAgents()).toEqual(new Set(BOTS));
    const bridged = await ofType('CallBridged');
    const dispositions = await ofType('LeadDispositionRecorded');
    for (const d of dispositions) expect(d.data).toMatchObject({ campaignId: 'e2e' });
    // Every bridged call is recorded (the campaign default), and each recording ends with the file's hash.
    await until('recordings closed', async () => (await ofType('CallRecordingStopped')).length >= 2, 20_000);
    // The session records CallRecordingStarted after CallBridged, once the switch has started the recording.
    const recorded = async () => new Set((await ofType('CallRecordingStarted')).map((e) => e.data.callId));
    await until('every bridged call recording', async () => { const r = await recorded(); return bridged.every((b) => r.has(b.data.callId)); }, 10_000);
    const started = await recorded();
    for (const b of bridged) expect(started).toContain(b.data.callId);
    for (const s of await ofType('CallRecordingStopped')) expect(s.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    const dialed = await ofType('CallDialAttempted');
    // Customers see the campaign's caller id.
    const customerLegs = [...shownNumbers].filter(([to]) => dialed.some((d) => to.endsWith(String(d.data.phone).slice(1))));
    expect(customerLegs.length).toBeGreaterThan(0);
    for (const [, shown] of customerLegs) expect(shown).toBe('+862160001234');
    for (const d of dialed) expect(JSON.stringify(d.data.compliance)).toContain('campaign-e2e@');
    // Never two dials to one number at once.
    const live = new Map<string, number>();
    for (const e of await ofType('CallDialAttempted', 'CallEnded')) {
      const phone = e.type === 'CallDialAttempted' ? (e.data.phone as string) : dialed.find((x) => x.data.callId === e.data.callId)?.data.phone as string;
      live.set(phone, (live.get(phone) ?? 0) + (e.type === 'CallDialAttempted' ? 1 : -1));
      expect(live.get(phone)).toBeLessThanOrEqual(1);
    }
  }, 60_000);
});
