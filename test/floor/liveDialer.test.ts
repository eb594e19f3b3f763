import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPacer } from '../../src/dialer/pacing/index.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { LiveDialer } from '../../src/floor/liveDialer.ts';
import type { MediaServer } from '../../src/telephony/session/mediaServer.ts';
import { createTestDatabase } from '../support/db.ts';
import { ALL_DAY } from './support.ts';

/**
 * A progressive live dialer for agent a1 on a fresh database, over a stand-in switch (the only double: the dialer
 * records receipts in the real store, then asks it to originate). Agent and call facts are written as the session
 * writes them; `dialsSettle(n)` waits for n dials and a few more ticks, so an extra dial would show.
 */
function progressiveDialer(label: string, leadBlock: string) {
  const leads = Array.from({ length: 20 }, (_, i) => `+86138001${leadBlock}${String(i).padStart(2, '0')}`);
  const placed: { callId: string; leadId?: string }[] = [];
  const media = { dial: async (r: { callId: string; leadId?: string }) => void placed.push(r) } as unknown as MediaServer;
  const f = {
    placed,
    store: undefined as unknown as PostgresEventStore,
    agent: (type: string, data: Record<string, unknown> = {}) => f.store.append('agent-a1', [{ type, data: { agentId: 'a1', ...data } }]),
    call: (callId: string, type: string, data: Record<string, unknown> = {}) => f.store.append(`call-${callId}`, [{ type, data: { callId, ...data } }]),
    dialsSettle: async (n: number) => {
      for (let i = 0; i < 60 && placed.length < n; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300)); // a few more ticks: no extra dial may follow
      return placed.length;
    },
  };
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dialer: LiveDialer;
  beforeAll(async () => {
    db = await createTestDatabase(label);
    f.store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 20 });
    let next = 0;
    dialer = new LiveDialer({
      store: f.store,
      media,
      pacer: createPacer({ mode: 'progressive' }, { now: () => Date.now() }),
      campaignId: 'c1',
      rules: { version: 'test-1', callingHours: ALL_DAY, maxAttempts: 3, abandonRateTarget: 0.03 },
      nextLead: (inFlight) => leads.slice(next).find((p) => !inFlight.has(p) && ++next),
      dialString: (e164) => `sofia/gateway/test/${e164.slice(1)}`,
      tickMs: 20,
    });
    await dialer.start();
  });
  afterAll(async () => {
    await dialer.stop();
    await f.store.close();
    await db.close();
  });
  return f;
}

// The live dialer learns who can take a call from the same agent facts the call session records. In
// progressive mode it places one dial per ready agent, so the dials placed show what it believes.
describe('live dialer follows the agents the session records', () => {
  const { placed, agent, call, dialsSettle } = progressiveDialer('live_dialer', '380');

  it('dials again for an agent whose wrap-up ended, and stops dialing for a paused one', async () => {
    await agent('AgentReady');
    expect(await dialsSettle(1)).toBe(1);
    const first = placed[0].callId;
    await call(first, 'CallAnswered', { answeredBy: 'human' });
    await call(first, 'CallBridged', { agentId: 'a1' });
    await agent('AgentCallConnected', { callId: first });
    await agent('AgentCallEnded', { callId: first, cause: 'NORMAL_CLEARING' });
    await call(first, 'CallEnded', { cause: 'NORMAL_CLEARING' });
    expect(await dialsSettle(2)).toBe(1); // in wrap-up: nobody to dial for

    await agent('AgentWrapUpEnded', { callId: first });
    expect(await dialsSettle(2)).toBe(2);
    const second = placed[1].callId;
    await agent('AgentNotReady', { reasonCode: 'break' });
    await call(second, 'CallEnded', { cause: 'NO_ANSWER' });
    await new Promise((r) => setTimeout(r, 600));
    expect(placed.length).toBe(2); // paused: the unanswered dial is not replaced
  });
});

// A customer who answers and hangs up while the agent's phone still rings: the session records AgentCallEnded and
// CallEnded, puts the agent straight back to ready (no AgentReady, no wrap-up) and the campaign must dial on.
describe('live dialer after a customer hangs up before the agent answers', () => {
  const { placed, agent, call, dialsSettle } = progressiveDialer('live_dialer_unbridged', '381');

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
