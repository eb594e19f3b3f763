import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'slonik';
import { applyImportEvent, ImportJobs } from '../../src/api/imports/importJobs.ts';
import { startServer, type Harness } from './harness.ts';

let h: Harness;
let dir: string;
const clients: Client[] = [];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cs-imports-'));
  h = await startServer({ importsDir: dir, maxImportBytes: 64 * 1024 }, 'api_imports');
  const sup = await h.token('sup-east');
  const r = await h.gql('mutation { createCampaign(id: "camp-e", input: { name: "华东回访", dialMode: PREVIEW, departmentId: "east" }) { position } }', {}, sup);
  expect(r.errors).toBeUndefined();
  const w = await h.gql('mutation { createCampaign(id: "camp-w", input: { name: "西部", dialMode: PREVIEW, departmentId: "west" }) { position } }', {}, await h.token('sup-west'));
  expect(w.errors).toBeUndefined();
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await h?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

async function upload(body: Buffer | string, params: Record<string, string>, username = 'sup-east') {
  const token = await h.token(username);
  const res = await fetch(`${h.url}/imports?${new URLSearchParams(params)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}` },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

const JOB = 'query($id: ID!) { importJob(id: $id) { id filename status rowsRead imported duplicates rejected { row value reason } startedBy { username } } }';

async function finished(importId: string, username = 'sup-east') {
  const token = await h.token(username);
  for (let i = 0; i < 200; i++) {
    const r = await h.gql(JOB, { id: importId }, token);
    expect(r.errors).toBeUndefined();
    if (r.data.importJob.status !== 'running') return r.data.importJob;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`import ${importId} did not finish`);
}

const CSV = 'phone,name,city\n13800138000,张伟,上海\n+86 139-0013-9000,李娜,杭州\n12345,坏号码,南京\n13800138000,张伟重复,上海\n';

describe('POST /imports', () => {
  it('imports a CSV in the background: counts, the rejected row with its value and reason, who started it', async () => {
    const up = await upload(CSV, { filename: 'leads.csv', campaignId: 'camp-e', phoneColumn: 'phone', nameColumn: 'name' });
    expect(up.status).toBe(202);
    expect(up.body.importId).toMatch(/^[0-9a-f-]{36}$/);
    const job = await finished(up.body.importId);
    expect(job).toMatchObject({ filename: 'leads.csv', status: 'finished', rowsRead: 4, imported: 2, duplicates: 1, startedBy: { username: 'sup-east' } });
    expect(job.rejected).toHaveLength(1);
    expect(job.rejected[0]).toMatchObject({ row: 3, value: '12345' });
    expect(job.rejected[0].reason).toBeTruthy();
    const list = await h.gql('{ importJobs { nodes { id status } } }', {}, await h.token('sup-east'));
    expect(list.data.importJobs.nodes.map((n: any) => n.id)).toContain(up.body.importId);
  });

  it('uploading the same file again imports nothing twice', async () => {
    const again = await upload(CSV, { filename: 'leads-again.csv', campaignId: 'camp-e', phoneColumn: 'phone' });
    const job = await finished(again.body.importId);
    expect(job).toMatchObject({ status: 'finished', rowsRead: 4, imported: 0, duplicates: 0 });
    expect(job.rejected.map((r: any) => r.row)).toEqual([3]);
  });

  it('imports an XLSX by the header name of its phone column, with progress through importProgress', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('客户');
    ws.addRow(['手机号码', '姓名']);
    ws.addRow(['13700137000', '王芳']);
    ws.addRow(['13600136000', '刘洋']);
    ws.addRow(['不是号码', '赵敏']);
    const body = Buffer.from(await wb.xlsx.writeBuffer());
    const up = await upload(body, { filename: '客户.xlsx', campaignId: 'camp-e', phoneColumn: '手机号码' });
    expect(up.status).toBe(202);
    // Subscribing after the upload answered still sees the whole import, ending with the final counts.
    const client = createClient({ url: `${h.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { token: await h.token('sup-east') }, retryAttempts: 0, lazy: true });
    clients.push(client);
    const last = await new Promise<any>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no final progress')), 10_000);
      const stop = client.subscribe<any>(
        { query: 'subscription($id: ID) { importProgress(importId: $id) { importId eventType rowsRead imported duplicates rejected done } }', variables: { id: up.body.importId } },
        {
          next: (m) => {
            if (m.errors) return reject(new Error(m.errors[0].message));
            const p = m.data!.importProgress;
            if (p.done) {
              clearTimeout(timer);
              stop();
              resolve(p);
            }
          },
          error: reject,
          complete: () => {},
        },
      );
    });
    expect(last).toMatchObject({ importId: up.body.importId, eventType: 'ImportFinished', rowsRead: 3, imported: 2, duplicates: 0, rejected: 1, done: true });
    const job = await finished(up.body.importId);
    expect(job.rejected).toEqual([expect.objectContaining({ row: 3, value: '不是号码' })]);
  });

  it('retryImport runs an ended import again without importing its rows twice', async () => {
    const up = await upload('电话\n13500135000\n', { filename: 'one.csv', campaignId: 'camp-e' });
    expect((await finished(up.body.importId)).imported).toBe(1);
    const token = await h.token('sup-east');
    const r = await h.gql('mutation($id: ID!) { retryImport(importId: $id, commandId: "retry-1") { streamId repeated } }', { id: up.body.importId }, token);
    expect(r.errors).toBeUndefined();
    const retryId = r.data.retryImport.streamId.slice('import-'.length);
    expect(await finished(retryId)).toMatchObject({ status: 'finished', rowsRead: 1, imported: 0 });
    const again = await h.gql('mutation($id: ID!) { retryImport(importId: $id, commandId: "retry-1") { streamId repeated } }', { id: up.body.importId }, token);
    expect(again.data.retryImport).toEqual({ streamId: r.data.retryImport.streamId, repeated: true });
  });

  it('refuses agents, supervisors of another department and anonymous callers; nothing is imported', async () => {
    expect((await upload(CSV, { filename: 'x.csv', campaignId: 'camp-e', phoneColumn: 'phone' }, 'agent-east')).status).toBe(403);
    const west = await upload(CSV, { filename: 'x.csv', campaignId: 'camp-e', phoneColumn: 'phone' }, 'sup-west');
    expect(west).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    const anon = await fetch(`${h.url}/imports?campaignId=camp-e`, { method: 'POST', body: CSV });
    expect(anon.status).toBe(401);
    // Nor may they read the east imports.
    const list = await h.gql('{ importJobs { nodes { id } } }', {}, await h.token('sup-west'));
    expect(list.data.importJobs.nodes).toEqual([]);
    const agentRead = await h.gql('{ importJobs { nodes { id } } }', {}, await h.token('agent-east'));
    expect(agentRead.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('answers a bad upload with a clear error and starts no job', async () => {
    const before = (await h.gql('{ importJobs(first: 200) { nodes { id } } }', {}, await h.token('admin'))).data.importJobs.nodes.length;
    const noColumn = await upload('name,city\n张伟,上海\n', { filename: 'x.csv', campaignId: 'camp-e', phoneColumn: 'phone' });
    expect(noColumn).toMatchObject({ status: 400, body: { code: 'COLUMN_NOT_FOUND' } });
    expect(noColumn.body.reason).toContain('name, city');
    const brokenXlsx = await upload(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]), { filename: 'x.xlsx', campaignId: 'camp-e', phoneColumn: 'phone' });
    expect(brokenXlsx.status).toBe(400);
    expect(brokenXlsx.body.reason).toMatch(/cannot read the file/);
    expect((await upload('', { filename: 'x.csv', campaignId: 'camp-e' })).status).toBe(400);
    expect((await upload(CSV, { filename: 'x.csv', campaignId: 'nope' })).status).toBe(404);
    expect((await upload(CSV, { filename: 'x.csv' })).status).toBe(400);
    const big = await upload('phone\n' + '13800138000\n'.repeat(10_000), { filename: 'big.csv', campaignId: 'camp-e' });
    expect(big).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
    const after = (await h.gql('{ importJobs(first: 200) { nodes { id } } }', {}, await h.token('admin'))).data.importJobs.nodes.length;
    expect(after).toBe(before);
    expect((await fs.readdir(dir)).filter((f) => f.startsWith('.') || f.endsWith('.tmp'))).toEqual([]);
  });
});

/** The importProgress events a user receives until `until` has said done (or the time runs out). */
function progressOf(username: string, token: string, until: string, importId?: string) {
  const client = createClient({ url: `${h.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { token }, retryAttempts: 0, lazy: true });
  clients.push(client);
  const seen: { importId: string; eventType: string }[] = [];
  return new Promise<typeof seen>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${username}: no end of ${until}`)), 10_000);
    const stop = client.subscribe<any>(
      { query: 'subscription($id: ID, $after: Position) { importProgress(importId: $id, afterPosition: $after) { importId eventType done } }', variables: { id: importId, after: importId ? undefined : 0 } },
      {
        next: (m) => {
          if (m.errors) {
            clearTimeout(timer);
            return reject(Object.assign(new Error(m.errors[0].message), { code: (m.errors[0] as any).extensions?.code }));
          }
          const p = m.data!.importProgress;
          seen.push({ importId: p.importId, eventType: p.eventType });
          if (p.done && p.importId === until) {
            clearTimeout(timer);
            stop();
            resolve(seen);
          }
        },
        error: (e) => {
          clearTimeout(timer);
          reject(Object.assign(new Error('subscription failed'), { code: Array.isArray(e) ? e[0]?.extensions?.code : undefined }));
        },
        complete: () => {},
      },
    );
  });
}

describe('import jobs and progress are department-scoped', () => {
  it('a supervisor sees only the imports of their departments\' campaigns, a team leader or agent none, the admin all', async () => {
    const west = await upload('phone\n13300133000\n', { filename: 'west.csv', campaignId: 'camp-w' }, 'sup-west');
    expect(west.status).toBe(202);
    const east = await upload('phone\n13300133001\n', { filename: 'east.csv', campaignId: 'camp-e' });
    await finished(west.body.importId, 'sup-west');
    await finished(east.body.importId);
    const ids = async (user: string) => (await h.gql('{ importJobs(first: 200) { nodes { id } } }', {}, await h.token(user))).data.importJobs.nodes.map((n: any) => n.id);
    expect(await ids('sup-west')).toEqual([west.body.importId]);
    expect(await ids('sup-east')).toContain(east.body.importId);
    expect(await ids('sup-east')).not.toContain(west.body.importId);
    expect(await ids('admin')).toEqual(expect.arrayContaining([west.body.importId, east.body.importId]));
    for (const user of ['sup-east', 'tl-east', 'agent-west']) {
      const r = await h.gql(JOB, { id: west.body.importId }, await h.token(user));
      expect(r.errors?.[0].extensions.code).toBe('FORBIDDEN');
    }

    // The progress feed from the start of the log: each supervisor hears only their own department's imports.
    const eastSeen = await progressOf('sup-east', await h.token('sup-east'), east.body.importId);
    expect(eastSeen.map((p) => p.importId)).toContain(east.body.importId);
    expect(eastSeen.map((p) => p.importId)).not.toContain(west.body.importId);
    const westSeen = await progressOf('sup-west', await h.token('sup-west'), west.body.importId);
    expect(new Set(westSeen.map((p) => p.importId))).toEqual(new Set([west.body.importId]));
    const all = await progressOf('admin', await h.token('admin'), east.body.importId);
    expect(all.map((p) => p.importId)).toEqual(expect.arrayContaining([west.body.importId, east.body.importId]));

    // Asking for another department's import by id is refused outright.
    await expect(progressOf('sup-east', await h.token('sup-east'), west.body.importId, west.body.importId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('import job rows are a projection of the import events', () => {
  const rows = async () => h.pool.any(sql.unsafe`SELECT * FROM api.import_jobs ORDER BY import_id`);

  it('dropped and rebuilt from the import-<id> streams, the rows read the same', async () => {
    const before = await rows();
    expect(before.length).toBeGreaterThan(3);
    expect(before.some((r: any) => r.rejected.length > 0 && r.status === 'finished')).toBe(true);
    const folded = await new ImportJobs(h.store, h.pool).rebuild();
    expect(folded).toBeGreaterThanOrEqual(before.length * 2);
    expect(await rows()).toEqual(before);
    await new ImportJobs(h.store, h.pool).catchUp(); // folding again changes nothing
    expect(await rows()).toEqual(before);
  });

  it('at startup a job whose process died is caught up from its events and ended as interrupted, by an event', async () => {
    const importId = 'crashed-1';
    // The process appended ImportStarted and died before anything else.
    await h.store.append(`import-${importId}`, [{ type: 'ImportStarted', data: { importId, filename: 'lost.csv', campaignId: 'camp-e', departmentId: 'east', startedBy: 'sup-east', file: '/gone/lost.csv', at: new Date().toISOString() } }]);
    await new ImportJobs(h.store, h.pool).markInterrupted();
    const r = await h.gql(JOB, { id: importId }, await h.token('sup-east'));
    expect(r.data.importJob).toMatchObject({ filename: 'lost.csv', status: 'interrupted', startedBy: { username: 'sup-east' } });
    const log = await h.store.readStream(`import-${importId}`);
    expect(log.map((e) => e.type)).toEqual(['ImportStarted', 'ImportFailed']);
    expect(log[1].data).toMatchObject({ interrupted: true });
    await new ImportJobs(h.store, h.pool).rebuild();
    expect((await h.gql(JOB, { id: importId }, await h.token('sup-east'))).data.importJob.status).toBe('interrupted');
  });

  it('catch-up folds an earlier job\'s unapplied event although a later job\'s row is ahead: a finished job is not marked interrupted', async () => {
    const jobs = new ImportJobs(h.store, h.pool);
    await jobs.catchUp();
    const started = (id: string) => ({ type: 'ImportStarted', data: { importId: id, filename: `${id}.csv`, campaignId: 'camp-e', departmentId: 'east', startedBy: 'sup-east', file: `/tmp/${id}.csv`, at: new Date().toISOString() } });
    const a = await h.store.append('import-early-a', [started('early-a')]);
    await applyImportEvent(h.pool, { ...started('early-a'), position: a.position });
    // Job A's last event was written and the process died before folding it...
    await h.store.append('import-early-a', [{ type: 'ImportFinished', data: { importId: 'early-a', rowsRead: 2, imported: 2, duplicates: 0, alreadyImported: 0, rejected: 0, rejections: [], batchId: 'b-a', at: new Date().toISOString() } }]);
    // ...while job B (another process) went on and folded its own, later events.
    const b = await h.store.append('import-later-b', [started('later-b')]);
    await applyImportEvent(h.pool, { ...started('later-b'), position: b.position });
    const b2 = await h.store.append('import-later-b', [{ type: 'ImportFinished', data: { importId: 'later-b', rowsRead: 1, imported: 1, duplicates: 0, alreadyImported: 0, rejected: 0, rejections: [], batchId: 'b-b', at: new Date().toISOString() } }]);
    await applyImportEvent(h.pool, { type: 'ImportFinished', data: (await h.store.readStream('import-later-b'))[1].data, position: b2.position });

    await new ImportJobs(h.store, h.pool).markInterrupted();
    const r = await h.gql(JOB, { id: 'early-a' }, await h.token('sup-east'));
    expect(r.data.importJob).toMatchObject({ status: 'finished', rowsRead: 2, imported: 2 });
    expect((await h.store.readStream('import-early-a')).map((e) => e.type)).toEqual(['ImportStarted', 'ImportFinished']);
  });
});
