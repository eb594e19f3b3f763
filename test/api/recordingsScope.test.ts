import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionReadModels } from '../../src/api/projectionReadModels.ts';
import { rebuild } from '../../src/projections/index.ts';
import { startServer, type Harness } from './harness.ts';

// The recordings list honours every filter it is given, in the query (pages stay full), inside the caller's
// scope; who listened to a recording is shown only to those who may hear it.
let h: Harness;

interface Seed {
  id: string;
  agentId: string;
  phone: string;
  campaignId?: string;
  direction: 'outbound' | 'inbound';
  queueId?: string;
  talkMs: number;
}
const SEEDS: Seed[] = [
  {
    id: 'rf-1',
    agentId: 'agent-east',
    phone: '+8613800138101',
    campaignId: 'camp-a',
    direction: 'outbound',
    talkMs: 30_000,
  },
  {
    id: 'rf-2',
    agentId: 'agent-east',
    phone: '+8613800138102',
    campaignId: 'camp-b',
    direction: 'outbound',
    talkMs: 90_000,
  },
  {
    id: 'rf-3',
    agentId: 'agent-sh',
    phone: '+8613800138101',
    campaignId: 'camp-a',
    direction: 'outbound',
    talkMs: 120_000,
  },
  {
    id: 'rf-4',
    agentId: 'agent-west',
    phone: '+8613900139104',
    campaignId: 'camp-a',
    direction: 'outbound',
    talkMs: 60_000,
  },
  {
    id: 'rf-5',
    agentId: 'agent-east',
    phone: '+8613800138105',
    direction: 'inbound',
    queueId: 'q-east',
    talkMs: 10_000,
  },
];

beforeAll(async () => {
  h = await startServer(({ pool, store }) => ({ readModels: projectionReadModels(pool, store) }), 'api_rec_scope');
  const base = Date.now() - 3_600_000;
  for (const [i, s] of SEEDS.entries()) {
    const at = (sec: number) => new Date(base + i * 60_000 + sec * 1000).toISOString();
    const start =
      s.direction === 'outbound'
        ? {
            type: 'CallDialAttempted',
            data: {
              callId: s.id,
              phone: s.phone,
              agentId: s.agentId,
              campaignId: s.campaignId,
              direction: 'outbound',
              attempt: 1,
              at: at(0),
              compliance: { allowed: true, reasons: [], inputs: {} },
            },
          }
        : {
            type: 'CallReceived',
            data: { callId: s.id, phone: s.phone, did: '4001', direction: 'inbound', at: at(0) },
          };
    await h.store.append(`call-${s.id}`, [
      start,
      ...(s.queueId
        ? [
            {
              type: 'CallOffered',
              data: {
                callId: s.id,
                queueId: s.queueId,
                candidates: [s.agentId],
                strategy: 'longest_idle',
                winner: s.agentId,
                at: at(1),
              },
            },
          ]
        : []),
      { type: 'CallAnswered', data: { callId: s.id, answeredBy: 'human', at: at(1) } },
      { type: 'CallBridged', data: { callId: s.id, agentId: s.agentId, at: at(2) } },
      {
        type: 'CallRecordingStarted',
        data: { callId: s.id, recordingId: `rec-${s.id}`, file: `${s.id}.wav`, at: at(2) },
      },
      {
        type: 'CallEnded',
        data: { callId: s.id, cause: 'NORMAL_CLEARING', hangupBy: 'agent', at: at(2 + s.talkMs / 1000) },
      },
      {
        type: 'CallRecordingStopped',
        data: {
          callId: s.id,
          recordingId: `rec-${s.id}`,
          file: `${s.id}.wav`,
          sha256: 'ab'.repeat(32),
          durationMs: s.talkMs,
          at: at(2 + s.talkMs / 1000),
        },
      },
    ]);
  }
  await h.store.append('recording-rec-rf-1', [
    {
      type: 'RecordingAccessed',
      data: { recordingId: 'rec-rf-1', userId: 'sup-east', reason: 'quality check', at: new Date().toISOString() },
    },
  ]);
  await rebuild('all', { pool: h.pool, store: h.store });
  // The API's own recordings table follows the log on its own.
  const count = async () =>
    (await h.gql('{ recordings(first: 100) { nodes { id } } }', {}, await h.token('admin'))).data?.recordings.nodes
      .length;
  for (let i = 0; i < 100 && (await count()) !== SEEDS.length; i++) await new Promise((r) => setTimeout(r, 100));
}, 120_000);
afterAll(() => h?.close());

const ids = async (user: string, filter: string) => {
  const r = await h.gql(`{ recordings(filter: { ${filter} }, first: 100) { nodes { id } } }`, {}, await h.token(user));
  expect(r.errors, `${user} ${filter}`).toBeUndefined();
  return r.data.recordings.nodes.map((n: { id: string }) => n.id.replace('rec-', '')).sort();
};

describe('recordings(filter)', () => {
  it('honours each filter, inside the scope', async () => {
    expect(await ids('admin', 'campaignId: "camp-a"')).toEqual(['rf-1', 'rf-3', 'rf-4']);
    expect(await ids('sup-east', 'campaignId: "camp-a"')).toEqual(['rf-1', 'rf-3']);
    expect(await ids('agent-east', 'campaignId: "camp-a"')).toEqual(['rf-1']);
    // A number as an agent types it.
    expect(await ids('admin', 'phone: "138 0013 8101"')).toEqual(['rf-1', 'rf-3']);
    expect(await ids('admin', 'direction: INBOUND')).toEqual(['rf-5']);
    expect(await ids('admin', 'queueId: "q-east"')).toEqual(['rf-5']);
    expect(await ids('admin', 'minTalkSeconds: 60')).toEqual(['rf-2', 'rf-3', 'rf-4']);
    expect(await ids('admin', 'departmentId: "east-sh"')).toEqual(['rf-3']);
    expect(await ids('admin', 'departmentId: "east"')).toEqual(['rf-1', 'rf-2', 'rf-3', 'rf-5']);
    expect(await ids('sup-west', 'departmentId: "east"')).toEqual([]);
    expect(await ids('admin', 'hasRecording: false')).toEqual([]);
    expect(await ids('admin', 'campaignId: "camp-a", agentId: "agent-east"')).toEqual(['rf-1']);
  });

  it('walks a filtered list in full pages', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const r: any = await h.gql(
        'query($a: String) { recordings(filter: { campaignId: "camp-a" }, first: 1, after: $a) { nodes { id } pageInfo { hasNextPage endCursor } } }',
        { a: after },
        await h.token('admin'),
      );
      const { nodes, pageInfo } = r.data.recordings;
      expect(nodes.length).toBe(1);
      seen.push(nodes[0].id);
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual(['rec-rf-1', 'rec-rf-3', 'rec-rf-4']);
  });

  it('refuses a filter it cannot apply rather than ignoring it', async () => {
    const r = await h.gql('{ recordings(filter: { outcome: [BUSY] }) { nodes { id } } }', {}, await h.token('admin'));
    expect(r.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('recordingAccesses', () => {
  const Q = '{ recordingAccesses(recordingId: "rec-rf-1") { user { id } reason } }';
  it('shows who listened to those who may hear the recording', async () => {
    for (const user of ['sup-east', 'qa-east', 'admin', 'auditor']) {
      const r = await h.gql(Q, {}, await h.token(user));
      expect(r.errors, user).toBeUndefined();
      expect(r.data.recordingAccesses, user).toEqual([{ user: { id: 'sup-east' }, reason: 'quality check' }]);
    }
  });
  it('answers not found to a supervisor of another department', async () => {
    const r = await h.gql(Q, {}, await h.token('sup-west'));
    expect(r.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });
});
