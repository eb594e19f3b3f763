/** A raw TCP ESL client for golden tests: no library, just the framing rules. */
import net from 'node:net';

export interface Frame {
  headers: Record<string, string>;
  body: string;
  /** Event headers (decoded) for text/event-plain and text/event-json frames, in wire order. */
  event?: Array<[string, string]>;
  raw: string;
}

export class RawClient {
  readonly frames: Frame[] = [];
  private buf = Buffer.alloc(0);
  private readonly socket: net.Socket;
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.parse();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ port, host: '127.0.0.1' }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  send(text: string): void {
    this.socket.write(text);
  }

  end(): void {
    this.socket.destroy();
  }

  /** Wait for the first frame (from index `from`) matching `pred`; returns its index and frame. */
  async waitFor(pred: (f: Frame) => boolean, timeoutMs = 3000, from = 0): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = this.frames.slice(from).find(pred);
      if (f) return f;
      if (this.closed) throw new Error('socket closed while waiting');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for frame');
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  async command(text: string): Promise<Frame> {
    const n = this.frames.length;
    this.send(text);
    return this.waitFor((f) => f.headers['Content-Type'] === 'command/reply' || f.headers['Content-Type'] === 'api/response', 3000, n);
  }

  eventNames(): string[] {
    return this.frames.filter((f) => f.event).map((f) => eventHeader(f, 'Event-Name')!);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  private parse(): void {
    for (;;) {
      const end = this.buf.indexOf('\n\n');
      if (end < 0) return;
      const head = this.buf.subarray(0, end).toString('utf8');
      const headers: Record<string, string> = {};
      for (const line of head.split('\n')) {
        const i = line.indexOf(': ');
        if (i > 0) headers[line.slice(0, i)] = line.slice(i + 2);
      }
      const len = Number(headers['Content-Length'] ?? 0);
      if (this.buf.length < end + 2 + len) return;
      const body = this.buf.subarray(end + 2, end + 2 + len).toString('utf8');
      const raw = this.buf.subarray(0, end + 2 + len).toString('utf8');
      this.buf = this.buf.subarray(end + 2 + len);
      const frame: Frame = { headers, body, raw };
      if (headers['Content-Type'] === 'text/event-plain') frame.event = parsePlain(body);
      if (headers['Content-Type'] === 'text/event-json') frame.event = Object.entries(JSON.parse(body)).map(([k, v]) => [k, String(v)]);
      this.frames.push(frame);
      this.wake();
    }
  }
}

function parsePlain(payload: string): Array<[string, string]> {
  const end = payload.indexOf('\n\n');
  const out: Array<[string, string]> = [];
  for (const line of payload.slice(0, end < 0 ? undefined : end).split('\n')) {
    const i = line.indexOf(': ');
    if (i > 0) out.push([line.slice(0, i), decodeURIComponent(line.slice(i + 2))]);
  }
  if (end >= 0 && payload.length > end + 2) out.push(['_body', payload.slice(end + 2)]);
  return out;
}

export function eventHeader(f: Frame, name: string): string | undefined {
  return f.event?.find(([k]) => k === name)?.[1];
}
