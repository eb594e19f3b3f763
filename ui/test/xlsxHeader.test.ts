import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { isXlsx, xlsxHeader, XlsxError } from '../src/lib/xlsxHeader.ts';

async function workbook(rows: unknown[][], opts: { sheetName?: string; inline?: boolean } = {}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet(opts.sheetName ?? '客户名单');
  const ws = wb.worksheets[0];
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer({ useSharedStrings: !opts.inline } as any));
}

describe('xlsxHeader', () => {
  it('reads the first row of a workbook written by Excel tooling, Chinese headers included', async () => {
    const bytes = await workbook([['客户姓名', '手机号码', '城市', '备注 & <说明>'], ['张三', '13800000001', '杭州', ''], ['李四', 13900000002, '苏州', 'x']]);
    expect(isXlsx(bytes)).toBe(true);
    expect(await xlsxHeader(bytes)).toEqual(['客户姓名', '手机号码', '城市', '备注 & <说明>']);
  });

  it('reads inline strings and numbers, and keeps gaps between header cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.getCell('A1').value = 'name';
    ws.getCell('C1').value = 2026;
    ws.getCell('A2').value = 'x';
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer({ useSharedStrings: false } as any));
    expect(await xlsxHeader(bytes)).toEqual(['name', '', '2026']);
  });

  it('skips leading empty rows to the first row with a value', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.getCell('B3').value = '电话';
    ws.getCell('A2').value = null;
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    expect(await xlsxHeader(bytes)).toEqual(['', '电话']);
  });

  it('refuses a file that is not a workbook with a clear error', async () => {
    const csv = new TextEncoder().encode('name,phone\n张三,13800000001\n');
    expect(isXlsx(csv)).toBe(false);
    await expect(xlsxHeader(csv)).rejects.toThrow(XlsxError);
    await expect(xlsxHeader(csv)).rejects.toThrow('not an .xlsx workbook');
  });
});
