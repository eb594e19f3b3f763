import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { createTestDatabase } from '../support/db.ts';

/* The CLI as users run it: a child process against a real (test) database, reading stdout and the exit code. */

const ROOT = path.resolve(import.meta.dirname, '../..');
const NODE24 = path.join(ROOT, 'node_modules', '.bin', 'node');

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase('cli');
  dir = await mkdtemp(path.join(os.tmpdir(), 'callstream-cli-'));
});
afterAll(async () => {
  await db?.close();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], opts: { stdin?: string; node?: string; entry?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(opts.node ?? NODE24, [opts.entry ?? path.join(ROOT, 'src/cli/main.ts'), ...args], {
      cwd: dir,
      env: { ...process.env, DATABASE_URL: db.url, EVENTSTORE_URL: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}

const file = async (name: string, content: string) => {
  const p = path.join(dir, name);
  await writeFile(p, content);
  return p;
};

async function sql(text: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows;
  } finally {
    await c.end();
  }
}

const CSV = [
  '客户,电话,城市',
  '张三,13800138000,上海', // 1
  '李四,1380013,北京', // 2: too short
  '王五,138-0013-8000,广州', // 3: same number as row 1
  '赵六,"139 0013 9000",深圳,extra,cells', // 4: more cells than headers, still fine
  '孙七', // 5: no phone cell at all
  '周八,电话号码,南京', // 6: words, not a number
  '吴九,"+1 (415) 555-2671",旧金山', // 7: international
].join('\n');

describe('callstream import', { timeout: 120_000 }, () => {
  it('prints exactly one JSON object with counts and per-row rejections', async () => {
    const r = await run(['import', await file('leads.csv', CSV), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]);
    expect(Object.keys(out)).toEqual(['imported', 'duplicates', 'rejected']);
    expect(out.imported).toBe(3);
    expect(out.duplicates).toBe(1);
    expect(out.rejected.map((x: { row: number; value: string }) => [x.row, x.value])).toEqual([
      [2, '1380013'],
      [5, ''],
      [6, '电话号码'],
    ]);
    for (const x of out.rejected) expect(x.reason).toMatch(/\S/);
    const leads = await sql(`SELECT stream_id, type FROM events WHERE stream_id LIKE 'lead-%' ORDER BY position`);
    expect(leads.map((e) => e.stream_id).sort()).toEqual(['lead-+14155552671', 'lead-+8613800138000', 'lead-+8613800138000', 'lead-+8613900139000']);
  });

  it('re-importing the same file writes nothing new', async () => {
    const before = await sql('SELECT count(*)::int AS n FROM events');
    const r = await run(['import', path.join(dir, 'leads.csv'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ imported: 0, duplicates: 0 });
    expect(JSON.parse(r.stdout).rejected).toHaveLength(3);
    expect(await sql('SELECT count(*)::int AS n FROM events')).toEqual(before);
  });

  it('imports an XLSX file with a named phone column; known numbers merge', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['姓名', '备用电话', '手机']);
    ws.addRow(['郑十', '13800138000', 13600136000]);
    ws.addRow(['冯十一', '18912345678', '12']);
    const f = path.join(dir, 'list.xlsx');
    await wb.xlsx.writeFile(f);
    const r = await run(['import', f, '--phone-column', '备用电话', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ imported: 1, duplicates: 1, rejected: [] });
    const [merged] = await sql(`SELECT data FROM events WHERE stream_id = 'lead-+8613800138000' AND type = 'LeadDuplicateMerged' AND data->>'row' = '1'`);
    expect(merged.data.fields).toEqual({ 手机: '13600136000' });
  });

  it('fails with a clear reason and exit code 1 for a missing file or an unknown column', async () => {
    const missing = await run(['import', path.join(dir, 'nope.csv'), '--json']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/no such file/);
    const column = await run(['import', path.join(dir, 'leads.csv'), '--phone-column', 'mobile']);
    expect(column.code).toBe(1);
    expect(column.stderr).toMatch(/no phone column named "mobile".*客户, 电话, 城市/);
  });

  it('turns missed calls into leads', async () => {
    const { PostgresEventStore } = await import('../../src/eventstore/postgres/postgresEventStore.ts');
    const store = await PostgresEventStore.connect(db.url);
    try {
      const at = new Date().toISOString();
      await store.append('call-m1', [
        { type: 'CallReceived', data: { callId: 'm1', at, phone: '+8618600186000', did: '+864008008000', direction: 'inbound' } },
        { type: 'CallAbandoned', data: { callId: 'm1', at, waitedMs: 12000, reason: 'hung_up_before_agent' } },
      ]);
    } finally {
      await store.close();
    }
    const r = await run(['import-calls', 'missed', '--since', '2020-01-01', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ imported: 1, duplicates: 0, rejected: [] });
    const [lead] = await sql(`SELECT data FROM events WHERE stream_id = 'lead-+8618600186000'`);
    expect(lead.data.source).toBe('missed_call');
  });

  it('runs through the callstream bin, also from an older system node', async () => {
    const systemNode = existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath;
    const f = await file('bin.csv', 'tel\n13300133000\n');
    const r = await run(['import', f, '--json'], { node: systemNode, entry: path.join(ROOT, 'bin/callstream.mjs') });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ imported: 1, duplicates: 0, rejected: [] });
  });
});

describe('callstream replay, verify, rebuild, user add', { timeout: 120_000 }, () => {
  it('replays a stream as of an instant', async () => {
    const all = await run(['replay', 'lead-+8613800138000', '--json']);
    expect(all.code, all.stderr).toBe(0);
    const full = JSON.parse(all.stdout);
    expect(full.events.length).toBeGreaterThanOrEqual(3);
    expect(full.state).toMatchObject({ exists: true, phone: '+8613800138000' });
    const asOf = full.events[1].metadata.occurredAt; // the in-file duplicate; the XLSX merge came later
    const early = JSON.parse((await run(['replay', 'lead-+8613800138000', '--as-of', asOf, '--json'])).stdout);
    type E = { type: string; metadata: { occurredAt: string } };
    expect(early.events).toEqual(full.events.filter((e: E) => e.metadata.occurredAt <= asOf));
    expect(early.events.map((e: E) => e.type)).toEqual(['LeadImported', 'LeadDuplicateMerged']);
    expect(early.state.imports).toBe(2);
    expect(full.state.imports).toBe(3);
    const bad = await run(['replay', 'lead-+8613800138000', '--as-of', 'yesterday-ish']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot read "yesterday-ish" as a time/);
  });

  it('verifies the log and names an event altered behind the store’s back', async () => {
    const ok = await run(['verify']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^OK: \d+ events verified/);
    await sql(`UPDATE events SET data = jsonb_set(data, '{name}', '"改过"') WHERE stream_id = 'lead-+8613900139000'`);
    const broken = await run(['verify', '--json']);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, problem: { kind: 'altered', streamId: 'lead-+8613900139000', revision: 1 } });
    const one = await run(['verify', 'lead-+8613300133000']);
    expect(one.code).toBe(0);
  });

  it('rebuilds the read models', async () => {
    const r = await run(['rebuild', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).projections.length).toBeGreaterThan(0);
    const unknown = await run(['rebuild', 'no-such-projection']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown projection "no-such-projection"/);
  });

  it('rebuilds the import jobs from their events, alone (import-jobs) or as part of all', async () => {
    const store = await PostgresEventStore.connect(db.url);
    try {
      const at = '2026-11-23T02:00:00.000Z';
      await store.append('import-job-cli', [
        { type: 'ImportStarted', data: { importId: 'job-cli', filename: '名单.csv', file: '/tmp/x.csv', departmentId: 'east', startedBy: 'admin', at } },
        { type: 'ImportFinished', data: { importId: 'job-cli', batchId: 'b-cli', rowsRead: 5, imported: 3, duplicates: 1, alreadyImported: 0, rejected: 1, rejections: [{ row: 4, value: '12', reason: 'PHONE_INVALID' }], at } },
      ]);
    } finally {
      await store.close();
    }
    const row = async () => (await sql(`SELECT status, imported, rejected_count, rejected FROM api.import_jobs WHERE import_id = 'job-cli'`))[0];
    const want = { status: 'finished', imported: 3, rejected_count: 1, rejected: [{ row: 4, value: '12', reason: 'PHONE_INVALID' }] };
    await sql(`DELETE FROM api.import_jobs WHERE import_id = 'job-cli'`);
    const one = await run(['rebuild', 'import-jobs', '--json']);
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ projections: ['import-jobs'] });
    expect(JSON.parse(one.stdout).events).toBeGreaterThanOrEqual(2);
    expect(await row()).toEqual(want);
    // a row gone wrong behind the log's back is put right by the full rebuild too
    await sql(`UPDATE api.import_jobs SET status = 'running', imported = 0 WHERE import_id = 'job-cli'`);
    const all = await run(['rebuild', '--json']);
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout).projections).toContain('import-jobs');
    expect(await row()).toEqual(want);
  });

  it('adds a user with the password from stdin, and refuses a weak one', async () => {
    const r = await run(['user', 'add', 'admin1', '--role', 'admin', '--json'], { stdin: 'correct horse battery\n' });
    expect(r.code, r.stderr).toBe(0);
    const { userId } = JSON.parse(r.stdout);
    const [created] = await sql(`SELECT data FROM events WHERE type = 'UserCreated' AND stream_id = $1`, [`user-${userId}`]);
    expect(created.data).toMatchObject({ username: 'admin1', role: 'admin' });
    expect(JSON.stringify(created.data)).not.toContain('correct horse');
    const weak = await run(['user', 'add', 'admin2', '--role', 'admin'], { stdin: 'short\n' });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/at least 8 characters/);
  });
});
