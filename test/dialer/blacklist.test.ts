import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { blacklistDecider } from '../../src/domain/blacklist/decider.ts';
import { createPacer } from '../../src/dialer/pacing/index.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { LiveDialer } from '../../src/floor/liveDialer.ts';
import type { MediaServer } from '../../src/telephony/session/mediaServer.ts';
import { createTestDatabase } from '../support/db.ts';

const BAD = '+8613800138301';
const GOOD = '+8613800138302';

// The operator's blacklist lives in the log: a listed number is refused at dial time with the list's version
// on the receipt, and dialed again once taken off.
describe('outbound blacklist from the log', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let dialer: LiveDialer;
  const placed: { leadId?: string }[] = [];
  const queue: string[] = [];
  const media = { dial: async (r: { leadId?: string }) => void placed.push(r) } as unknown as MediaServer;
  let seq = 0;
  const run = (type: 'BlacklistNumber' | 'UnblacklistNumber', data: Record<string, unknown>) =>
    handleCommand(store, blacklistDecider, BAD, { type, data, meta: { now: new Date().toISOString(), commandId: `b-${++seq}`, actorId: 'admin-1', actorRole: 'admin' } } as never);
  const receiptFor = async (phone: string) => {
    const all = await store.readAll({ after: 0, maxCount: 1000, filter: { eventTypes: ['CallDialAttempted', 'CallDialBlocked'] } });
    return all.filter((e) => e.data.phone === phone).map((e) => ({ type: e.type, compliance: e.data.compliance as { reasons: string[]; inputs: Record<string, unknown> } }));
  };
  const waitFor = async (until: () => Promise<boolean>) => {
    for (let i = 0; i < 80 && !(await until()); i++) await new Promise((r) => setTimeout(r, 50));
  };

  beforeAll(async () => {
    db = await createTestDatabase('blacklist');
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 20 });
    dialer = new LiveDialer({
      store,
      media,
      pacer: createPacer({ mode: 'progressive' }, { now: () => Date.now() }),
      campaignId: 'c1',
      rules: { version: 'test-1', callingHours: { windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }], timeZonePolicy: 'lead', timeZone: 'Asia/Shanghai' }, maxAttempts: 5, abandonRateTarget: 0.03 },
      nextLead: (busy) => queue.find((p) => !busy.has(p) && queue.splice(queue.indexOf(p), 1)),
      dialString: (e164) => `sofia/gateway/test/${e164.slice(1)}`,
      tickMs: 20,
    });
    await dialer.start();
    await store.append('agent-a1', [{ type: 'AgentReady', data: { agentId: 'a1' } }]);
  });
  afterAll(async () => {
    await dialer.stop();
    await store.close();
    await db.close();
  });

  it('refuses a blacklisted number, naming the list version; dials it once it is taken off', async () => {
    const { position } = (await run('BlacklistNumber', { phone: BAD, reason: '诈骗 fraud report' })) as { position: number };
    queue.push(BAD);
    await waitFor(async () => (await receiptFor(BAD)).length > 0);
    const [refused] = await receiptFor(BAD);
    expect(refused.type).toBe('CallDialBlocked');
    expect(refused.compliance.reasons).toContain('BLACKLISTED');
    expect(refused.compliance.inputs.blacklistVersion).toBe(`blacklist@${position}`);
    expect(placed).toHaveLength(0);

    await run('UnblacklistNumber', { reason: '误报 reported by mistake' });
    queue.push(BAD, GOOD);
    await waitFor(async () => placed.length > 0);
    const receipts = await receiptFor(BAD);
    expect(receipts.at(-1)!.type).toBe('CallDialAttempted');
    expect(placed[0].leadId).toBe(BAD);
  });
});
