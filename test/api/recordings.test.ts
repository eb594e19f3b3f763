import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Harness } from './harness.ts';

let h: Harness;
let dir: string;
const audio = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));

async function recorded(callId: string, agentId: string, recordingId: string, file: string) {
  const at = new Date().toISOString();
  await h.store.append(`call-${callId}`, [
    { type: 'CallBridged', data: { callId, agentId, at } },
    { type: 'CallRecordingStopped', data: { callId, recordingId, file, sha256: 'ab'.repeat(32), durationMs: 5000, at } },
  ]);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callstream-rec-'));
  fs.mkdirSync(path.join(dir, 'recordings'));
  fs.writeFileSync(path.join(dir, 'recordings', 'east.wav'), audio);
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside');
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(dir, 'recordings', 'link.wav'));
  h = await startServer({ recordingsDir: path.join(dir, 'recordings') }, 'api_rec');
  await recorded('c-east', 'agent-east', 'r-east', 'east.wav');
  await recorded('c-up', 'agent-east', 'r-up', '../secret.txt');
  await recorded('c-abs', 'agent-east', 'r-abs', path.join(dir, 'secret.txt'));
  await recorded('c-link', 'agent-east', 'r-link', 'link.wav');
  // The API read model follows the log asynchronously.
  for (let i = 0; i < 100; i++) {
    const r = await fetch(`${h.url}/recordings/r-link`, { headers: { authorization: `Bearer ${await h.token('admin')}` } });
    if (r.status !== 404 || !(await r.text()).includes('recording not found')) break;
    await new Promise((res) => setTimeout(res, 50));
  }
});
afterAll(async () => {
  await h?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const get = async (id: string, token?: string, headers: Record<string, string> = {}, query = '') =>
  fetch(`${h.url}/recordings/${id}${query}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });

describe('recording download', () => {
  it('streams the file to the agent who handled the call and their supervisor', async () => {
    for (const user of ['agent-east', 'sup-east', 'tl-east', 'qa-east', 'auditor']) {
      const r = await get('r-east', await h.token(user), {}, '?reason=quality%20check');
      expect(r.status, user).toBe(200);
      expect(Buffer.from(await r.arrayBuffer()).equals(audio), user).toBe(true);
      expect(r.headers.get('accept-ranges')).toBe('bytes');
    }
  });

  it('hides it from everyone else, and from anonymous callers', async () => {
    expect((await get('r-east')).status).toBe(401);
    expect((await get('r-east', 'forged.token.here')).status).toBe(401);
    for (const user of ['agent-east-2', 'agent-west', 'sup-west', 'agent-sh']) expect((await get('r-east', await h.token(user))).status, user).toBe(404);
  });

  it('serves byte ranges for seeking', async () => {
    const token = await h.token('agent-east');
    const r = await get('r-east', token, { range: 'bytes=100-199' });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(Buffer.from(await r.arrayBuffer()).equals(audio.subarray(100, 200))).toBe(true);
    const tail = await get('r-east', token, { range: 'bytes=-10' });
    expect(Buffer.from(await tail.arrayBuffer()).equals(audio.subarray(990))).toBe(true);
    expect((await get('r-east', token, { range: 'bytes=5000-' })).status).toBe(416);
  });

  it('accepts the token as a query parameter for <audio> elements', async () => {
    const token = await h.token('agent-east');
    expect((await get('r-east', undefined, {}, `?access_token=${token}`)).status).toBe(200);
  });

  it('never serves a file outside the recordings directory', async () => {
    const token = await h.token('admin');
    for (const id of ['r-up', 'r-abs', 'r-link']) {
      const r = await get(id, token);
      expect(r.status, id).toBe(404);
      expect(await r.text()).not.toContain('outside');
    }
    expect((await fetch(`${h.url}/recordings/..%2F..%2Fsecret.txt`, { headers: { authorization: `Bearer ${token}` } })).status).not.toBe(200);
  });

  it('records who listened, when and why', async () => {
    const token = await h.token('sup-east');
    await get('r-east', token, {}, '?reason=%E6%8A%95%E8%AF%89%E5%A4%8D%E6%A0%B8');
    const events = await h.store.readStream('recording-r-east');
    const last = events.at(-1)!;
    expect(last.type).toBe('RecordingAccessed');
    expect(last.data).toMatchObject({ recordingId: 'r-east', callId: 'c-east', userId: 'sup-east', role: 'supervisor', reason: '投诉复核' });
    expect(events.some((e) => e.data.userId === 'agent-west')).toBe(false); // refused requests are not accesses
    const q = await h.gql('{ recordingAccesses(recordingId: "r-east") { user { id } reason } }', {}, token);
    expect(q.data.recordingAccesses.at(-1)).toEqual({ user: { id: 'sup-east' }, reason: '投诉复核' });
  });

  it('lists recordings within scope only', async () => {
    const list = async (u: string) => (await h.gql('{ recordings { nodes { id url sha256 } } }', {}, await h.token(u))).data.recordings.nodes.map((n: any) => n.id).sort();
    expect(await list('agent-east')).toEqual(['r-abs', 'r-east', 'r-link', 'r-up']);
    expect(await list('agent-west')).toEqual([]);
    expect(await list('sup-west')).toEqual([]);
  });
});
