import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore, ReadAllOptions } from '../../src/eventstore/types.ts';
import { startServer, type Harness } from './harness.ts';

// QA and supervisors pin notes to moments of a recording while listening; whoever may hear the recording
// reads them, nobody else may write or read them; a removal keeps the note in the history.
let h: Harness;
let annotationReads = 0;

const SEEDS = [
  { id: 'an-1', agentId: 'agent-east', seconds: 120 },
  { id: 'an-10', agentId: 'agent-east', seconds: 60 }, // its stream name starts like an-1's
  { id: 'an-w', agentId: 'agent-west', seconds: 60 },
];

/** The store, counting the reads of annotation events (one per page of recordings, not one per recording). */
function counting(store: EventStore): EventStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'readAll')
        return (o?: ReadAllOptions) => {
          if (o?.filter?.eventTypes?.includes('RecordingAnnotated')) annotationReads++;
          return target.readAll(o);
        };
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

beforeAll(async () => {
  h = await startServer(({ store }) => ({ eventStore: counting(store) }), 'api_annotations');
  const base = Date.now() - 3_600_000;
  for (const [i, s] of SEEDS.entries()) {
    const at = (sec: number) => new Date(base + i * 600_000 + sec * 1000).toISOString();
    await h.store.append(`call-${s.id}`, [
      {
        type: 'CallDialAttempted',
        data: {
          callId: s.id,
          phone: '+8613800138201',
          agentId: s.agentId,
          direction: 'outbound',
          attempt: 1,
          at: at(0),
          compliance: { allowed: true, reasons: [], inputs: {} },
        },
      },
      { type: 'CallAnswered', data: { callId: s.id, answeredBy: 'human', at: at(1) } },
      { type: 'CallBridged', data: { callId: s.id, agentId: s.agentId, at: at(2) } },
      {
        type: 'CallRecordingStarted',
        data: { callId: s.id, recordingId: `rec-${s.id}`, file: `${s.id}.wav`, at: at(2) },
      },
      { type: 'CallEnded', data: { callId: s.id, cause: 'NORMAL_CLEARING', hangupBy: 'agent', at: at(2 + s.seconds) } },
      {
        type: 'CallRecordingStopped',
        data: {
          callId: s.id,
          recordingId: `rec-${s.id}`,
          file: `${s.id}.wav`,
          sha256: 'ab'.repeat(32),
          durationMs: s.seconds * 1000,
          at: at(2 + s.seconds),
        },
      },
    ]);
  }
  const count = async () =>
    (
      await h.gql('{ recordings(first: 100) { nodes { id durationSeconds } } }', {}, await h.token('admin'))
    ).data?.recordings.nodes.filter((n: any) => n.durationSeconds != null).length;
  for (let i = 0; i < 100 && (await count()) !== SEEDS.length; i++) await new Promise((r) => setTimeout(r, 100));
}, 120_000);
afterAll(() => h?.close());

const ANNOTATE =
  'mutation($r: ID!, $t: Float!, $n: String!, $c: String, $id: ID) { annotateRecording(recordingId: $r, atSeconds: $t, note: $n, category: $c, commandId: $id) { streamId repeated events { type } } }';
const REMOVE =
  'mutation($a: ID!, $why: String!) { removeAnnotation(annotationId: $a, reason: $why) { streamId events { type } } }';
const annotate = async (user: string, v: Record<string, unknown>) => h.gql(ANNOTATE, v, await h.token(user));

async function notes(user: string) {
  const r = await h.gql(
    '{ recordings(first: 5) { nodes { id annotations { id atSeconds note category authorId authorName } } } }',
    {},
    await h.token(user),
  );
  expect(r.errors, user).toBeUndefined();
  return Object.fromEntries(r.data.recordings.nodes.map((n: any) => [n.id, n.annotations]));
}

describe('annotateRecording', () => {
  it('pins notes to moments; those who may hear the recording read them by moment, with the author', async () => {
    const first = await annotate('qa-east', {
      r: 'rec-an-1',
      t: 133 - 20,
      n: '承诺了脚本外的折扣',
      c: '合规',
      id: 'qa-1',
    });
    expect(first.errors).toBeUndefined();
    expect(first.data.annotateRecording).toMatchObject({
      streamId: 'annotations-rec-an-1',
      repeated: false,
      events: [{ type: 'RecordingAnnotated' }],
    });
    // Sent again (a double click): the first result, no second note.
    expect(
      (await annotate('qa-east', { r: 'rec-an-1', t: 113, n: '承诺了脚本外的折扣', c: '合规', id: 'qa-1' })).data
        .annotateRecording.repeated,
    ).toBe(true);
    expect((await annotate('sup-east', { r: 'rec-an-1', t: 10.5, n: 'Greeting skipped' })).errors).toBeUndefined();
    expect((await annotate('tl-east', { r: 'rec-an-10', t: 30, n: '语速过快' })).errors).toBeUndefined();

    annotationReads = 0;
    for (const user of ['qa-east', 'sup-east', 'agent-east', 'admin', 'auditor']) {
      const all = await notes(user);
      expect(
        all['rec-an-1'].map((n: any) => [n.atSeconds, n.note, n.category, n.authorName]),
        user,
      ).toEqual([
        [10.5, 'Greeting skipped', null, 'sup-east'],
        [113, '承诺了脚本外的折扣', '合规', 'qa-east'],
      ]);
      expect(
        all['rec-an-10'].map((n: any) => n.note),
        user,
      ).toEqual(['语速过快']);
      if (all['rec-an-w']) expect(all['rec-an-w'], user).toEqual([]);
    }
    // One read of annotation events per list of recordings, however many recordings it shows.
    expect(annotationReads).toBe(5);
  });

  it('refuses what the domain refuses, saying why', async () => {
    const pastEnd = await annotate('qa-east', { r: 'rec-an-10', t: 61, n: 'x' });
    expect(pastEnd.errors?.[0].extensions.code).toBe('TIME_PAST_END');
    expect(pastEnd.errors?.[0].extensions.reason).toMatch(/60 s/);
    expect((await annotate('qa-east', { r: 'rec-an-10', t: 1, n: '  ' })).errors?.[0].extensions.code).toBe(
      'NOTE_INVALID',
    );
    expect((await annotate('qa-east', { r: 'rec-an-10', t: 1, n: 'x'.repeat(2001) })).errors?.[0].extensions.code).toBe(
      'NOTE_INVALID',
    );
  });

  it('refuses a caller who may not hear the recording as if it did not exist, and roles that do not annotate', async () => {
    for (const [user, code] of [
      ['sup-west', 'NOT_FOUND'],
      ['qa-east', 'NOT_FOUND'], // rec-an-w is the west department's
    ] as const) {
      const r = await annotate(user, { r: user === 'sup-west' ? 'rec-an-1' : 'rec-an-w', t: 1, n: '越权' });
      expect(r.errors?.[0].extensions.code, user).toBe(code);
    }
    expect((await annotate('qa-east', { r: 'rec-nope', t: 1, n: 'x' })).errors?.[0].extensions.code).toBe('NOT_FOUND');
    for (const user of ['agent-east', 'auditor'])
      expect((await annotate(user, { r: 'rec-an-1', t: 1, n: 'x' })).errors?.[0].extensions.code, user).toBe(
        'FORBIDDEN',
      );
    // sup-west does not see the east recordings nor, so, their notes.
    expect((await notes('sup-west'))['rec-an-1']).toBeUndefined();
    const one = async (user: string) =>
      h.gql('{ recordingAnnotations(recordingId: "rec-an-1") { note authorName } }', {}, await h.token(user));
    expect((await one('sup-west')).errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect((await one('qa-east')).data.recordingAnnotations.map((n: any) => n.note)).toEqual([
      'Greeting skipped',
      '承诺了脚本外的折扣',
    ]);
    expect((await h.store.readStream('annotations-rec-an-w')).length).toBe(0);
  });
});

describe('removeAnnotation', () => {
  it('by its author or a supervisor, with a reason; the note leaves the list and stays in the history', async () => {
    const qaNote = (await notes('admin'))['rec-an-1'].find((n: any) => n.authorId === 'qa-east');
    const remove = async (user: string, why = '与录音不符') =>
      h.gql(REMOVE, { a: qaNote.id, why }, await h.token(user));
    expect((await remove('tl-east')).errors?.[0].extensions.code).toBe('NOT_AUTHOR');
    expect((await remove('sup-west')).errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect((await remove('auditor')).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await remove('sup-east', ' ')).errors?.[0].extensions.code).toBe('REASON_REQUIRED');
    const ok = await remove('sup-east');
    expect(ok.errors).toBeUndefined();
    expect(ok.data.removeAnnotation.events).toEqual([{ type: 'RecordingAnnotationRemoved' }]);
    expect((await remove('qa-east')).errors?.[0].extensions.code).toBe('ANNOTATION_REMOVED');
    expect((await notes('qa-east'))['rec-an-1'].map((n: any) => n.note)).toEqual(['Greeting skipped']);
    const history = await h.store.readStream('annotations-rec-an-1');
    expect(history.map((e) => e.type)).toEqual([
      'RecordingAnnotated',
      'RecordingAnnotated',
      'RecordingAnnotationRemoved',
    ]);
    expect(history[0].data).toMatchObject({ note: '承诺了脚本外的折扣', by: 'qa-east' });
    expect(history[2].data).toMatchObject({ by: 'sup-east', reason: '与录音不符' });
    expect(
      (await h.gql(REMOVE, { a: 'no-such-note', why: 'x' }, await h.token('admin'))).errors?.[0].extensions.code,
    ).toBe('NOT_FOUND');
  });
});

describe('evidenceBundle', () => {
  it("carries each recording's notes with their history and hashes, removals included", async () => {
    const r = await h.gql('{ evidenceBundle(phone: "+8613800138201") }', {}, await h.token('auditor'));
    expect(r.errors).toBeUndefined();
    const byId = Object.fromEntries(r.data.evidenceBundle.recordings.map((x: any) => [x.recordingId, x]));
    const notes = byId['rec-an-1'].annotations;
    expect(notes.map((e: any) => [e.type, e.data.by])).toEqual([
      ['RecordingAnnotated', 'qa-east'],
      ['RecordingAnnotated', 'sup-east'],
      ['RecordingAnnotationRemoved', 'sup-east'],
    ]);
    expect(notes[0].hash).toMatch(/\w{16,}/);
    expect(byId['rec-an-10'].annotations.map((e: any) => e.data.note)).toEqual(['语速过快']);
    expect(byId['rec-an-w'].annotations).toEqual([]);
    // As of before the removal, the note still stood.
    const before = await h.gql(
      'query($p: Position) { evidenceBundle(phone: "+8613800138201", asOf: { position: $p }) }',
      { p: notes[1].position },
      await h.token('auditor'),
    );
    expect(
      before.data.evidenceBundle.recordings.find((x: any) => x.recordingId === 'rec-an-1').annotations,
    ).toHaveLength(2);
  });
});
