import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionReadModels } from '../../src/api/projectionReadModels.ts';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import type { LeadCommand } from '../../src/domain/lead/commands.ts';
import { leadDecider } from '../../src/domain/lead/decider.ts';
import { rebuild } from '../../src/projections/index.ts';
import { startServer, type Harness } from './harness.ts';

// The role x resource matrix of issue #6: an agent sees only their own rows, a supervisor only their
// departments', auditors and admins everything; and scoping happens in the query, so a page of `first` rows
// is full whenever there are more (a page filtered after fetching comes back short, or empty, and a client
// that stops at a short page misses rows).
//
// The org (test/api/harness.ts): departments east (with east-sh under it) and west. Five of each kind of row
// belong to agent-east (department east) and five to agent-west (department west), interleaved in time so
// that any page taken before scoping mixes the two.
//
// Audit of the other root fields (2026-11-23), where their scope is applied:
// - in SQL or over the whole list before paging: importJobs, qaScores, qaQueue, queues/queue, keptCallbacks, agentState;
//   single rows through the same scope: call, lead, customer, campaign, order, user, department.
// - by stream (mayReadStream): history, verify(stream), callReceipts, evidenceBundle.
// - recordingAccesses and recordings(filter): test/api/recordingsScope.test.ts.
// - role only, no department: dnc (one global list), prompts.
// - ivrMenus by the menu's department: the describe 'ivrMenus by the menu's department' below.
// - subscriptions queueState and campaignProgress (the department the queue or campaign was created in) and
//   the departmentId / teamId narrowing of wallboard and agentStates: the last describe below.
// - subscriptions agentStates, myCalls and events: the last test below; wallboard and importProgress in
//   test/api/subscriptions.test.ts and the import tests.

const N = 5;
const ROLES = ['agent-east', 'sup-west', 'auditor', 'admin'] as const;
type Role = (typeof ROLES)[number];
/** Whose a row is: a department's, or the organisation's (no department: admins, auditors). */
type Side = 'east' | 'west' | 'org';
const SEES: Record<Role, Side[]> = {
  'agent-east': ['east'],
  'sup-west': ['west'],
  auditor: ['east', 'west', 'org'],
  admin: ['east', 'west', 'org'],
};
const AGENT = { east: 'agent-east', west: 'agent-west' } as const;
const phone = (side: Side, i: number) => `+86${side === 'east' ? '13800138' : '13900139'}${String(300 + i)}`;
const callId = (side: Side, i: number) => `sc-${side}-${i}`;

interface Resource {
  field: string;
  args?: string;
  select: string;
  id: (node: any) => string;
  rows: (side: Side) => string[];
  /** Roles refused the field outright (FORBIDDEN), rather than given an empty scope. */
  forbidden?: Role[];
  /** What each role gets, where it is not the rows of the sides it sees. */
  expected?: Record<Role, string[]>;
}

const range = (f: (i: number) => string) => Array.from({ length: N }, (_, i) => f(i + 1));
const perSide = (f: (side: 'east' | 'west', i: number) => string) => (side: Side) =>
  side === 'org' ? [] : range((i) => f(side, i));
/** Connections: walked two rows at a time. */
const RESOURCES: Resource[] = [
  { field: 'calls', select: 'id', id: (n) => n.id, rows: perSide((s, i) => callId(s, i)) },
  { field: 'recordings', select: 'id', id: (n) => n.id, rows: perSide((s, i) => `rec-${callId(s, i)}`) },
  { field: 'orders', select: 'customerPhone', id: (n) => n.customerPhone, rows: perSide(phone) },
  { field: 'leads', select: 'phone', id: (n) => n.phone, rows: perSide(phone) },
  { field: 'callbacks', select: 'lead { phone }', id: (n) => n.lead.phone, rows: perSide(phone) },
  { field: 'campaigns', select: 'id', id: (n) => n.id, rows: perSide((s, i) => `sc-camp-${s}-${i}`) },
  {
    field: 'users',
    select: 'id',
    id: (n) => n.id,
    // east-sh is under east: its people are east's.
    rows: (s) =>
      ({
        east: ['sup-east', 'tl-east', 'qa-east', 'agent-east', 'agent-east-2', 'agent-sh'],
        west: ['sup-west', 'agent-west'],
        org: ['admin', 'auditor'],
      })[s],
    forbidden: ['agent-east'],
  },
];
const KEPT_ORG = '+8613700137301';
/** Plain lists (no paging). */
const START = Date.now();
const FROM = new Date(START - 86_400_000).toISOString();
const TO = new Date(START + 86_400_000).toISOString();
const LISTS: Resource[] = [
  {
    field: 'agentStates',
    select: 'agent { id }',
    id: (n) => n.agent.id,
    rows: () => [],
    // Everyone on the floor (agents and team leaders); an agent sees only themselves.
    expected: {
      'agent-east': ['agent-east'],
      'sup-west': ['agent-west'],
      auditor: ['agent-east', 'agent-east-2', 'agent-sh', 'agent-west', 'tl-east'],
      admin: ['agent-east', 'agent-east-2', 'agent-sh', 'agent-west', 'tl-east'],
    },
  },
  {
    field: 'agentRanking',
    args: `from: "${FROM}", to: "${TO}"`,
    select: 'agent { id }',
    id: (n) => n.agent.id,
    rows: (s) => (s === 'org' ? [] : [AGENT[s]]),
    forbidden: ['agent-east'],
  },
  // Kept callbacks by their queue's department; one kept for a queue no one created is the organisation's.
  {
    field: 'keptCallbacks',
    select: 'phone',
    id: (n) => n.phone,
    rows: (s) => (s === 'org' ? [KEPT_ORG] : range((i) => phone(s, i))),
  },
  // An agent's scope is their own department; a supervisor's includes the departments under theirs.
  {
    field: 'departments',
    select: 'id',
    id: (n) => n.id,
    rows: (s) => ({ east: ['east'], west: ['west'], org: ['east-sh'] })[s],
  },
];

let h: Harness;

beforeAll(async () => {
  h = await startServer(({ pool, store }) => ({ readModels: projectionReadModels(pool, store) }), 'api_scoping');
  const token = (u: string) => h.token(u);
  const must = async (query: string, variables: Record<string, unknown>, user: string) => {
    const r = await h.gql(query, variables, await token(user));
    if (r.errors) throw new Error(`${user}: ${query}: ${JSON.stringify(r.errors)}`);
  };
  for (let i = 1; i <= N; i++) {
    for (const side of ['east', 'west'] as const) {
      const p = phone(side, i);
      const agent = AGENT[side];
      const meta = { now: new Date().toISOString(), actorRole: 'system' };
      await handleCommand(h.store, leadDecider, p, {
        type: 'ImportLead',
        data: { phone: p, source: 'file', departmentId: side },
        meta,
      } as LeadCommand);
      if (i === 1)
        await must(`mutation { agentLogin(extension: "${side === 'east' ? 1001 : 2001}") { position } }`, {}, agent);
      await must('mutation($l: ID!) { claimLead(leadId: $l) { position } }', { l: p }, agent);
      // Interleaved: east i, west i, east i+1, ... (newest first puts west 5 ahead of east 5).
      const at = new Date(START - 3_600_000 + (2 * i + (side === 'west' ? 1 : 0)) * 60_000).toISOString();
      const id = callId(side, i);
      await h.store.append(`call-${id}`, [
        {
          type: 'CallDialAttempted',
          data: {
            callId: id,
            phone: p,
            agentId: agent,
            direction: 'outbound',
            attempt: 1,
            at,
            compliance: { allowed: true, reasons: [], inputs: {} },
          },
        },
        { type: 'CallAnswered', data: { callId: id, answeredBy: 'human', at } },
        { type: 'CallBridged', data: { callId: id, agentId: agent, at } },
        { type: 'CallRecordingStarted', data: { callId: id, recordingId: `rec-${id}`, file: `${id}.wav`, at } },
        { type: 'CallEnded', data: { callId: id, cause: 'NORMAL_CLEARING', hangupBy: 'agent', at } },
        {
          type: 'CallRecordingStopped',
          data: {
            callId: id,
            recordingId: `rec-${id}`,
            file: `${id}.wav`,
            sha256: 'ab'.repeat(32),
            durationMs: 1000,
            at,
          },
        },
      ]);
      await must(
        'mutation($l: ID!, $c: ID!) { placeOrder(leadId: $l, callId: $c, lines: [{ sku: "tea-1", name: "龙井", quantity: 1, unitPrice: 100 }]) { position } }',
        { l: p, c: id },
        agent,
      );
      // Private callbacks for the first three leads, callbacks for anyone of the campaign for the rest.
      const due = new Date(START + 3_600_000 + (2 * i + (side === 'west' ? 1 : 0)) * 60_000).toISOString();
      await must(
        `mutation($l: ID!, $d: DateTime!) { scheduleCallback(leadId: $l, dueAt: $d, scope: ${i <= 3 ? 'AGENT' : 'ANYONE'}) { position } }`,
        { l: p, d: due },
        agent,
      );
      await must(
        `mutation { createCampaign(id: "sc-camp-${side}-${i}", input: { name: "活动 ${side} ${i}", dialMode: PREVIEW, departmentId: "${side}" }) { position } }`,
        {},
        `sup-${side}`,
      );
    }
  }
  // Kept callbacks: five per department's queue, one for a queue the log does not name.
  const at = new Date().toISOString();
  for (const side of ['east', 'west'] as const) {
    await h.store.append(`queue-kq-${side}`, [{ type: 'QueueCreated', data: { queueId: `kq-${side}`, name: side, departmentId: side, config: {}, at } }]);
    for (let i = 1; i <= N; i++)
      await h.store.append(`call-kc-${side}-${i}`, [{ type: 'CallbackQueued', data: { callId: `kc-${side}-${i}`, phone: phone(side, i), queueId: `kq-${side}`, at } }]);
  }
  await h.store.append('call-kc-org', [{ type: 'CallbackQueued', data: { callId: 'kc-org', phone: KEPT_ORG, queueId: 'kq-nowhere', at } }]);
  await rebuild('all', { pool: h.pool, store: h.store });
  // The API's own tables (recordings, call agents) follow the log on their own.
  const recordings = async () =>
    (await h.gql('{ recordings(first: 100) { nodes { id } } }', {}, await token('admin'))).data?.recordings.nodes
      .length;
  for (let i = 0; i < 100 && (await recordings()) !== 2 * N; i++) await new Promise((r) => setTimeout(r, 100));
}, 120_000);
afterAll(() => h?.close());

/** The error code a refused query answers with. */
async function refusal(user: Role, query: string): Promise<string | undefined> {
  const res = await h.gql(query, {}, await h.token(user));
  expect(res.data?.[Object.keys(res.data ?? {})[0]] ?? null).toBeNull();
  return res.errors?.[0]?.extensions?.code;
}

/** Every row a user gets by walking the connection two at a time, checking each page is full while more follow. */
async function walk(user: Role, r: Resource): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 4 * N; page++) {
    const q = `query($after: String) { ${r.field}(${r.args ? `${r.args}, ` : ''}first: 2, after: $after) { nodes { ${r.select} } pageInfo { hasNextPage endCursor } } }`;
    const res: { data?: any; errors?: unknown[] } = await h.gql(q, { after }, await h.token(user));
    expect(res.errors, `${user} ${r.field}`).toBeUndefined();
    const { nodes, pageInfo }: { nodes: any[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } =
      res.data[r.field];
    if (pageInfo.hasNextPage)
      expect(nodes.length, `${user} ${r.field}: page ${page + 1} is short while more follow`).toBe(2);
    seen.push(...nodes.map(r.id));
    if (!pageInfo.hasNextPage) return seen;
    after = pageInfo.endCursor;
  }
  throw new Error(`${user} ${r.field}: the pages never end`);
}

/** The payloads of one subscription until `until` holds; a refusal rejects with its error code. */
const feed = async (user: string, query: string, until: (item: any) => boolean): Promise<any[]> => {
  const client = createClient({
    url: `${h.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { token: await h.token(user) },
    retryAttempts: 0,
    lazy: true,
  });
  try {
    return await new Promise((resolve, reject) => {
      const got: any[] = [];
      const timer = setTimeout(
        () => reject(new Error(`${user}: no marker in ${JSON.stringify(got.slice(-3))}`)),
        10_000,
      );
      const stop = client.subscribe<any>(
        { query },
        {
          next: (msg) => {
            if (msg.errors)
              return reject(Object.assign(new Error(msg.errors[0].message), { code: msg.errors[0].extensions?.code }));
            const item = Object.values(msg.data!)[0];
            got.push(item);
            if (until(item)) {
              clearTimeout(timer);
              stop();
              resolve(got);
            }
          },
          // A refused subscription errors with the GraphQL errors themselves.
          error: (e) =>
            reject(Array.isArray(e) ? Object.assign(new Error(e[0].message), { code: e[0].extensions?.code }) : e),
          complete: () => {},
        },
      );
    });
  } finally {
    await client.dispose();
  }
};

describe('department and role scoping of the query fields', () => {
  for (const r of RESOURCES)
    for (const user of ROLES)
      it(`${r.field} for ${user}: ${r.forbidden?.includes(user) ? 'refused' : `only ${SEES[user].join(', ')} rows, full pages`}`, async () => {
        if (r.forbidden?.includes(user))
          return expect(await refusal(user, `{ ${r.field}(first: 2) { nodes { ${r.select} } } }`)).toBe('FORBIDDEN');
        const rows = await walk(user, r);
        expect(new Set(rows).size, 'a row came twice').toBe(rows.length);
        expect(rows.sort()).toEqual(SEES[user].flatMap(r.rows).sort());
      });

  for (const r of LISTS)
    for (const user of ROLES)
      it(`${r.field} for ${user}: ${r.forbidden?.includes(user) ? 'refused' : `only ${SEES[user].join(', ')} rows`}`, async () => {
        const query = `{ ${r.field}${r.args ? `(${r.args})` : ''} { ${r.select} } }`;
        if (r.forbidden?.includes(user)) return expect(await refusal(user, query)).toBe('FORBIDDEN');
        const res = await h.gql(query, {}, await h.token(user));
        expect(res.errors, `${user} ${r.field}`).toBeUndefined();
        expect(res.data[r.field].map(r.id).sort()).toEqual((r.expected?.[user] ?? SEES[user].flatMap(r.rows)).sort());
      });

  it('answers single-row fields only inside the scope', async () => {
    const one = async (user: Role, query: string) => {
      const r = await h.gql(query, {}, await h.token(user));
      expect(r.errors, `${user} ${query}`).toBeUndefined();
      return Object.values(r.data)[0];
    };
    const cases: [string, Side][] = [
      [`{ call(id: "${callId('west', 1)}") { id } }`, 'west'],
      [`{ lead(id: "${phone('west', 1)}") { phone } }`, 'west'],
      [`{ customer(phone: "${phone('west', 1)}") { phone } }`, 'west'],
      [`{ campaign(id: "sc-camp-west-1") { id } }`, 'west'],
      [`{ call(id: "${callId('east', 1)}") { id } }`, 'east'],
      [`{ lead(id: "${phone('east', 1)}") { phone } }`, 'east'],
    ];
    for (const [query, side] of cases)
      for (const user of ROLES) {
        const got = await one(user, query);
        if (SEES[user].includes(side)) expect(got, `${user} ${query}`).not.toBeNull();
        else expect(got, `${user} ${query}`).toBeNull();
      }
  });

  // Live feeds replay from afterPosition 0 (the whole seeded log), in log order: once a marker appended last
  // has arrived, every earlier event the caller may see has arrived too.
  it('streams agent states and calls only inside the scope, over graphql-ws', async () => {
    const marks: Record<'east' | 'west', number> = { east: 0, west: 0 };
    for (const side of ['east', 'west'] as const) {
      const agentId = AGENT[side];
      marks[side] = (
        await h.store.append(`agent-${agentId}`, [
          { type: 'AgentNotReady', data: { agentId, reasonCode: 'scoping-mark', at: new Date().toISOString() } },
        ])
      ).position;
    }
    const lastMark: Record<Role, number> = {
      'agent-east': marks.east,
      'sup-west': marks.west,
      auditor: marks.west,
      admin: marks.west,
    };
    for (const user of ROLES) {
      const states = await feed(
        user,
        'subscription { agentStates(afterPosition: 0) { position agentId } }',
        (s) => s.position >= lastMark[user],
      );
      const expected = SEES[user].flatMap((side) => (side === 'org' ? [] : [AGENT[side]]));
      expect([...new Set(states.map((s) => s.agentId))].sort(), user).toEqual(expected.sort());
    }
    // An agent's own calls, and none of a colleague's in another department.
    const mine = await feed(
      'agent-east',
      'subscription { myCalls(afterPosition: 0) { callId eventType } }',
      (c) => c.callId === callId('east', N) && c.eventType === 'CallRecordingStopped',
    );
    expect([...new Set(mine.map((c) => c.callId))].sort()).toEqual(range((i) => callId('east', i)).sort());
    // The raw log is for admins and auditors only.
    for (const user of ['agent-east', 'sup-west'] as const)
      await expect(
        feed(user, 'subscription { events(afterPosition: 0) { position } }', () => true),
        user,
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    for (const user of ['auditor', 'admin'] as const)
      expect(
        (await feed(user, 'subscription { events(afterPosition: 0) { position } }', () => true)).length,
      ).toBeGreaterThan(0);
  });
});

// Live feeds of one queue, campaign, department or team: a queue and a campaign belong to the department they
// were created in; narrowing a board or the agent feed stays inside the caller's scope (outside: FORBIDDEN).
describe('live feeds of one queue, campaign, department or team', () => {
  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'none',
      (e) => e.code,
    );

  it('queueState: supervisors of the queue department, not agents or other departments', async () => {
    for (const [id, departmentId] of [
      ['sq-east', 'east'],
      ['sq-west', 'west'],
    ])
      await h.store.append(`queue-${id}`, [
        {
          type: 'QueueCreated',
          data: { queueId: id, name: id, departmentId, config: {}, at: new Date().toISOString() },
        },
      ]);
    const queue = (user: string, id: string) =>
      feed(
        user,
        `subscription { queueState(queueId: "${id}", afterPosition: 0) { queueId eventType } }`,
        (x) => x.eventType === 'QueueCreated',
      );
    expect(await code(queue('agent-east', 'sq-east'))).toBe('FORBIDDEN');
    expect(await code(queue('sup-west', 'sq-east'))).toBe('FORBIDDEN');
    expect(await code(queue('tl-east', 'sq-west'))).toBe('FORBIDDEN');
    expect(await code(queue('admin', 'sq-nowhere'))).toBe('NOT_FOUND');
    for (const [user, id] of [
      ['sup-west', 'sq-west'],
      ['sup-east', 'sq-east'],
      ['tl-east', 'sq-east'],
      ['auditor', 'sq-west'],
    ])
      expect((await queue(user, id)).at(-1), `${user} ${id}`).toEqual({ queueId: id, eventType: 'QueueCreated' });
  });

  it('campaignProgress: only a campaign of the caller departments', async () => {
    const progress = (user: string, id: string) =>
      feed(
        user,
        `subscription { campaignProgress(campaignId: "${id}", afterPosition: 0) { campaignId eventType } }`,
        (x) => x.eventType === 'CampaignCreated',
      );
    expect(await code(progress('sup-west', 'sc-camp-east-1'))).toBe('FORBIDDEN');
    expect(await code(progress('tl-east', 'sc-camp-west-1'))).toBe('FORBIDDEN');
    expect(await code(progress('admin', 'sc-camp-nowhere'))).toBe('NOT_FOUND');
    expect((await progress('sup-west', 'sc-camp-west-1')).at(-1)).toEqual({
      campaignId: 'sc-camp-west-1',
      eventType: 'CampaignCreated',
    });
    expect((await progress('sup-east', 'sc-camp-east-2')).at(-1)).toEqual({
      campaignId: 'sc-camp-east-2',
      eventType: 'CampaignCreated',
    });
  });

  it('wallboard(departmentId) and agentStates(departmentId, teamId) narrow within the scope, and refuse outside it', async () => {
    const from = await h.store.headPosition();
    const mark: Record<string, number> = {};
    for (const agentId of ['agent-east', 'agent-west'])
      mark[agentId] = (
        await h.store.append(`agent-${agentId}`, [
          { type: 'AgentNotReady', data: { agentId, reasonCode: 'narrow-mark', at: new Date().toISOString() } },
        ])
      ).position;
    const last = mark['agent-west'];
    const board = (user: string, dep: string) =>
      feed(
        user,
        `subscription { wallboard(afterPosition: ${from}, departmentId: "${dep}") { position agentsLoggedIn agentsPaused } }`,
        (x) => x.position >= last,
      ).then((xs) => xs.at(-1));
    // Each narrowed feed ends with its own side's mark.
    const states = (user: string, args: string, until = last) =>
      feed(
        user,
        `subscription { agentStates(afterPosition: 0, ${args}) { position agentId } }`,
        (x) => x.position >= until,
      ).then((xs) => [...new Set(xs.map((x) => x.agentId))].sort());
    // The admin's whole floor has both paused; narrowed to a department, only its people.
    expect(await board('admin', 'west')).toMatchObject({ agentsLoggedIn: 1, agentsPaused: 1 });
    expect(await board('admin', 'east')).toMatchObject({ agentsLoggedIn: 1, agentsPaused: 1 });
    expect(await board('sup-east', 'east-sh')).toMatchObject({ agentsLoggedIn: 0, agentsPaused: 0 });
    expect(await code(board('sup-west', 'east'))).toBe('FORBIDDEN');
    expect(await code(board('sup-east', 'west'))).toBe('FORBIDDEN');
    // The board query narrows the same way.
    const now = async (user: string, dep: string) => h.gql(`{ wallboard(departmentId: "${dep}") { agentsLoggedIn agentsPaused } }`, {}, await h.token(user));
    expect((await now('admin', 'west')).data.wallboard).toMatchObject({ agentsLoggedIn: 1, agentsPaused: 1 });
    expect((await now('sup-east', 'east-sh')).data.wallboard).toMatchObject({ agentsLoggedIn: 0, agentsPaused: 0 });
    expect((await now('sup-west', 'east')).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect(await states('admin', 'departmentId: "east"', mark['agent-east'])).toEqual(['agent-east']);
    expect(await states('sup-west', 'teamId: "west-a"')).toEqual(['agent-west']);
    expect(await code(states('sup-west', 'departmentId: "east"'))).toBe('FORBIDDEN');
    expect(await code(states('sup-west', 'teamId: "east-a"'))).toBe('FORBIDDEN');
    expect(await code(states('tl-east', 'teamId: "sh-a"'))).toBe('FORBIDDEN');
    expect(await code(states('admin', 'teamId: "no-such-team"'))).toBe('NOT_FOUND');
  });
  it('wallboard: waiting, abandoned and agentless dialer calls count on the board of their campaign or queue department', async () => {
    const Q = '{ wallboard { callsToday callsWaiting abandonedToday } }';
    const boards = async () => {
      const out: Record<string, any> = {};
      for (const user of ['sup-east', 'sup-west', 'admin']) {
        const r = await h.gql(Q, {}, await h.token(user));
        expect(r.errors, user).toBeUndefined();
        out[user] = r.data.wallboard;
      }
      return out;
    };
    const before = await boards();
    const at = new Date().toISOString();
    const dial = (id: string, campaignId: string) => ({
      type: 'CallDialAttempted',
      data: {
        callId: id,
        phone: '+8613700137000',
        campaignId,
        direction: 'outbound',
        attempt: 1,
        at,
        compliance: { allowed: true, reasons: [], inputs: {} },
      },
    });
    await h.store.append('queue-sq2-west', [
      { type: 'QueueCreated', data: { queueId: 'sq2-west', name: 'sq2-west', departmentId: 'west', config: {}, at } },
    ]);
    // Predictive dials (no agent yet): west's is abandoned, east's waits for an agent; an inbound caller waits in west's queue.
    await h.store.append('call-sc-pd-west', [
      dial('sc-pd-west', 'sc-camp-west-1'),
      { type: 'CallAnswered', data: { callId: 'sc-pd-west', answeredBy: 'human', at } },
      { type: 'CallAbandoned', data: { callId: 'sc-pd-west', waitedMs: 2000, reason: 'no agent', at } },
      { type: 'CallEnded', data: { callId: 'sc-pd-west', cause: 'NORMAL_CLEARING', at } },
    ]);
    await h.store.append('call-sc-pd-east', [
      dial('sc-pd-east', 'sc-camp-east-1'),
      { type: 'CallAnswered', data: { callId: 'sc-pd-east', answeredBy: 'human', at } },
      { type: 'CallQueued', data: { callId: 'sc-pd-east', connectRuleMs: 2000, at } },
    ]);
    await h.store.append('call-sc-in-west', [
      {
        type: 'CallReceived',
        data: { callId: 'sc-in-west', phone: '+8613700137001', did: '4001', direction: 'inbound', at },
      },
      { type: 'CallQueued', data: { callId: 'sc-in-west', queueId: 'sq2-west', connectRuleMs: 0, at } },
    ]);
    const after = await boards();
    const moved = (user: string) => ({
      callsToday: after[user].callsToday - before[user].callsToday,
      callsWaiting: after[user].callsWaiting - before[user].callsWaiting,
      abandonedToday: after[user].abandonedToday - before[user].abandonedToday,
    });
    expect(moved('sup-west')).toEqual({ callsToday: 1, callsWaiting: 1, abandonedToday: 1 });
    expect(moved('sup-east')).toEqual({ callsToday: 1, callsWaiting: 1, abandonedToday: 0 });
    expect(moved('admin')).toEqual({ callsToday: 2, callsWaiting: 2, abandonedToday: 1 });
    // Narrowed to east, the admin's live board shows east's waiting caller only.
    const from = await h.store.headPosition();
    const live = feed(
      'admin',
      `subscription { wallboard(afterPosition: ${from}, departmentId: "east") { callsWaiting abandonedToday } }`,
      () => true,
    );
    await h.store.append('agent-agent-east', [{ type: 'AgentReady', data: { agentId: 'agent-east', at } }]);
    expect((await live).at(-1)).toEqual({ callsWaiting: 1, abandonedToday: 0 });
  });
});

describe('ivrMenus by the menu\'s department', () => {
  it('a supervisor lists their department\'s menus, not another\'s; the admin and auditor all', async () => {
    const SET = 'mutation($id: ID!, $input: IvrMenuInput!) { setIvrMenu(id: $id, input: $input) { events { type } } }';
    const input = (name: string) => ({ name, options: { '1': { queue: 'sales' }, '9': { hangup: true } } });
    expect((await h.gql(SET, { id: 'sc-menu-east', input: input('华东热线') }, await h.token('sup-east'))).errors).toBeUndefined();
    expect((await h.gql(SET, { id: 'sc-menu-west', input: input('西部热线') }, await h.token('sup-west'))).errors).toBeUndefined();
    const ids = async (user: string) => {
      const r = await h.gql('{ ivrMenus { id departmentId } }', {}, await h.token(user));
      expect(r.errors).toBeUndefined();
      return (r.data.ivrMenus as { id: string }[]).map((m) => m.id).filter((id) => id.startsWith('sc-menu-')).sort();
    };
    expect(await ids('sup-east')).toEqual(['sc-menu-east']);
    expect(await ids('sup-west')).toEqual(['sc-menu-west']);
    expect(await ids('admin')).toEqual(['sc-menu-east', 'sc-menu-west']);
    expect(await ids('auditor')).toEqual(['sc-menu-east', 'sc-menu-west']);
  });
});
