/**
 * Client-to-server packet reader, as read_packet() in mod_event_socket.c:
 * a command line, optional `Name: value` headers, a blank line, then Content-Length body bytes.
 * CR is ignored; bare leading blank lines are skipped.
 */

export interface Packet {
  command: string;
  headers: Record<string, string>;
  body?: string;
}

export const MAX_CONTENT_LENGTH = 16 * 1024 * 1024;

export class CommandParser {
  private buf: Buffer = Buffer.alloc(0);
  private pending: Packet | undefined;
  private bodyLen = 0;

  /** Feed bytes; returns every packet completed by them, in order. */
  push(chunk: Buffer): Packet[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Packet[] = [];
    for (;;) {
      if (this.pending) {
        if (this.buf.length < this.bodyLen) break;
        this.pending.body = this.buf.subarray(0, this.bodyLen).toString('utf8');
        this.buf = this.buf.subarray(this.bodyLen);
        out.push(this.pending);
        this.pending = undefined;
        continue;
      }
      while (this.buf.length > 0 && (this.buf[0] === 0x0a || this.buf[0] === 0x0d)) this.buf = this.buf.subarray(1);
      const end = findBlankLine(this.buf);
      if (end < 0) break;
      const text = this.buf.subarray(0, end).toString('utf8').replace(/\r/g, '');
      this.buf = this.buf.subarray(end + 1);
      const packet = parseHead(text);
      const len = Number(packet.headers['Content-Length'] ?? 0);
      if (len > 0 && len <= MAX_CONTENT_LENGTH) {
        this.pending = packet;
        this.bodyLen = len;
      } else out.push(packet);
    }
    return out;
  }

  /** True while a partial command is buffered (FreeSWITCH holds events back then). */
  get partial(): boolean {
    return this.pending !== undefined || this.buf.length > 0;
  }
}

/** Index where the header block ends: two LFs, ignoring CRs between them. */
function findBlankLine(buf: Buffer): number {
  let lfs = 0;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b === 0x0a) {
      lfs++;
      if (lfs === 2) return i;
    } else if (b !== 0x0d) lfs = 0;
  }
  return -1;
}

function parseHead(text: string): Packet {
  const lines = text.split('\n').filter((l) => l !== '');
  const command = lines.shift() ?? '';
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return { command, headers };
}
