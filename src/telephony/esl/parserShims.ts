/**
 * Two changes to drachtio-modesl's frame parser, installed per connection:
 * - header values are decoded with a decode that cannot throw (englercj/node-esl#59: a
 *   malformed `%` otherwise throws inside the socket data handler and kills the process);
 * - JSON events become a light event over the parsed object. The library's Event adds each
 *   header with a linear search for duplicates, which is quadratic on ~120-header channel events
 *   and was the largest cost at the edge (bench/esl.bench.ts).
 * Framing (buffering, Content-Length) stays the library's.
 */
import type { EslParser } from 'drachtio-modesl';
import type { EslHeaders, RawEslEvent } from './normalize.ts';
import { safeDecode } from './urlcode.ts';

export function safeParseHeaderText(text: string): Record<string, string | number> {
  const headers: Record<string, string | number> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(': ');
    const key = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : safeDecode(line.slice(i + 2));
    headers[key] = key === 'Content-Length' ? parseInt(value, 10) : value;
  }
  return headers;
}

/** A text/event-json event: the parsed object is the header record. */
export class JsonEvent implements RawEslEvent {
  readonly record: EslHeaders;
  readonly type: string;

  constructor(record: Record<string, unknown>) {
    // No copy: FreeSWITCH JSON values are strings; the rare array header (ARRAY::) is joined on demand.
    this.record = record as EslHeaders;
    this.type = (record['Event-Name'] as string) ?? '';
  }

  get headers(): Array<{ name: string; value: string }> {
    return Object.entries(this.record).filter(([k]) => k !== '_body').map(([name, value]) => ({ name, value: value ?? '' }));
  }

  getHeader(name: string): string | null {
    const v = name === '_body' ? undefined : (this.record[name] as unknown);
    if (v === undefined) return null;
    return Array.isArray(v) ? v.join('|') : (v as string);
  }

  getBody(): string {
    return this.record._body ?? '';
  }

  getType(): string {
    return this.type;
  }
}

type ParserInternals = EslParser & {
  _parseEvent(headers: Record<string, unknown>, body?: string): void;
  emit(event: string, ...args: unknown[]): boolean;
};

export function installParserShims(parser: EslParser): void {
  const p = parser as ParserInternals;
  p._parseHeaderText = safeParseHeaderText;
  const original = p._parseEvent.bind(p);
  p._parseEvent = (headers, body) => {
    if (headers['Content-Type'] !== 'text/event-json' || body === undefined) return original(headers, body);
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(body);
    } catch {
      // The library would report a parser error and drop the connection; one bad event is not worth that.
      return;
    }
    p.emit('esl::event', new JsonEvent(data), headers, body);
  };
}
