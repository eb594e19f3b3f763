import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/lib/api.ts';
import { Wallboard } from '../src/lib/wallboard.svelte.ts';
import { FakeApi } from './fakeApi.ts';

function floorApi() {
  return new FakeApi()
    .on('FloorAgents', () => ({ agentStates: [
      { agent: { id: 'a1', displayName: '王丽' }, status: 'AVAILABLE', pauseReason: null, since: '2026-03-01T01:00:00Z', currentCall: null },
      { agent: { id: 'a2', displayName: '李娜' }, status: 'ON_CALL', pauseReason: null, since: '2026-03-01T01:10:00Z', currentCall: { id: 'call-5', phone: '+8613800138000' } },
      { agent: { id: 'a3', displayName: '刘洋' }, status: 'PAUSED', pauseReason: 'meal', since: '2026-03-01T01:20:00Z', currentCall: null },
    ] }))
    .on('FloorQueues', () => ({ queues: [{ id: 'q1', name: '售后', state: { waiting: 2, longestWaitSeconds: 40, agentsAvailable: 1, serviceLevel: 0.8, answeredToday: 30, abandonedToday: 3 } },
      { id: 'q2', name: '销售', state: { waiting: 1, longestWaitSeconds: 75, agentsAvailable: 0, serviceLevel: null, answeredToday: 10, abandonedToday: 1 } }] }))
    .on('FloorCampaigns', () => ({ campaigns: { nodes: [{ id: 'c1', name: '春季', status: 'RUNNING', dialMode: 'PREDICTIVE', maxAbandonRate: 0.03, stats: { leadsTotal: 1000, leadsRemaining: 600, abandonRate: 0.02, orders: 12 } }] } }))
    .on('WallboardNow', () => totals(30, 3));
}
const totals = (position: number, callsWaiting: number) => ({ wallboard: { position, at: '2026-03-01T02:00:00Z', agentsLoggedIn: 3, agentsAvailable: 1, agentsOnCall: 1, agentsPaused: 1, agentsWrapUp: 0,
  callsWaiting, longestWaitSeconds: 10, callsToday: 50, connectsToday: 40, abandonedToday: 4, ordersToday: 12, ordersAmountToday: 480000 } });

describe('Wallboard', () => {
  it('shows the day totals from the wallboard query before the first live update, also as of a past instant', async () => {
    const api = floorApi().on('WallboardNow', (v) => totals(v.asOf ? 40 : 77, 3));
    const board = new Wallboard(api);
    await board.load();
    expect(board.error).toBeNull();
    expect(board.totals).toMatchObject({ position: 77, callsToday: 50, ordersToday: 12, ordersAmountToday: 480000 });
    await board.load({ at: '2026-03-01T01:00:00Z' });
    expect(api.named('WallboardNow').at(-1)!.variables).toEqual({ asOf: { at: '2026-03-01T01:00:00Z' } });
    expect(board.totals).toMatchObject({ position: 40, ordersToday: 12 });
  });

  it('keeps a live update that is newer than the loaded board', async () => {
    const api = floorApi().on('WallboardNow', () => totals(60, 3));
    const board = new Wallboard(api);
    board.start();
    api.push('Wallboard', totals(70, 9));
    await board.load();
    expect(board.totals).toMatchObject({ position: 70, callsWaiting: 9 });
  });

  it('falls back to the agent and queue snapshot when the wallboard query is refused', async () => {
    const api = floorApi().on('WallboardNow', () => { throw new ApiError('NOT_AVAILABLE', '尚未开放'); });
    const board = new Wallboard(api);
    await board.load();
    expect(board.agents.map((a) => [a.name, a.status, a.callId])).toEqual([['王丽', 'AVAILABLE', null], ['李娜', 'ON_CALL', 'call-5'], ['刘洋', 'PAUSED', null]]);
    expect(board.byStatus).toEqual({ AVAILABLE: 1, ON_CALL: 1, PAUSED: 1 });
    expect(board.totals).toMatchObject({ agentsLoggedIn: 3, agentsOnCall: 1, callsWaiting: 3, longestWaitSeconds: 75, connectsToday: 40, abandonedToday: 4 });
    expect(board.totals!.ordersToday).toBeNaN();
    expect(board.campaigns[0]).toMatchObject({ leadsTotal: 1000, leadsRemaining: 600, maxAbandonRate: 0.03 });
  });

  it('keeps the panels that loaded when one read model is not available', async () => {
    const api = floorApi().on('FloorQueues', () => { throw new ApiError('NOT_AVAILABLE', '尚未开放 / the queues read model is not wired'); });
    const board = new Wallboard(api);
    await board.load();
    expect(board.agents).toHaveLength(3);
    expect(board.campaigns).toHaveLength(1);
    expect(board.queues).toEqual([]);
    expect(board.error).toMatch(/尚未开放/);
  });

  it('moves an agent to a new state with its time reset, ignoring a replayed change', async () => {
    const api = floorApi();
    const board = new Wallboard(api);
    await board.load();
    board.start();
    api.push('AgentChanges', { agentStates: { position: 50, at: '2026-03-01T02:00:00Z', agentId: 'a1', status: 'ON_CALL', pauseReason: null, callId: 'call-8', eventType: 'CallBridged' } });
    api.push('AgentChanges', { agentStates: { position: 49, at: '2026-03-01T01:59:00Z', agentId: 'a1', status: 'PAUSED', pauseReason: 'break', callId: null, eventType: 'AgentNotReady' } });
    expect(board.agents[0]).toMatchObject({ status: 'ON_CALL', since: '2026-03-01T02:00:00Z', callId: 'call-8' });
  });

  it('the trend starts at the snapshot and follows agent changes between wallboard updates', async () => {
    const api = floorApi();
    const board = new Wallboard(api);
    await board.load();
    board.start();
    expect(board.series).toEqual([{ waiting: 3, onCall: 1 }]);
    api.push('AgentChanges', { agentStates: { position: 50, at: '2026-03-01T02:00:00Z', agentId: 'a1', status: 'ON_CALL', pauseReason: null, callId: 'call-8', eventType: 'CallBridged' } });
    api.push('AgentChanges', { agentStates: { position: 51, at: '2026-03-01T02:00:05Z', agentId: 'a3', status: 'RINGING', pauseReason: null, callId: 'call-9', eventType: 'CallOffered' } });
    api.push('Wallboard', totals(52, 5));
    expect(board.series).toEqual([{ waiting: 3, onCall: 1 }, { waiting: 3, onCall: 2 }, { waiting: 3, onCall: 3 }, { waiting: 5, onCall: 1 }]);
  });

  it('a past instant draws only its own point', async () => {
    const api = floorApi();
    const board = new Wallboard(api);
    await board.load();
    await board.load({ at: '2026-03-01T01:30:00.000Z' });
    expect(board.series).toEqual([{ waiting: 3, onCall: 1 }]);
  });

  it('takes live totals in position order and keeps a trend', async () => {
    const api = floorApi();
    const board = new Wallboard(api);
    board.start();
    api.push('Wallboard', totals(10, 4));
    api.push('Wallboard', totals(12, 6));
    api.push('Wallboard', totals(11, 5));
    expect(board.totals?.callsWaiting).toBe(6);
    expect(board.series.map((s) => s.waiting)).toEqual([4, 6]);
  });

  it('a past instant is loaded with asOf and not subscribed', async () => {
    const api = floorApi();
    const board = new Wallboard(api);
    await board.load({ at: '2026-03-01T01:30:00.000Z' });
    expect(api.named('FloorAgents')[0].variables).toEqual({ asOf: { at: '2026-03-01T01:30:00.000Z' } });
    expect(api.named('FloorQueues')[0].variables).toEqual({ asOf: { at: '2026-03-01T01:30:00.000Z' } });
    board.start();
    expect(api.sinks.size).toBe(0);
  });

  it('barges, and force-hangs-up with the reason recorded', async () => {
    const api = floorApi().on('MonitorCall', () => ({ monitorCall: { position: 1 } })).on('ForceHangUp', () => ({ forceHangUp: { position: 2 } }));
    const board = new Wallboard(api);
    expect(await board.monitor('call-5', 'BARGE')).toBe(true);
    expect(api.named('MonitorCall')[0].variables).toMatchObject({ callId: 'call-5', mode: 'BARGE' });
    expect(await board.forceHangUp('call-5', '客户投诉')).toBe(true);
    expect(api.named('ForceHangUp')[0].variables).toMatchObject({ callId: 'call-5', reason: '客户投诉' });
  });
});
