import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';

/** One data row of a sheet: `row` counts data rows from 1 (the header row is not counted). */
export interface SheetRow {
  row: number;
  cells: string[];
}

export interface Sheet {
  headers: string[];
  rows: AsyncIterable<SheetRow>;
}

export type FileKind = 'csv' | 'xlsx';

export class ImportFileError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** By content first (an XLSX is a zip: "PK"), then by extension; .xls (BIFF) is refused with a clear reason. */
export async function detectKind(file: string): Promise<FileKind> {
  const fh = await open(file, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new ImportFileError('FILE_UNREADABLE', `cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(8), 0, 8, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head[0] === 0x50 && head[1] === 0x4b) return 'xlsx';
    if (head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
      throw new ImportFileError('XLS_NOT_SUPPORTED', `${path.basename(file)} is an old .xls workbook; save it as .xlsx or .csv / 请另存为 .xlsx 或 .csv`);
    }
    return 'csv';
  } finally {
    await fh.close();
  }
}

export async function openSheet(file: string): Promise<Sheet> {
  return (await detectKind(file)) === 'xlsx' ? openXlsx(file) : openCsv(file);
}

/**
 * Text decoding for CSV: UTF-8 (BOM or not), or GB18030 (the superset of GBK/GB2312 that Excel on
 * Chinese Windows writes) when the first block is not valid UTF-8. Streaming: the file is never held whole.
 */
function decoder(): Transform {
  let td: TextDecoder | undefined;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (!td) td = new TextDecoder(looksUtf8(chunk) ? 'utf-8' : 'gb18030');
      done(null, td.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, td ? td.decode() : '');
    },
  });
}

function looksUtf8(chunk: Buffer): boolean {
  // Drop a possibly cut multi-byte sequence at the end before the strict check.
  let end = chunk.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = chunk[end - i];
    if ((b & 0xc0) === 0xc0) {
      end -= i;
      break;
    }
    if ((b & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(chunk.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

async function openCsv(file: string): Promise<Sheet> {
  const parser = createReadStream(file, { highWaterMark: 256 * 1024 })
    .pipe(decoder())
    .pipe(parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, trim: true }));
  const it = parser[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && (first.value as string[]).every((c) => !c)) first = await it.next();
  if (first.done) throw new ImportFileError('FILE_EMPTY', `${path.basename(file)} has no header row / 文件为空`);
  const headers = (first.value as string[]).map((h) => String(h ?? '').trim());
  async function* rows(): AsyncGenerator<SheetRow> {
    let row = 0;
    try {
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        row++; // blank lines count as rows (as in a spreadsheet) but carry nothing to import
        const cells = (next.value as string[]).map((c) => String(c ?? ''));
        if (cells.some((c) => c)) yield { row, cells };
      }
    } finally {
      await it.return?.(); // a reader that stops early still closes the file
    }
  }
  return { headers, rows: rows() };
}

/** Plain text of an ExcelJS cell value: rich text, hyperlinks, formulas and dates included. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v);
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  const o = v as Record<string, any>;
  if (Array.isArray(o.richText)) return o.richText.map((r: { text: string }) => r.text).join('');
  if ('text' in o) return cellText(o.text);
  if ('result' in o) return cellText(o.result);
  if ('error' in o) return '';
  return String(v);
}

/** First worksheet only, read with ExcelJS's streaming reader (rows are not kept in memory). */
async function openXlsx(file: string): Promise<Sheet> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  const sheets = reader[Symbol.asyncIterator]();
  const sheet = await sheets.next();
  if (sheet.done) throw new ImportFileError('FILE_EMPTY', `${path.basename(file)} has no worksheet / 工作簿没有工作表`);
  const rowsIt = sheet.value[Symbol.asyncIterator]();
  let header = await rowsIt.next();
  // Skip leading blank rows; the first row with content is the header.
  while (!header.done && toCells(header.value).every((c) => !c)) header = await rowsIt.next();
  if (header.done) throw new ImportFileError('FILE_EMPTY', `${path.basename(file)} has no header row / 文件为空`);
  const headerRowNumber: number = header.value.number;
  const headers = toCells(header.value).map((h) => h.trim());
  async function* rows(): AsyncGenerator<SheetRow> {
    try {
      for (;;) {
        const next = await rowsIt.next();
        if (next.done) return;
        const cells = toCells(next.value);
        if (cells.every((c) => !c.trim())) continue;
        // ExcelJS numbers rows as in the sheet; data rows count from 1 below the header, blank rows included.
        yield { row: next.value.number - headerRowNumber, cells };
      }
    } finally {
      await rowsIt.return?.(undefined);
      await sheets.return?.(undefined);
    }
  }
  return { headers, rows: rows() };
}

function toCells(row: ExcelJS.Row): string[] {
  const values = row.values as unknown[]; // 1-based, holes for empty cells
  const out: string[] = [];
  for (let i = 1; i < values.length; i++) out.push(cellText(values[i]));
  return out;
}
