import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { createPacer } from '../../src/dialer/pacing/index.ts';
import type { Pacer } from '../../src/dialer/pacing/types.ts';
import { leadDecider } from '../../src/domain/lead/decider.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { LiveDialer, type LiveDialerOptions } from '../../src/floor/liveDialer.ts';
import type { MediaServer } from '../../src/telephony/session/mediaServer.ts';
import { createTestDatabase } from '../support/db.ts';

// The live dialer's gate reads its inputs from the log: the do-not-call list as it is at dial time, the
// campaign's abandon rate over a rolling window, calls still live. Only the switch is a double here.
const RULES = {
  version: 'test-rules-2',
  callingHours: { windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }], timeZonePolicy: 'lead' as const, timeZone: 'Asia/Shanghai' },
  maxAttempts: 3,
  abandonRateTarget: 0.03,
  abandonMinAnswers: 10,
};
const meta = (id: string, role = 'system') => ({ now: new Date().toISOString(), commandId: id, actorId: 'tester', actorRole: role });

describe('live dialer compliance from the log', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let placed: { callId: string; leadId?: string }[];
  let dialer: LiveDialer | undefined;
  const media = { dial: async (r: { callId: string; leadId?: string }) => void placed.push(r) } as unknown as MediaServer;

  /** A dialer whose pacer asks for `dials` dials on every tick, working the given leads once each. */
  const run = async (campaignId: string, leads: string[], over: Partial<LiveDialerOptions> = {}, dials: number | (() => number) = 1) => {
    const queue = [...leads];
    const want = typeof dials === 'number' ? () => dials : dials;
    const pacer = { ...createPacer({ mode: 'callstream' }, { now: () => Date.now() }), dialsToPlace: want, onDial: () => {} } as unknown as Pacer;
    dialer = new LiveDialer({
      store, media, pacer, campaignId, rules: RULES, tickMs: 20,
      nextLead: (busy) => {
        const i = queue.findIndex((p) => !busy.has(p));
        return i < 0 ? undefined : queue.splice(i, 1)[0];
      },
      dialString: (e164) => `sofia/gateway/test/${e164.slice(1)}`,
      ...over,
    });
    await dialer.start();
  };
  const receipts = async (campaignId: string) =>
    (await store.readAll({ maxCount: 10_000, filter: { eventTypes: ['CallDialAttempted', 'CallDialBlocked'] } })).filter((e) => e.data.campaignId === campaignId);
  const settle = async (campaignId: string, n: number) => {
    for (let i = 0; i < 100 && (await receipts(campaignId)).length < n; i++) await new Promise((r) => setTimeout(r, 30));
    await new Promise((r) => setTimeout(r, 200));
    return receipts(campaignId);
  };

  beforeAll(async () => {
    db = await createTestDatabase('live_compliance');
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 20 });
  });
  beforeEach(() => {
    placed = [];
  });
  afterAll(async () => {
    await dialer?.stop();
    await store.close();
    await db.close();
  });

  it('refuses a number put on the do-not-call list, naming the list version on the receipt', async () => {
    const dnc = '+8613800138111';
    const ok = '+8613800138112';
    for (const [i, phone] of [dnc, ok].entries()) {
      await handleCommand(store, leadDecider, phone, { type: 'ImportLead', data: { phone, name: `c${i}`, source: 'file', batchId: 'b1', row: i + 1 }, meta: meta(`import-${i}`) });
    }
    const added = await handleCommand(store, leadDecider, dnc, { type: 'AddDoNotCall', data: { reason: '客户要求 asked not to be called', source: 'agent' }, meta: meta('dnc-1', 'agent') });
    const position = (await store.readAll({ filter: { eventTypes: ['LeadDoNotCallAdded'] } })).at(-1)!.position;
    expect(added).toBeTruthy();

    await run('c-dnc', [dnc, ok]);
    const got = await settle('c-dnc', 2);
    await dialer!.stop();
    const blocked = got.find((e) => e.type === 'CallDialBlocked')!;
    expect(blocked.data.phone).toBe(dnc);
    expect((blocked.data.compliance as any).reasons).toContain('DO_NOT_CALL');
    expect((blocked.data.compliance as any).inputs).toMatchObject({ doNotCall: true, dncListVersion: `dnc@${position}` });
    // The other number goes out, and only it reaches the switch.
    expect(got.filter((e) => e.type === 'CallDialAttempted').map((e) => e.data.phone)).toEqual([ok]);
    expect(placed.map((p) => p.leadId)).toEqual([ok]);

    // Lifted by a supervisor: dialed again, under the newer list version.
    await handleCommand(store, leadDecider, dnc, { type: 'RemoveDoNotCall', data: { reason: '客户同意 consent given' }, meta: meta('dnc-2', 'supervisor') });
    await run('c-dnc-2', [dnc]);
    const again = await settle('c-dnc-2', 1);
    await dialer!.stop();
    expect(again.map((e) => e.type)).toEqual(['CallDialAttempted']);
    expect((again[0].data.compliance as any).inputs.dncListVersion).not.toBe(`dnc@${position}`);
  });

  it('judges the abandon rate over the rolling window: old abandons no longer stop predictive dials', async () => {
    const day = 24 * 3600_000;
    // 20 live answers with 5 abandoned (25 %): 2 days ago for campaign c-old, 1 hour ago for c-new.
    const history = async (campaignId: string, ago: number) => {
      for (let i = 0; i < 20; i++) {
        const callId = `${campaignId}-h${i}`;
        const at = (dt: number) => new Date(Date.now() - ago + dt).toISOString();
        const evs = [
          { type: 'CallDialAttempted', data: { callId, phone: `+86139000${campaignId === 'c-old' ? 1 : 2}${String(i).padStart(4, '0')}`, campaignId, at: at(0) } },
          { type: 'CallAnswered', data: { callId, answeredBy: 'human', at: at(5000) } },
          ...(i < 5 ? [{ type: 'CallAbandoned', data: { callId, waitedMs: 2000, reason: 'no agent', at: at(7000) } }] : []),
          { type: 'CallEnded', data: { callId, cause: 'NORMAL_CLEARING', at: at(9000) } },
        ];
        await store.append(`call-${callId}`, evs);
      }
    };
    await history('c-old', 2 * day);
    await history('c-new', 3600_000);

    await run('c-old', ['+8613800138201']);
    const old = await settle('c-old', 21);
    await dialer!.stop();
    const oldDial = old.find((e) => e.data.phone === '+8613800138201')!;
    expect(oldDial.type).toBe('CallDialAttempted');
    expect((oldDial.data.compliance as any).inputs).toMatchObject({ abandonAnswers: 0, abandonWindow: 'rolling 24h' });

    await run('c-new', ['+8613800138202']);
    const recent = await settle('c-new', 21);
    await dialer!.stop();
    const newDial = recent.find((e) => e.data.phone === '+8613800138202')!;
    expect(newDial.type).toBe('CallDialBlocked');
    expect((newDial.data.compliance as any).reasons).toEqual(['ABANDON_RATE_EXCEEDED']);
    expect((newDial.data.compliance as any).inputs).toMatchObject({ abandonAnswers: 20, abandonRate: 0.25 });

    // A 72 h window sees the old campaign's abandons too.
    await run('c-old', ['+8613800138203'], { abandonWindowHours: 72 });
    const wide = await settle('c-old', 22);
    await dialer!.stop();
    const wideDial = wide.find((e) => e.data.phone === '+8613800138203')!;
    expect(wideDial.type).toBe('CallDialBlocked');
    expect((wideDial.data.compliance as any).inputs).toMatchObject({ abandonAnswers: 20, abandonWindow: 'rolling 72h' });
  });

  it('never dials a number whose call is still live in the log when it starts', async () => {
    const live = '+8613800138301';
    const free = '+8613800138302';
    await store.append('call-live-1', [{ type: 'CallDialAttempted', data: { callId: 'live-1', phone: live, campaignId: 'other-campaign' } }]);
    await run('c-live', [live, free], {}, 2);
    const got = await settle('c-live', 2);
    expect(got.map((e) => e.data.phone)).toEqual([free]);
    // Once that call ends, the number may be dialed.
    await store.append('call-live-1', [{ type: 'CallEnded', data: { callId: 'live-1', cause: 'NORMAL_CLEARING' } }]);
    const after = await settle('c-live', 2);
    await dialer!.stop();
    expect(after.map((e) => e.data.phone)).toEqual([free, live]);
  });

  it('holds back as many dials as holdBack() asks (agents kept for inbound callers)', async () => {
    const leads = Array.from({ length: 10 }, (_, i) => `+86138001384${String(i).padStart(2, '0')}`);
    // The pacer wants 4 dials once; 3 agents are kept for inbound callers waiting.
    let asked = 0;
    await run('c-hold', leads, { holdBack: () => 3 }, () => (asked++ === 0 ? 4 : 0));
    await new Promise((r) => setTimeout(r, 300));
    await dialer!.stop();
    expect((await receipts('c-hold')).length).toBe(1);
    asked = 0;
    await run('c-hold-2', leads, { holdBack: () => 0 }, () => (asked++ === 0 ? 4 : 0));
    await new Promise((r) => setTimeout(r, 300));
    await dialer!.stop();
    expect((await receipts('c-hold-2')).length).toBe(4);
  });
});
