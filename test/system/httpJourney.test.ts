import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WALLBOARD_EVENTS } from '../../src/api/graphql/wallboard.ts';
import type { RecordedEvent } from '../../src/eventstore/types.ts';
import { DEMO_CAMPAIGN, DEMO_PASSWORD } from '../../src/floor/seedDemo.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

// Issue #6's end-to-end journey, against the system as `npm start` runs it (event store and projections on a
// real PostgreSQL, the FreeSWITCH simulator, the dialers, bot agents), only over HTTP and graphql-ws: an admin
// imports a file into the running campaign, the campaign dials those leads, a supervisor watches the
// wallboard move, survives a killed socket without losing or repeating an event, and recordings are served to
// those allowed and to nobody else.

const PHONES = Array.from({ length: 24 }, (_, i) => `139${String(20261100 + i).padStart(8, '0')}`);
const e164 = (p: string) => `+86${p}`;
const WALLBOARD =
  'subscription($a: Position) { wallboard(afterPosition: $a) { position agentsOnCall callsToday connectsToday cause { position type } } }';

interface Board {
  position: number;
  agentsOnCall: number;
  callsToday: number;
  connectsToday: number;
  cause: { position: number; type: string } | null;
}

/** A graphql-ws client whose sockets the test can kill without a close handshake (a dropped connection). */
function wsClient(url: string, token: string): { client: Client; kill(): void } {
  const sockets: WebSocket[] = [];
  class Tracked extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      sockets.push(this);
    }
  }
  const client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: Tracked,
    connectionParams: { token },
    retryAttempts: 0,
    lazy: true,
  });
  return { client, kill: () => sockets.forEach((s) => s.terminate()) };
}

/** Streams one subscription into `into`; the promise settles when the stream ends or errors (a killed socket). */
function stream<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  into: T[],
): { ended: Promise<unknown>; stop(): void } {
  let stop = () => {};
  const ended = new Promise((resolve) => {
    stop = client.subscribe<Record<string, T>>(
      { query, variables },
      {
        next: (msg) => {
          if (msg.errors) resolve(msg.errors);
          else into.push(Object.values(msg.data!)[0]);
        },
        error: resolve,
        complete: () => resolve(undefined),
      },
    );
  });
  return { ended, stop };
}

describe('the whole system over HTTP and WebSocket (issue #6 journey)', () => {
  let sys: TestSystem;
  let admin: string;
  let supervisor: string;
  const cleanup: (() => unknown)[] = [];
  beforeAll(async () => {
    // No seeded leads: every dial of the demo campaign is for a number of the imported file.
    sys = await startTestSystem('http_journey', { simulatorTimeScale: 30, bots: 4, leads: 0 });
    admin = await sys.login('admin');
    supervisor = await sys.login('supervisor');
  }, 60_000);
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
    await sys?.stop();
  });

  const logOf = async (types: string[], after: number): Promise<RecordedEvent[]> =>
    sys.store.readAll({ after, maxCount: 100_000, filter: { eventTypes: types } });

  it('imports a file, dials it, moves the wallboard, resumes after a dropped socket and guards recordings', async () => {
    // The supervisor's wallboard is open before anything happens.
    const start = await sys.store.headPosition();
    const first = wsClient(sys.url, supervisor);
    cleanup.push(() => first.client.dispose());
    const boards: Board[] = [];
    const live = stream<Board>(first.client, WALLBOARD, { a: start }, boards);

    // 1. The admin uploads a CSV into the running campaign; one row is not a phone number.
    const csv = ['姓名,电话', ...PHONES.map((p, i) => `客户${i + 1},${p}`), '坏行,12345'].join('\n');
    const upload = await fetch(`${sys.url}/imports?filename=journey.csv&campaignId=${DEMO_CAMPAIGN}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' },
      body: csv,
    });
    expect(upload.status).toBe(202);
    const { importId } = (await upload.json()) as { importId: string };
    const finished = async () =>
      (await logOf(['ImportFinished'], start)).find(
        (e) => e.data.importId === importId || e.streamId.endsWith(importId),
      );
    await expect.poll(finished, { timeout: 20_000, interval: 200 }).toBeDefined();
    expect((await finished())!.data).toMatchObject({ imported: PHONES.length });

    // The leads read model catches up with the log shortly after: the campaign's leads, dialed or not yet.
    const leadPhones = async () => {
      const r = await sys.gql(
        `{ leads(filter: { campaignId: "${DEMO_CAMPAIGN}" }, first: 100) { nodes { phone name } } }`,
        undefined,
        admin,
      );
      expect(r.errors).toBeUndefined();
      return r.data.leads.nodes.map((l: { phone: string }) => l.phone).sort();
    };
    await expect.poll(leadPhones, { timeout: 10_000, interval: 200 }).toEqual(PHONES.map(e164).sort());

    // 2. The campaign dials them: calls of the campaign appear over GraphQL, each with its compliance receipt.
    const calls = async () =>
      (
        await sys.gql(
          `{ calls(filter: { campaignId: "${DEMO_CAMPAIGN}" }, first: 100) { nodes { id phone outcome } } }`,
          undefined,
          supervisor,
        )
      ).data?.calls.nodes ?? [];
    await expect.poll(async () => (await calls()).length, { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(6);
    const dialed: { id: string; phone: string }[] = await calls();
    for (const c of dialed) expect(PHONES.map(e164)).toContain(c.phone);
    const receipts = await sys.gql(
      `{ callReceipts(callId: "${dialed[0].id}") { compliance { check passed } } }`,
      undefined,
      supervisor,
    );
    expect(receipts.errors).toBeUndefined();
    expect(receipts.data.callReceipts.compliance.length).toBeGreaterThan(0);
    expect(receipts.data.callReceipts.compliance.every((r: { passed: boolean }) => r.passed)).toBe(true);

    // 3. The wallboard moved while that happened: agents seen on calls, connected calls counted, and the
    // predictive dials (no agent yet) on the board of their campaign's department, the supervisor's.
    await expect
      .poll(
        () =>
          boards.some((b) => b.agentsOnCall > 0) &&
          boards.at(-1)!.connectsToday >= 3 &&
          boards.at(-1)!.callsToday > boards[0].callsToday,
        {
          timeout: 30_000,
          interval: 200,
        },
      )
      .toBe(true);
    expect(boards[0].connectsToday).toBeLessThan(boards.at(-1)!.connectsToday);

    // 4. The socket dies mid-stream; the floor carries on while nobody listens.
    first.kill();
    await live.ended;
    const last = boards.at(-1)!.position;
    await expect
      .poll(async () => (await logOf(WALLBOARD_EVENTS, last)).length, { timeout: 30_000, interval: 200 })
      .toBeGreaterThan(5);
    const second = wsClient(sys.url, supervisor);
    cleanup.push(() => second.client.dispose());
    const resumed: Board[] = [];
    const again = stream<Board>(second.client, WALLBOARD, { a: last }, resumed);
    cleanup.push(() => again.stop());
    const target = (await logOf(WALLBOARD_EVENTS, last)).at(-1)!.position;
    await expect
      .poll(() => resumed.at(-1)?.position ?? 0, { timeout: 20_000, interval: 100 })
      .toBeGreaterThanOrEqual(target);
    // Every wallboard event of the log after `start`, once each, in order, across the two sockets.
    const seen = [...boards, ...resumed].map((b) => b.cause!.position).filter((p) => p <= target);
    const expected = (await logOf(WALLBOARD_EVENTS, start)).map((e) => e.position).filter((p) => p <= target);
    expect(seen).toEqual(expected);

    // 5. A call on the floor is recorded (on demand, as an agent would); the file is served to the permitted.
    // The campaign records its calls (the default policy): take the first call recorded from here on.
    let recordedCall: string | undefined;
    const bridgedFrom = await sys.store.headPosition();
    await expect
      .poll(
        async () =>
          (recordedCall = (await logOf(['CallRecordingStarted'], bridgedFrom))[0]?.data.callId as string | undefined),
        { timeout: 30_000, interval: 100 },
      )
      .toBeDefined();
    const recordings = async () =>
      (
        await sys.gql(
          `{ recordings(filter: { campaignId: "${DEMO_CAMPAIGN}" }) { nodes { id url sha256 call { id } } } }`,
          undefined,
          supervisor,
        )
      ).data?.recordings.nodes.filter((r: { call: { id: string } }) => r.call.id === recordedCall) ?? [];
    await expect.poll(async () => (await recordings()).length, { timeout: 30_000, interval: 250 }).toBe(1);
    const [rec] = await recordings();

    const get = (token?: string, range?: string) =>
      fetch(`${sys.url}${rec.url}${rec.url.includes('?') ? '&' : '?'}reason=qa-review`, {
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(range ? { range } : {}) },
      });
    const part = await get(supervisor, 'bytes=0-43');
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toMatch(/^bytes 0-43\/\d+$/);
    const bytes = Buffer.from(await part.arrayBuffer());
    expect(bytes.length).toBe(44);
    expect(bytes.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(part.headers.get('x-recording-sha256')).toBe(rec.sha256);

    // An agent of another department, and nobody at all, are refused; neither learns the recording exists.
    const org = [
      'createDepartment(id: "dept-journey-other", name: "其他部门 Other")',
      'createTeam(departmentId: "dept-journey-other", id: "team-journey-other", name: "其他组 Other team")',
    ];
    for (const m of org)
      expect((await sys.gql(`mutation { ${m} { position } }`, undefined, admin)).errors).toBeUndefined();
    const user = await sys.gql(
      'mutation($i: CreateUserInput!) { createUser(input: $i) { position } }',
      {
        i: {
          username: 'agent-other',
          displayName: '外部门坐席 Other agent',
          password: DEMO_PASSWORD,
          role: 'AGENT',
          departmentId: 'dept-journey-other',
          teamId: 'team-journey-other',
        },
      },
      admin,
    );
    expect(user.errors).toBeUndefined();
    const outsider = await get(await sys.login('agent-other'), 'bytes=0-43');
    expect(outsider.status).toBe(404);
    expect(await outsider.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect((await get(undefined, 'bytes=0-43')).status).toBe(401);

    // Each served access is an event saying who, which range and why.
    const accesses = (await sys.store.readStream(`recording-${rec.id}`)).filter((e) => e.type === 'RecordingAccessed');
    expect(accesses.map((e) => e.data)).toEqual([
      expect.objectContaining({
        recordingId: rec.id,
        callId: recordedCall,
        role: 'supervisor',
        range: 'bytes=0-43',
        reason: 'qa-review',
      }),
    ]);
  }, 90_000);
});
