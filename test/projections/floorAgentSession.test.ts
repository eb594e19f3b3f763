import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { floorProjection } from '../../src/projections/readModels/floor/projection.ts';
import { wallboard } from '../../src/projections/readModels/wallboard/queries.ts';
import { ProjectionRunner } from '../../src/projections/runtime/runner.ts';
import { createTestDatabase } from '../support/db.ts';
import { evolveAgent, type AgentDoc, type AgentSignal } from '../../src/projections/readModels/floor/agent.ts';

// The call session's agent machine writes its own facts (wrap-up ended, forced states); the wallboard must
// follow them, or an agent back at work shows as stuck in wrap-up: a ghost state.
const fold = (events: AgentSignal[]) => events.reduce<AgentDoc | undefined>((doc, e, i) => evolveAgent(doc, e, `2026-11-23T09:00:${String(i).padStart(2, '0')}.000Z`).doc, undefined)!;
const a = 'agent-1';
const onCall: AgentSignal[] = [
  { type: 'AgentLoggedIn', data: { agentId: a, extension: '1001', at: '' } } as AgentSignal,
  { type: 'AgentReady', data: { agentId: a, at: '' } } as AgentSignal,
  { type: 'AgentTalking', data: { agentId: a, callId: 'c1', at: '' } },
  { type: 'AgentCallEnded', data: { agentId: a, callId: 'c1', at: '' } },
];

describe('wallboard agent state from the call session', () => {
  it('given a call ended, the agent is in wrap-up; when the session ends wrap-up, the agent is ready again', () => {
    expect(fold(onCall).state).toBe('wrap_up');
    const doc = fold([...onCall, { type: 'AgentWrapUpEnded', data: { agentId: a, callId: 'c1' } }]);
    expect(doc).toMatchObject({ state: 'ready', since: '2026-11-23T09:00:04.000Z' });
    expect(doc.callId).toBeUndefined();
  });

  it('follows a supervisor forcing an agent not ready and ready, but never revives a logged-out agent', () => {
    const forced = fold([...onCall, { type: 'AgentForcedNotReady', data: { agentId: a, by: 'sup', reason: 'coaching', reasonCode: 'COACHING' } }]);
    expect(forced).toMatchObject({ state: 'not_ready', reason: 'COACHING' });
    expect(fold([...onCall, { type: 'AgentForcedReady', data: { agentId: a, by: 'sup', reason: 'queue is long' } }]).state).toBe('ready');
    const out = fold([...onCall, { type: 'AgentLoggedOut', data: { agentId: a, reason: 'end of shift', at: '' } } as AgentSignal, { type: 'AgentWrapUpEnded', data: { agentId: a } }]);
    expect(out.state).toBe('logged_out');
  });
});

// Given the agent machine's own events on the agent stream, the wallboard (through the real projection and
// query) shows the agent reserved, then ringing, then talking, then back to ready when the customer hung up first.
describe('wallboard shows reserved and ringing agents', () => {
  const t = (s: number) => `2026-11-23T09:00:${String(s).padStart(2, '0')}.000Z`;
  const ev = (type: string, s: number, data: Record<string, unknown> = {}) => ({ type, data: { agentId: a, at: t(s), ...data }, metadata: { occurredAt: t(s) } });
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;
  beforeAll(async () => {
    db = await createTestDatabase('proj_floor_agent');
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 50 });
    runner = new ProjectionRunner({ pool: db.pool, store, projections: [floorProjection] });
    await runner.start();
  });
  afterAll(async () => {
    await runner.stop();
    await store.close();
    await db.close();
  });
  const stateAfter = async (events: ReturnType<typeof ev>[]) => {
    const r = await store.append(`agent-${a}`, events);
    await runner.waitFor(r.position);
    return (await wallboard(db.pool, { now: t(59) })).agents.find((x) => x.agentId === a);
  };

  it('given a ready agent, when the session reserves and rings them, the wallboard shows reserved then ringing on that call', async () => {
    expect(await stateAfter([ev('AgentRegistered', 0, { name: '王芳', skills: [] }), ev('AgentLoggedIn', 1, { extension: '1001' }), ev('AgentReady', 2)])).toMatchObject({ state: 'ready' });
    expect(await stateAfter([ev('AgentReserved', 3, { callId: 'c9' })])).toMatchObject({ state: 'reserved', callId: 'c9', since: t(3), secondsInState: 56 });
    expect(await stateAfter([ev('AgentRinging', 4, { callId: 'c9' })])).toMatchObject({ state: 'ringing', callId: 'c9', since: t(4) });
    const board = await wallboard(db.pool, { now: t(59) });
    expect(board.agentsByState).toMatchObject({ ringing: 1 });
  });

  it('when the customer hangs up while the agent rings, the agent is ready again without wrap-up; a connected call shows talking and held', async () => {
    expect(await stateAfter([ev('AgentCallEnded', 5, { callId: 'c9', cause: 'ORIGINATOR_CANCEL' })])).toMatchObject({ state: 'ready', since: t(5) });
    await stateAfter([ev('AgentReserved', 6, { callId: 'c10' }), ev('AgentRinging', 7, { callId: 'c10' }), ev('AgentCallConnected', 8, { callId: 'c10' })]);
    expect((await wallboard(db.pool, { now: t(59) })).agents[0]).toMatchObject({ state: 'talking', callId: 'c10' });
    expect(await stateAfter([ev('AgentCallHeld', 9, { callId: 'c10' })])).toMatchObject({ state: 'held' });
    expect(await stateAfter([ev('AgentCallResumed', 10, { callId: 'c10' }), ev('AgentCallEnded', 11, { callId: 'c10', cause: 'NORMAL_CLEARING' })])).toMatchObject({ state: 'wrap_up', callId: 'c10' });
  });

  it('a reservation that expires puts the agent back to ready; an expiry for another call changes nothing', async () => {
    await stateAfter([ev('AgentWrapUpEnded', 12, { callId: 'c10' }), ev('AgentReserved', 13, { callId: 'c11' })]);
    expect(await stateAfter([ev('AgentReservationExpired', 14, { callId: 'other' })])).toMatchObject({ state: 'reserved', callId: 'c11' });
    expect(await stateAfter([ev('AgentReservationExpired', 15, { callId: 'c11' })])).toMatchObject({ state: 'ready', since: t(15) });
  });
});
