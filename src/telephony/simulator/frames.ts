/** Server-to-client ESL frames, byte for byte as mod_event_socket writes them. */
import { fsUrlEncode } from '../esl/urlcode.ts';

export type HeaderValue = string | string[];

/** One fired event: headers in firing order, an optional raw body. */
export interface SimEvent {
  name: string;
  subclass?: string;
  headers: Array<[string, HeaderValue]>;
  body?: string;
}

export type EventFormat = 'plain' | 'json';

export const AUTH_REQUEST = 'Content-Type: auth/request\n\n';
export const DISCONNECT_BODY = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n';
export const SHUTDOWN_BODY = 'The system is being shut down.\n';

export function commandReply(text: string): string {
  return `Content-Type: command/reply\nReply-Text: ${text}\n\n`;
}

/** `~` replies: the raw header block follows Content-Type (bgapi, userauth). */
export function rawCommandReply(headerBlock: string): string {
  return `Content-Type: command/reply\n${headerBlock}`;
}

export function apiResponse(body: string): string {
  return `Content-Type: api/response\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}`;
}

export function disconnectNotice(body = DISCONNECT_BODY, extra = ''): string {
  return `Content-Type: text/disconnect-notice\n${extra}Content-Length: ${Buffer.byteLength(body)}\n\n${body}`;
}

function plainValue(v: HeaderValue): string {
  if (Array.isArray(v)) return 'ARRAY::' + v.map(fsUrlEncode).join('|:');
  return fsUrlEncode(v);
}

/** switch_event_serialize(encode=TRUE): `Name: value\n` lines, then `\n` or an inner Content-Length and raw body. */
export function serializePlain(ev: SimEvent): string {
  let payload = '';
  for (const [k, v] of ev.headers) payload += `${k}: ${plainValue(v)}\n`;
  if (ev.body !== undefined && ev.body !== '') payload += `Content-Length: ${Buffer.byteLength(ev.body)}\n\n${ev.body}`;
  else payload += '\n';
  return payload;
}

export function serializeJson(ev: SimEvent): string {
  const obj: Record<string, string | string[]> = {};
  for (const [k, v] of ev.headers) obj[k] = v;
  if (ev.body !== undefined && ev.body !== '') {
    obj['Content-Length'] = String(Buffer.byteLength(ev.body));
    obj._body = ev.body;
  }
  return JSON.stringify(obj);
}

export function eventFrame(ev: SimEvent, format: EventFormat): string {
  const payload = format === 'json' ? serializeJson(ev) : serializePlain(ev);
  const type = format === 'json' ? 'text/event-json' : 'text/event-plain';
  return `Content-Length: ${Buffer.byteLength(payload)}\nContent-Type: ${type}\n\n${payload}`;
}

export function header(ev: SimEvent, name: string): string | undefined {
  const h = ev.headers.find(([k]) => k === name);
  if (!h) return undefined;
  return Array.isArray(h[1]) ? h[1].join('|') : h[1];
}
