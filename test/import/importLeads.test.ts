import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { leadDecider } from '../../src/domain/lead/decider.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { importLeads } from '../../src/import/importLeads.ts';
import { createTestDatabase } from '../support/db.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let store: PostgresEventStore;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase('import');
  store = await PostgresEventStore.connect(db.url);
  dir = await mkdtemp(path.join(os.tmpdir(), 'callstream-import-'));
});
afterAll(async () => {
  await store?.close();
  await db?.close();
});

const file = async (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  await writeFile(p, content);
  return p;
};
const leadEvents = async (e164: string) => (await store.readStream(`lead-${e164}`)).map((e) => e.type);

describe('lead import from CSV', () => {
  it('imports valid rows, merges known and repeated numbers, and reports bad rows by data row', async () => {
    await handleCommand(store, leadDecider, '+8613900139000', {
      type: 'ImportLead',
      data: { phone: '13900139000', source: 'api' },
      meta: { now: new Date().toISOString(), commandId: 'seed-1' },
    });
    const csv = [
      '姓名,手机号码,城市',
      '张三,138 0013 8000,上海', // row 1
      '李四,12345,北京', // row 2: too short
      '王五,+86 139-0013-9000,广州', // row 3: already known
      ',,', // row 4: blank
      '赵六,0086 13800138000,深圳', // row 5: same number as row 1
      '钱七,138001380001380,杭州', // row 6: too long
      '孙八,"(0755) 8888 6666",深圳', // row 7: a landline
      '周九,abc,南京', // row 8: not a number
    ].join('\n');
    const progress: number[] = [];
    const r = await importLeads({ store, file: await file('leads.csv', csv), onProgress: (p) => progress.push(p.rows) });
    expect(r).toMatchObject({ rows: 7, imported: 2, duplicates: 2, rejected: 3, alreadyImported: 0 });
    expect(r.rejections.map((x) => [x.row, x.value])).toEqual([
      [2, '12345'],
      [6, '138001380001380'],
      [8, 'abc'],
    ]);
    expect(r.rejections[0].reason).toMatch(/too few digits/);
    expect(await leadEvents('+8613800138000')).toEqual(['LeadImported', 'LeadDuplicateMerged']);
    expect(await leadEvents('+8613900139000')).toEqual(['LeadImported', 'LeadDuplicateMerged']);
    expect(await leadEvents('+8675588886666')).toEqual(['LeadImported']);
    const [first] = await store.readStream('lead-+8613800138000');
    expect(first.data).toMatchObject({ name: '张三', row: 1, batchId: r.batchId, fields: { 城市: '上海' }, source: 'file' });
    expect(progress.at(-1)).toBe(7);
  });

  it('re-importing the same file writes nothing and says so', async () => {
    const csv = 'phone,note\n13700137000,first\n13700137001,second\n13700137000,again\n';
    const f = await file('again.csv', csv);
    const first = await importLeads({ store, file: f });
    expect(first).toMatchObject({ imported: 2, duplicates: 1, alreadyImported: 0 });
    const head = await store.headPosition();
    const second = await importLeads({ store, file: f });
    expect(second).toMatchObject({ imported: 0, duplicates: 0, rejected: 0, alreadyImported: 3, batchId: first.batchId });
    expect(await store.headPosition()).toBe(head);
  });

  it('reads GB18030 (GBK) files as written by Excel on Chinese Windows', async () => {
    const gbk = Buffer.from('d0d5c3fb2cb5e7bbb00ad5c5c8fd2c3133363030313336303030', 'hex'); // 姓名,电话\n张三,13600136000
    const r = await importLeads({ store, file: await file('gbk.csv', gbk) });
    expect(r).toMatchObject({ imported: 1, rejected: 0 });
    expect((await store.readStream('lead-+8613600136000'))[0].data).toMatchObject({ name: '张三' });
  });

  it('uses a named phone column and refuses a file without one', async () => {
    const csv = 'contact,backup\n13500135000,13500135001\n';
    const r = await importLeads({ store, file: await file('named.csv', csv), columns: { phone: 'BACKUP' } });
    expect(r.imported).toBe(1);
    expect(await leadEvents('+8613500135001')).toEqual(['LeadImported']);
    await expect(importLeads({ store, file: await file('nophone.csv', 'a,b\n1,2\n') })).rejects.toMatchObject({ code: 'PHONE_COLUMN_NOT_FOUND' });
    await expect(importLeads({ store, file: await file('x.csv', csv), columns: { phone: 'nope' } })).rejects.toThrow(/no phone column named "nope".*contact, backup/);
  });

  it('maps columns to other field names and leaves out ignored ones', async () => {
    const csv = '手机,城市,内部编号,意向\n13400134000,上海,X-1,高\n';
    await importLeads({ store, file: await file('map.csv', csv), columns: { rename: { 城市: 'city', 意向: 'intent' }, ignore: ['内部编号'] } });
    expect((await store.readStream('lead-+8613400134000'))[0].data.fields).toEqual({ city: '上海', intent: '高' });
  });

  it('attaches the file to a campaign and stops before writing when the campaign does not exist', async () => {
    const f = await file('camp.csv', 'tel\n13300133000\n');
    await expect(importLeads({ store, file: f, campaignId: 'no-such-campaign' })).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_FOUND' });
    expect(await leadEvents('+8613300133000')).toEqual([]);
  });
});

describe('lead import from XLSX', () => {
  it('streams the first worksheet, numeric and text cells alike', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('客户');
    ws.addRow(['客户名称', 'Mobile', '备注']);
    ws.addRow(['甲', 13200132000, 'VIP']); // a phone stored as a number
    ws.addRow(['乙', '１３２ ００１３ ２００１', '']); // full-width digits
    ws.addRow([]);
    ws.addRow(['丙', '不是号码', 'x']);
    const f = path.join(dir, 'leads.xlsx');
    await wb.xlsx.writeFile(f);
    const r = await importLeads({ store, file: f });
    expect(r).toMatchObject({ rows: 3, imported: 2, rejected: 1 });
    expect(r.rejections).toEqual([{ row: 4, value: '不是号码', reason: expect.stringMatching(/非法字符|not part of a phone number/) }]);
    expect((await store.readStream('lead-+8613200132000'))[0].data).toMatchObject({ name: '甲', fields: { 备注: 'VIP' } });
    expect(await leadEvents('+8613200132001')).toEqual(['LeadImported']);
  });
});

describe('retry of a failed import', () => {
  it('imports the corrected rows under the first batch and skips what was already imported', async () => {
    const first = await importLeads({ store, file: await file('broken.csv', 'phone,name\n13100131000,a\n1310013,b\n13100131002,c\n') });
    expect(first).toMatchObject({ imported: 2, rejected: 1 });
    const head = await store.headPosition();
    const fixed = await file('fixed.csv', 'phone,name\n13100131000,a\n13100131001,b\n13100131002,c\n');
    const retry = await importLeads({ store, file: fixed, retryOf: first.batchId });
    expect(retry).toMatchObject({ batchId: first.batchId, imported: 1, duplicates: 0, rejected: 0, alreadyImported: 2 });
    expect((await store.readAll({ after: head })).map((e) => [e.streamId, e.type])).toEqual([['lead-+8613100131001', 'LeadImported']]);
    await expect(importLeads({ store, file: fixed, retryOf: 'nope' })).rejects.toMatchObject({ code: 'BATCH_ID_INVALID' });
  });
});
