import { sql, type CommonQueryMethods, type IdentifierSqlToken } from 'slonik';
import { DomainError } from '../../../domain/decider.ts';
import { toE164 } from '../../../domain/phone/index.ts';

/** Every query reads the live schema by default, or an as-of schema built by `buildAsOf`. */
export interface ReadOptions {
  schema?: string;
}

export type Db = CommonQueryMethods;

export class QueryInputError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export function tableIn(opts: ReadOptions | undefined, name: string): IdentifierSqlToken {
  const schema = opts?.schema ?? 'rm';
  if (!/^(rm|asof_[a-f0-9]{10})$/.test(schema)) throw new QueryInputError('BAD_SCHEMA', `not a read-model schema: ${schema}`);
  return sql.identifier([schema, name]);
}

export interface Page<T> {
  items: T[];
  /** Pass as `after` to get the next page; absent on the last page. */
  endCursor?: string;
  hasNextPage: boolean;
}

export interface PageArgs {
  /** Page size, 1..500 (default 50). */
  first?: number;
  after?: string;
}

export function pageSize(args: PageArgs): number {
  const n = args.first ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new QueryInputError('BAD_PAGE_SIZE', `first must be a whole number from 1 to 500, got ${n}`);
  return n;
}

/** Opaque cursor: the sort value and the key of the last row, so pages stay stable while rows are added. */
export function encodeCursor(sortValue: string | number | null, key: string): string {
  return Buffer.from(JSON.stringify([sortValue, key])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { sortValue: string | number | null; key: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [sortValue, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof key !== 'string') throw new Error('no key');
    return { sortValue, key };
  } catch {
    throw new QueryInputError('BAD_CURSOR', 'the cursor is not one this API gave out');
  }
}

/** Fetches one extra row to know whether there is a next page. */
export function toPage<R, T>(rows: readonly R[], size: number, map: (r: R) => T, cursorOf: (r: R) => string): Page<T> {
  const items = rows.slice(0, size);
  const hasNextPage = rows.length > size;
  return { items: items.map(map), hasNextPage, endCursor: hasNextPage && items.length ? cursorOf(items[items.length - 1]) : undefined };
}

/** Accepts a number as typed by an agent (Chinese formats included) and returns E.164. */
export function e164(raw: string): string {
  const r = toE164(raw);
  if (r instanceof DomainError) throw new QueryInputError(r.code, r.reason);
  return r;
}

export function isoInstant(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new QueryInputError('BAD_INSTANT', `${name} must be an ISO-8601 instant, got "${value}"`);
  return new Date(t).toISOString();
}

/** Hour buckets are 'YYYY-MM-DDTHH' in UTC; a period [from, to) covers the hours it touches. */
export function hourRange(from: string, to: string): { fromHour: string; toHour: string } {
  const f = isoInstant(from, 'from')!;
  const t = isoInstant(to, 'to')!;
  if (t <= f) throw new QueryInputError('BAD_PERIOD', `the period ends (${to}) before it starts (${from})`);
  // the hour containing `to` counts only when `to` is past its start
  const toHour = new Date(Math.ceil(Date.parse(t) / 3_600_000) * 3_600_000).toISOString().slice(0, 13);
  return { fromHour: f.slice(0, 13), toHour };
}

/** Sums a set of counter rows `{ counters }` into one object. */
export function sumCounters(rows: readonly { counters: Record<string, number> }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) for (const [k, v] of Object.entries(r.counters)) out[k] = (out[k] ?? 0) + Number(v);
  return out;
}

export function prefixed(counters: Record<string, number>, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(counters)) if (k.startsWith(prefix) && v) out[k.slice(prefix.length)] = v;
  return out;
}

export const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
