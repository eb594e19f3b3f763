import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floorDay } from '../../src/projections/sim/floorDay.ts';
import { appendAll } from '../../src/projections/sim/load.ts';
import { startServer, type Harness } from './harness.ts';

let h: Harness;
const clients: Client[] = [];
beforeAll(async () => {
  h = await startServer({}, 'api_subs');
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await h?.close();
});

function connect(token: string): Client {
  const c = createClient({
    url: `${h.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { token },
    retryAttempts: 0,
    lazy: true,
  });
  clients.push(c);
  return c;
}

/** Collects `n` payloads of one subscription, then unsubscribes. */
function take<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  n: number,
  timeoutMs = 10_000,
): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const got: T[] = [];
    const timer = setTimeout(
      () => reject(new Error(`timed out with ${got.length}/${n}: ${JSON.stringify(got)}`)),
      timeoutMs,
    );
    const stop = client.subscribe<any>(
      { query, variables },
      {
        next: (msg) => {
          if (msg.errors) return reject(Object.assign(new Error(msg.errors[0].message), { errors: msg.errors }));
          got.push(Object.values(msg.data!)[0] as T);
          if (got.length === n) {
            clearTimeout(timer);
            stop();
            resolve(got);
          }
        },
        error: (e) => {
          clearTimeout(timer);
          reject(e);
        },
        complete: () => {},
      },
    );
  });
}

const agentEvent = (type: string, agentId: string, extra: object = {}) => ({
  type,
  data: { agentId, at: new Date().toISOString(), ...extra },
});
const AGENT_STATES =
  'subscription($after: Position) { agentStates(afterPosition: $after) { position agentId status pauseReason eventType } }';

describe('subscriptions over graphql-ws', () => {
  it('refuses a connection without a valid token', async () => {
    const c = connect('not-a-token');
    await expect(take(c, AGENT_STATES, {}, 1, 5000)).rejects.toBeDefined();
  });

  it('resumes after a dropped socket from afterPosition with no missed and no repeated event', async () => {
    const token = await h.login('sup-east');
    const first = connect(token);
    const start = await h.store.headPosition();
    const live = take<any>(first, AGENT_STATES, { after: start }, 2);
    await h.store.append('agent-agent-east', [agentEvent('AgentLoggedIn', 'agent-east', { extension: '1001' })]);
    await h.store.append('agent-agent-east', [agentEvent('AgentReady', 'agent-east')]);
    const seen = await live;
    expect(seen.map((s) => s.status)).toEqual(['PAUSED', 'AVAILABLE']);
    await first.dispose(); // the socket drops

    // While the client is away, the floor moves on (including people it may not see).
    await h.store.append('agent-agent-west', [agentEvent('AgentLoggedIn', 'agent-west', { extension: '2001' })]);
    await h.store.append('agent-agent-east', [agentEvent('AgentNotReady', 'agent-east', { reasonCode: 'lunch' })]);
    await h.store.append('agent-agent-sh', [agentEvent('AgentLoggedIn', 'agent-sh', { extension: '3001' })]);
    await h.store.append('agent-agent-east', [agentEvent('AgentReady', 'agent-east')]);

    const again = connect(token);
    const resumed = await take<any>(again, AGENT_STATES, { after: seen[1].position }, 3);
    expect(resumed.map((s) => [s.agentId, s.status, s.pauseReason])).toEqual([
      ['agent-east', 'PAUSED', 'lunch'],
      ['agent-sh', 'PAUSED', 'logged_in'], // sub-department of east: in scope
      ['agent-east', 'AVAILABLE', null],
    ]);
    expect(resumed[0].position).toBeGreaterThan(seen[1].position);
    expect(new Set(resumed.map((r) => r.position)).size).toBe(3);
  });

  it('keeps other departments out of a supervisor feed', async () => {
    const west = connect(await h.login('sup-west'));
    const start = await h.store.headPosition();
    const feed = take<any>(west, AGENT_STATES, { after: start }, 1);
    await h.store.append('agent-agent-east', [agentEvent('AgentNotReady', 'agent-east', { reasonCode: 'break' })]);
    await h.store.append('agent-agent-west', [agentEvent('AgentReady', 'agent-west')]);
    expect((await feed).map((s: any) => s.agentId)).toEqual(['agent-west']);
  });

  it('pops only my own calls on my screen', async () => {
    const me = connect(await h.login('agent-east'));
    const start = await h.store.headPosition();
    const feed = take<any>(
      me,
      'subscription($a: Position) { myCalls(afterPosition: $a) { callId eventType phone } }',
      { a: start },
      2,
    );
    const at = new Date().toISOString();
    await h.store.append('call-c-other', [
      { type: 'CallBridged', data: { callId: 'c-other', agentId: 'agent-west', at } },
    ]);
    await h.store.append('call-c-mine', [
      {
        type: 'CallDialAttempted',
        data: {
          callId: 'c-mine',
          agentId: 'agent-east',
          phone: '+8613800138000',
          direction: 'outbound',
          attempt: 1,
          at,
        },
      },
    ]);
    await h.store.append('call-c-other', [
      { type: 'CallEnded', data: { callId: 'c-other', cause: 'NORMAL_CLEARING', at } },
    ]);
    await h.store.append('call-c-mine', [
      { type: 'CallAnswered', data: { callId: 'c-mine', answeredBy: 'human', at } },
    ]);
    expect(await feed).toEqual([
      { callId: 'c-mine', eventType: 'CallDialAttempted', phone: '+8613800138000' },
      { callId: 'c-mine', eventType: 'CallAnswered', phone: null },
    ]);
  });

  it('rebuilds the wallboard as of afterPosition before going live', async () => {
    const sup = connect(await h.login('admin'));
    const at = new Date().toISOString();
    await h.store.append('call-w1', [{ type: 'CallBridged', data: { callId: 'w1', agentId: 'agent-east', at } }]);
    const mark = await h.store.headPosition();
    const feed = take<any>(
      sup,
      'subscription($a: Position) { wallboard(afterPosition: $a) { position agentsOnCall connectsToday cause { type } } }',
      { a: mark },
      1,
    );
    await h.store.append('call-w2', [{ type: 'CallBridged', data: { callId: 'w2', agentId: 'agent-west', at } }]);
    const [board] = await feed;
    expect(board.cause.type).toBe('CallBridged');
    expect(board.connectsToday).toBeGreaterThanOrEqual(2); // w1 (before the mark) is counted, w2 too
    expect(board.agentsOnCall).toBe(2);
  });

  it('answers the wallboard now, with day totals, and as of an earlier position (what the page shows before a live update)', async () => {
    const token = await h.login('sup-east');
    const at = new Date().toISOString();
    const Q =
      'query($asOf: AsOf) { wallboard(asOf: $asOf) { position callsToday connectsToday ordersToday ordersAmountToday agentsOnCall cause { type } } }';
    const before = (await h.gql(Q, {}, token)).data.wallboard;
    await h.store.append('call-t1', [
      {
        type: 'CallDialAttempted',
        data: { callId: 't1', agentId: 'agent-east', phone: '+8613800138001', direction: 'outbound', attempt: 1, at },
      },
    ]);
    const mark = await h.store.headPosition();
    await h.store.append('order-t1', [
      { type: 'OrderPlaced', data: { orderId: 't1', agentId: 'agent-east', totalFen: 19900, at } },
    ]);
    // Another department's order is not on this supervisor's board.
    await h.store.append('order-t2', [
      { type: 'OrderPlaced', data: { orderId: 't2', agentId: 'agent-west', totalFen: 50000, at } },
    ]);
    const now = await h.gql(Q, {}, token);
    expect(now.errors).toBeUndefined();
    expect(now.data.wallboard).toMatchObject({
      position: await h.store.headPosition(),
      cause: null,
      callsToday: before.callsToday + 1,
      ordersToday: before.ordersToday + 1,
      ordersAmountToday: before.ordersAmountToday + 19900,
    });
    const then = (await h.gql(Q, { asOf: { position: mark } }, token)).data.wallboard;
    expect(then).toMatchObject({ position: mark, callsToday: before.callsToday + 1, ordersToday: before.ordersToday });
    // As of an instant before anything happened: an empty floor, zero totals.
    expect((await h.gql(Q, { asOf: { at: '2020-01-01T00:00:00Z' } }, token)).data.wallboard).toMatchObject({
      callsToday: 0,
      ordersToday: 0,
      agentsOnCall: 0,
    });
    // Subscribing after the query's position continues exactly from it.
    const feed = take<any>(
      connect(token),
      'subscription($a: Position) { wallboard(afterPosition: $a) { ordersToday cause { type } } }',
      { a: now.data.wallboard.position },
      1,
    );
    await h.store.append('order-t3', [
      { type: 'OrderPlaced', data: { orderId: 't3', agentId: 'agent-east', totalFen: 100, at } },
    ]);
    expect((await feed)[0]).toEqual({ ordersToday: before.ordersToday + 2, cause: { type: 'OrderPlaced' } });
    expect((await h.gql(Q, {}, await h.login('agent-east'))).errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('denies the wallboard to agents with a typed error', async () => {
    const agent = connect(await h.login('agent-west'));
    const err = await take(agent, 'subscription { wallboard { position } }', {}, 1).catch((e) => e);
    expect(JSON.stringify(err.errors ?? err)).toMatch(/FORBIDDEN|无权/);
  });
});

// The board now comes from one live fold shared by the server; it must say exactly what a fold of the whole
// log says, for every caller's scope, and a subscriber starting from it must stream what an exact one streams.
describe('the shared wallboard', () => {
  const BOARD =
    'position agentsLoggedIn agentsAvailable agentsOnCall agentsPaused agentsWrapUp callsWaiting callsToday connectsToday abandonedToday ordersToday ordersAmountToday';
  const USERS = ['admin', 'auditor', 'sup-east', 'sup-west', 'tl-east', 'qa-east'];
  const board = async (user: string, asOf?: object) => {
    const r = await h.gql(`query($asOf: AsOf) { wallboard(asOf: $asOf) { ${BOARD} } }`, { asOf }, await h.token(user));
    expect(r.errors, user).toBeUndefined();
    return r.data.wallboard;
  };
  const sameAsFullFold = async () => {
    for (const user of USERS) {
      const head = await h.store.headPosition();
      const now = await board(user);
      expect(now, user).toEqual(await board(user, { position: head }));
    }
  };
  // Today in the floor's day (Beijing), so the day's counters are not zero.
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const day = (prefix: string, events: number, skipSetup = false) =>
    floorDay({
      events,
      agents: 12,
      campaigns: 3,
      seed: events,
      start: `${today}T00:30:00+08:00`,
      idPrefix: prefix,
      skipSetup,
    });

  it('answers the board now as a fold of the whole log does, for every scope, while the log grows', async () => {
    await sameAsFullFold(); // starts the shared fold
    await appendAll(h.store, day('sw-a', 3000));
    const at = new Date().toISOString();
    const dial = (callId: string, agentId?: string) => ({
      type: 'CallDialAttempted',
      data: {
        callId,
        phone: '+8613800138222',
        direction: 'outbound',
        attempt: 1,
        agentId,
        campaignId: 'sw-east',
        at,
        compliance: { allowed: true, reasons: [], inputs: {} },
      },
    });
    await h.store.append('campaign-sw-east', [
      { type: 'CampaignCreated', data: { campaignId: 'sw-east', name: 'east', departmentId: 'east', config: {}, at } },
    ]);
    await h.store.append('call-sw-1', [
      dial('sw-1'),
      { type: 'CallQueued', data: { callId: 'sw-1', connectRuleMs: 2000, at } },
    ]);
    await h.store.append('call-sw-2', [
      dial('sw-2', 'agent-east'),
      { type: 'CallBridged', data: { callId: 'sw-2', agentId: 'agent-east', at } },
    ]);
    await h.store.append('order-sw-2', [
      { type: 'OrderPlaced', data: { orderId: 'sw-2', agentId: 'agent-east', totalFen: 1000, at } },
    ]);
    await h.store.append('call-sw-3', [
      dial('sw-3'),
      { type: 'CallAbandoned', data: { callId: 'sw-3', waitedMs: 100, reason: 'no agent', at } },
      { type: 'CallEnded', data: { callId: 'sw-3', cause: 'NORMAL_CLEARING', at } },
    ]);
    await sameAsFullFold();
    expect((await board('sup-east')).callsToday).toBeGreaterThan(0);
    expect((await board('admin')).connectsToday).toBeGreaterThan(100);
    await appendAll(h.store, day('sw-b', 1000, true));
    await sameAsFullFold();
  });

  it('starts a subscription without afterPosition from the shared fold, then streams as an exact one would', async () => {
    for (const user of ['admin', 'sup-east']) {
      const client = connect(await h.login(user));
      const shared = take<any>(client, `subscription { wallboard { ${BOARD} } }`, {}, 3);
      // Whenever the server took its copy, every update after it must match the exact board at its position:
      // the floor keeps moving until three have come.
      let done = false;
      void shared.finally(() => (done = true)).catch(() => {});
      const at = new Date().toISOString();
      await h.store.append(`call-sw-live-${user}`, [
        {
          type: 'CallDialAttempted',
          data: {
            callId: `sw-live-${user}`,
            phone: '+8613800138333',
            direction: 'outbound',
            attempt: 1,
            campaignId: 'sw-east',
            at,
            compliance: { allowed: true, reasons: [], inputs: {} },
          },
        },
        { type: 'CallQueued', data: { callId: `sw-live-${user}`, connectRuleMs: 2000, at } },
        { type: 'CallBridged', data: { callId: `sw-live-${user}`, agentId: 'agent-east', at } },
      ]);
      for (let i = 0; !done && i < 100; i++) {
        await h.store.append('agent-agent-east', [
          agentEvent(i % 2 ? 'AgentReady' : 'AgentNotReady', 'agent-east', { reasonCode: 'break' }),
        ]);
        await new Promise((r) => setTimeout(r, 100));
      }
      for (const update of await shared) expect(update, user).toEqual(await board(user, { position: update.position }));
    }
  });
});
