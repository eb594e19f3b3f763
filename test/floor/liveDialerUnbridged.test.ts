import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPacer } from '../../src/dialer/pacing/index.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { LiveDialer } from '../../src/floor/liveDialer.ts';
import type { MediaServer } from '../../src/telephony/session/mediaServer.ts';
import { createTestDatabase } from '../support/db.ts';

const LEADS = Array.from({ length: 20 }, (_, i) => `+86138001381${String(i).padStart(2, '0')}`);

// A customer who answers and hangs up while the agent's phone still rings: the session records AgentCallEnded and
// CallEnded, puts the agent straight back to ready (no AgentReady, no wrap-up) and the campaign must dial on.
describe('live dialer after a customer hangs up before the agent answers', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let dialer: LiveDialer;
  const placed: { callId: string }[] = [];
  // Only the switch is a double: the dialer records receipts in the real store, then asks it to originate.
  const media = { dial: async (r: { callId: string }) => void placed.push(r) } as unknown as MediaServer;
  const agent = (type: string, data: Record<string, unknown> = {}) => store.append('agent-a1', [{ type, data: { agentId: 'a1', ...data } }]);
  const call = (callId: string, type: string, data: Record<string, unknown> = {}) => store.append(`call-${callId}`, [{ type, data: { callId, ...data } }]);
  const dialsSettle = async (n: number) => {
    for (let i = 0; i < 60 && placed.length < n; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300)); // a few more ticks: no extra dial may follow
    return placed.length;
  };

  beforeAll(async () => {
    db = await createTestDatabase('live_dialer_unbridged');
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 20 });
    let next = 0;
    dialer = new LiveDialer({
      store,
      media,
      pacer: createPacer({ mode: 'progressive' }, { now: () => Date.now() }),
      campaignId: 'c1',
      rules: { version: 'test-1', callingHours: { windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }], timeZonePolicy: 'lead', timeZone: 'Asia/Shanghai' }, maxAttempts: 3, abandonRateTarget: 0.03 },
      nextLead: (inFlight) => LEADS.slice(next).find((p) => !inFlight.has(p) && ++next),
      dialString: (e164) => `sofia/gateway/test/${e164.slice(1)}`,
      tickMs: 20,
    });
    await dialer.start();
  });
  afterAll(async () => {
    await dialer.stop();
    await store.close();
    await db.close();
  });

  it('dials again for the agent at once, and after a conversation only once their wrap-up ends', async () => {
    await agent('AgentReady');
    expect(await dialsSettle(1)).toBe(1);
    const first = placed[0].callId;
    await call(first, 'CallAnswered', { answeredBy: 'human' });
    await agent('AgentReserved', { callId: first });
    await agent('AgentRinging', { callId: first });
    await agent('AgentCallEnded', { callId: first, cause: 'NORMAL_CLEARING' });
    await call(first, 'CallEnded', { cause: 'NORMAL_CLEARING' });
    expect(await dialsSettle(2)).toBe(2); // the agent never spoke: ready again, and the call waits no more

    const second = placed[1].callId;
    await call(second, 'CallAnswered', { answeredBy: 'human' });
    await call(second, 'CallBridged', { agentId: 'a1' });
    await agent('AgentCallConnected', { callId: second });
    await agent('AgentCallEnded', { callId: second, cause: 'NORMAL_CLEARING' });
    await call(second, 'CallEnded', { cause: 'NORMAL_CLEARING' });
    expect(await dialsSettle(3)).toBe(2); // in wrap-up after talking: nobody to dial for
    await agent('AgentWrapUpEnded', { callId: second });
    expect(await dialsSettle(3)).toBe(3);
  });
});
