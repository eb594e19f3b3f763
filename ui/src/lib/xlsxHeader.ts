// The header row of an .xlsx workbook, read in the browser so the admin can map columns before the upload.
// An .xlsx is a zip of XML parts; we only need the first worksheet's first row and the shared strings,
// so a small zip walk plus the platform's DecompressionStream beats shipping a spreadsheet library.

export class XlsxError extends Error {}

interface Entry { name: string; method: number; size: number; offset: number }

function entries(bytes: Uint8Array): Entry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  // The end-of-central-directory record sits in the last 64 KiB (its comment is at most 65535 bytes).
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new XlsxError('not an .xlsx workbook');
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const out: Entry[] = [];
  const utf8 = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (view.getUint32(p, true) !== 0x02014b50) throw new XlsxError('damaged .xlsx workbook');
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    out.push({ name: utf8.decode(bytes.subarray(p + 46, p + 46 + nameLen)), method: view.getUint16(p + 10, true), size: view.getUint32(p + 20, true), offset: view.getUint32(p + 42, true) });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

async function readEntry(bytes: Uint8Array, e: Entry): Promise<string> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = e.offset + 30 + view.getUint16(e.offset + 26, true) + view.getUint16(e.offset + 28, true);
  const data = bytes.slice(start, start + e.size);
  if (e.method === 0) return new TextDecoder().decode(data);
  if (e.method !== 8) throw new XlsxError(`unsupported compression in ${e.name}`);
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Response(stream).text();
}

const unescape = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp|#x?[0-9a-f]+);/gi, (_m, k: string) =>
    k === 'lt' ? '<' : k === 'gt' ? '>' : k === 'quot' ? '"' : k === 'apos' ? "'" : k === 'amp' ? '&'
      : String.fromCodePoint(k[1] === 'x' || k[1] === 'X' ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10)));

const texts = (xml: string) => [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => unescape(m[1])).join('');

/** Column index from a cell reference: A1 -> 0, AB7 -> 27. */
function columnOf(ref: string): number {
  let n = 0;
  for (const ch of ref.replace(/\d+$/, '')) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** The first non-empty row of the first worksheet, as trimmed strings (gaps between cells become ''). */
export async function xlsxHeader(bytes: Uint8Array): Promise<string[]> {
  const all = entries(bytes);
  const sheets = all.filter((e) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name))
    .sort((a, b) => Number(a.name.match(/\d+/)![0]) - Number(b.name.match(/\d+/)![0]));
  if (!sheets.length) throw new XlsxError('the workbook has no worksheet');
  const sharedEntry = all.find((e) => e.name === 'xl/sharedStrings.xml');
  const shared = sharedEntry ? [...(await readEntry(bytes, sharedEntry)).matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => texts(m[1])) : [];
  const sheet = await readEntry(bytes, sheets[0]);
  for (const row of sheet.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)) {
    const out: string[] = [];
    for (const c of row[1].matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = c[1];
      const ref = attrs.match(/\br="([A-Z]+\d+)"/)?.[1];
      const type = attrs.match(/\bt="(\w+)"/)?.[1];
      const body = c[2] ?? '';
      const v = body.match(/<v>([\s\S]*?)<\/v>/)?.[1];
      const value = type === 's' ? shared[Number(v)] ?? '' : type === 'inlineStr' ? texts(body) : unescape(v ?? '');
      out[ref ? columnOf(ref) : out.length] = value.trim();
    }
    const filled = Array.from(out, (v) => v ?? '');
    if (filled.some((v) => v !== '')) return filled;
  }
  throw new XlsxError('the first worksheet is empty');
}

/** Zip files start with "PK": how an .xlsx is told from a CSV whatever its name says. */
export const isXlsx = (bytes: Uint8Array) => bytes[0] === 0x50 && bytes[1] === 0x4b;
