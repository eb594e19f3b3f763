// One picked import file, CSV or XLSX, and the upload it turns into once columns are mapped.
// CSV: the header line is rewritten in the browser (remapHeader). XLSX cannot be edited here, so the
// raw workbook goes up and the chosen column names travel as query parameters instead.
import { csvHeader, remapHeader } from './csvMapping.ts';
import { isXlsx, xlsxHeader } from './xlsxHeader.ts';

export interface ImportFile {
  filename: string;
  kind: 'csv' | 'xlsx';
  columns: string[];
  bytes: Uint8Array;
}

export interface ColumnMapping { phone: string; name?: string | null }

export async function readImportFile(filename: string, bytes: Uint8Array): Promise<ImportFile> {
  if (isXlsx(bytes)) return { filename, kind: 'xlsx', bytes, columns: (await xlsxHeader(bytes)).filter((c) => c !== '') };
  if (/\.xlsx?$/i.test(filename)) throw new Error(`${filename}: 不是有效的 .xlsx 文件（旧版 .xls 请另存为 .xlsx 或 .csv） / not a valid .xlsx workbook`);
  return { filename, kind: 'csv', bytes, columns: csvHeader(new TextDecoder().decode(bytes)) };
}

/** Best guesses for the mapping from header names, Chinese or English. */
export function guessMapping(columns: string[]): { phone: string; name: string } {
  return {
    phone: columns.find((c) => /phone|mobile|tel|电话|手机/i.test(c)) ?? columns[0] ?? '',
    name: columns.find((c) => /name|姓名|客户/i.test(c)) ?? '',
  };
}

export function uploadRequest(file: ImportFile, mapping: ColumnMapping, campaignId: string): { body: Blob | string; params: Record<string, string> } {
  if (!file.columns.includes(mapping.phone)) throw new Error(`no column ${mapping.phone}`);
  if (file.kind === 'csv') {
    return { body: remapHeader(new TextDecoder().decode(file.bytes), mapping), params: { filename: file.filename, campaignId, phoneColumn: 'phone' } };
  }
  const params: Record<string, string> = { filename: file.filename, campaignId, phoneColumn: mapping.phone };
  if (mapping.name) params.nameColumn = mapping.name;
  return { body: new Blob([file.bytes as BlobPart], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), params };
}
