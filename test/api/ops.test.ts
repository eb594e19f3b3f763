import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Harness } from './harness.ts';

let h: Harness;
let dir: string;

function wav(seconds: number): Buffer {
  const rate = 8000;
  const data = Buffer.alloc(rate * 2 * seconds);
  const head = Buffer.alloc(44);
  head.write('RIFF', 0, 'ascii');
  head.writeUInt32LE(36 + data.length, 4);
  head.write('WAVE', 8, 'ascii');
  head.write('fmt ', 12, 'ascii');
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(rate, 24);
  head.writeUInt32LE(rate * 2, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36, 'ascii');
  head.writeUInt32LE(data.length, 40);
  return Buffer.concat([head, data]);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callstream-ops-'));
  fs.mkdirSync(path.join(dir, 'ui'));
  fs.writeFileSync(path.join(dir, 'ui', 'index.html'), '<!doctype html><title>呼叫中心</title>');
  h = await startServer({ promptsDir: path.join(dir, 'prompts'), uiDir: path.join(dir, 'ui'), corsOrigins: ['https://console.example.cn'], maxQueryCost: 2000, queryDepth: 6 }, 'api_ops');
});
afterAll(async () => {
  await h?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('operations endpoints', () => {
  it('reports health and Prometheus metrics', async () => {
    expect((await fetch(`${h.url}/health`)).status).toBe(200);
    await h.gql('{ me { id } }');
    const text = await (await fetch(`${h.url}/metrics`)).text();
    expect(text).toMatch(/callstream_http_request_duration_seconds_bucket/);
    expect(text).toMatch(/callstream_graphql_errors_total\{code="UNAUTHENTICATED"\} [1-9]/);
  });

  it('offers GraphiQL outside production', async () => {
    const r = await fetch(`${h.url}/graphiql`);
    expect(r.status).toBe(200);
    expect(await r.text()).toMatch(/graphiql/i);
  });

  it('serves the built UI at / and falls back to it for client routes, not for API paths', async () => {
    expect(await (await fetch(`${h.url}/`)).text()).toContain('呼叫中心');
    expect(await (await fetch(`${h.url}/supervisor/wallboard`)).text()).toContain('呼叫中心');
    expect((await fetch(`${h.url}/recordingsx`)).status).toBe(404);
  });

  it('allows only configured browser origins', async () => {
    const pre = (origin: string) => fetch(`${h.url}/graphql`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    expect((await pre('https://console.example.cn')).headers.get('access-control-allow-origin')).toBe('https://console.example.cn');
    expect((await pre('https://evil.example.com')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses oversized bodies, too deep and too costly queries', async () => {
    const big = await fetch(`${h.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ me { id } }`, pad: 'x'.repeat(1_100_000) }) });
    expect(big.status).toBe(413);
    const token = await h.token('admin');
    const deep = await h.gql('{ me { department { parent { parent { parent { parent { parent { id } } } } } } } }', {}, token);
    expect(JSON.stringify(deep.errors)).toMatch(/depth/i);
    const costly = await h.gql('{ users(first: 200) { nodes { team { members { department { teams { members { id } } } } } } } }', {}, token);
    expect(costly.errors?.[0]?.extensions?.code, JSON.stringify(costly)).toBe('QUERY_TOO_COSTLY');
    expect((await h.gql('{ users(first: 10) { nodes { id team { name } } } }', {}, token)).errors).toBeUndefined();
  });

  it('uploads a WAV prompt for supervisors and admins only, and rejects what is not a WAV', async () => {
    const post = (token: string | undefined, body: Buffer, name = '欢迎语') =>
      fetch(`${h.url}/prompts?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { 'content-type': 'audio/wav', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: new Uint8Array(body) });
    expect((await post(undefined, wav(1))).status).toBe(401);
    expect((await post(await h.token('agent-east'), wav(1))).status).toBe(403);
    const bad = await post(await h.token('sup-east'), Buffer.from('<?php system($_GET[1]); ?>'.padEnd(100)));
    expect(bad.status).toBe(400);
    expect((await bad.json()).code).toBe('INVALID_WAV');
    const ok = await post(await h.token('sup-east'), wav(2));
    expect(ok.status).toBe(201);
    const body = await ok.json();
    expect(body.durationSeconds).toBe(2);
    expect(fs.readdirSync(path.join(dir, 'prompts'))).toEqual([`${body.sha256}.wav`]);
    const listed = async () => (await h.gql('{ prompts { id name sha256 } }', {}, await h.token('sup-east'))).data.prompts;
    for (let i = 0; i < 50 && (await listed()).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await listed()).toEqual([{ id: body.id, name: '欢迎语', sha256: body.sha256 }]);
  });
});
