import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { guessMapping, readImportFile, uploadRequest } from '../src/lib/importFile.ts';

const enc = (s: string) => new TextEncoder().encode(s);

async function xlsx(rows: unknown[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('import file', () => {
  it('a CSV is remapped in the browser and uploaded with phoneColumn=phone', async () => {
    const file = await readImportFile('leads.csv', enc('客户姓名,手机号码,城市\n张三,13800000001,杭州\n'));
    expect(file.kind).toBe('csv');
    const m = guessMapping(file.columns);
    expect(m).toEqual({ phone: '手机号码', name: '客户姓名' });
    const req = uploadRequest(file, m, 'c-1');
    expect(req.params).toEqual({ filename: 'leads.csv', campaignId: 'c-1', phoneColumn: 'phone' });
    expect(req.body).toBe('name,phone,城市\n张三,13800000001,杭州\n');
  });

  it('an XLSX goes up unchanged, the chosen columns named in the parameters', async () => {
    const bytes = await xlsx([['序号', '姓名', '联系电话', '城市'], [1, '李四', '13900000002', '苏州']]);
    const file = await readImportFile('名单.xlsx', bytes);
    expect(file.kind).toBe('xlsx');
    expect(file.columns).toEqual(['序号', '姓名', '联系电话', '城市']);
    const m = guessMapping(file.columns);
    expect(m).toEqual({ phone: '联系电话', name: '姓名' });
    const req = uploadRequest(file, m, 'c-9');
    expect(req.params).toEqual({ filename: '名单.xlsx', campaignId: 'c-9', phoneColumn: '联系电话', nameColumn: '姓名' });
    expect(req.body).toBeInstanceOf(Blob);
    expect(new Uint8Array(await (req.body as Blob).arrayBuffer())).toEqual(bytes);
  });

  it('an XLSX is recognised by its content even when misnamed .csv', async () => {
    const file = await readImportFile('export.csv', await xlsx([['phone'], ['13800000001']]));
    expect(file.kind).toBe('xlsx');
    expect(uploadRequest(file, { phone: 'phone' }, 'c-1').params).toEqual({ filename: 'export.csv', campaignId: 'c-1', phoneColumn: 'phone' });
  });

  it('an old .xls or a broken .xlsx is refused with a message in both languages', async () => {
    await expect(readImportFile('老名单.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]))).rejects.toThrow(/另存为 \.xlsx.*not a valid \.xlsx/);
    await expect(readImportFile('x.xlsx', enc('PK but not a zip'))).rejects.toThrow('not an .xlsx workbook');
  });

  it('refuses to upload with a phone column the file does not have', async () => {
    const file = await readImportFile('a.csv', enc('name,tel\n'));
    expect(() => uploadRequest(file, { phone: '手机' }, 'c-1')).toThrow('no column 手机');
  });
});
