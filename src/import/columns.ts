import { ImportFileError } from './rows.ts';

/** Header words that mark the phone column, in order of preference (matched case-insensitively). */
export const PHONE_HEADERS = ['phone', 'mobile', 'tel', '电话', '手机', '号码'];
const NAME_HEADERS = ['name', '姓名', '客户姓名', '客户名称', '联系人', '名字'];

export interface ColumnMapping {
  /** Header of the phone column; found by name when not given. */
  phone?: string;
  /** Header of the customer name column; found by name when not given, optional. */
  name?: string;
  /** Header → custom field name; columns not listed keep their header as the field name. */
  rename?: Record<string, string>;
  /** Headers to leave out of the custom fields. */
  ignore?: string[];
}

export interface ResolvedColumns {
  phone: number;
  name?: number;
  /** Column index → field name, for every other column with a header. */
  fields: Map<number, string>;
}

const norm = (s: string) => s.normalize('NFKC').trim().toLowerCase();

function find(headers: string[], wanted: string[]): number | undefined {
  const hs = headers.map(norm);
  for (const w of wanted) {
    const exact = hs.indexOf(w);
    if (exact >= 0) return exact;
  }
  // "手机号码", "联系电话", "Mobile Phone", "tel." — a header that contains one of the words.
  for (const w of wanted) {
    const i = hs.findIndex((h) => h.includes(w));
    if (i >= 0) return i;
  }
  return undefined;
}

function byName(headers: string[], name: string, what: string): number {
  const i = headers.map(norm).indexOf(norm(name));
  if (i < 0) {
    throw new ImportFileError('COLUMN_NOT_FOUND', `no ${what} column named "${name}"; the columns are: ${headers.filter(Boolean).join(', ')} / 找不到列 "${name}"`);
  }
  return i;
}

export function resolveColumns(headers: string[], mapping: ColumnMapping = {}): ResolvedColumns {
  const phone = mapping.phone !== undefined ? byName(headers, mapping.phone, 'phone') : find(headers, PHONE_HEADERS);
  if (phone === undefined) {
    throw new ImportFileError(
      'PHONE_COLUMN_NOT_FOUND',
      `no phone column: name one with --phone-column, or use a header such as ${PHONE_HEADERS.join(', ')}; the columns are: ${headers.filter(Boolean).join(', ')} / 找不到电话列`,
    );
  }
  let name = mapping.name !== undefined ? byName(headers, mapping.name, 'name') : find(headers, NAME_HEADERS);
  if (name === phone) name = undefined;
  const ignore = new Set((mapping.ignore ?? []).map(norm));
  const fields = new Map<number, string>();
  headers.forEach((h, i) => {
    if (i === phone || i === name || !h || ignore.has(norm(h))) return;
    fields.set(i, mapping.rename?.[h] ?? h);
  });
  return { phone, name, fields };
}
