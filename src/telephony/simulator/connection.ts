/**
 * One inbound ESL client. Commands run strictly one at a time; events wait while a
 * command runs or a partial command is buffered, so a reply always precedes the events it caused.
 */
import { randomUUID } from 'node:crypto';
import type net from 'node:net';
import { runApi } from './apis.ts';
import type { Channel } from './channel.ts';
import { CommandParser, type Packet } from './commandParser.ts';
import { AUTH_REQUEST, apiResponse, commandReply, disconnectNotice, type EventFormat, eventFrame, rawCommandReply, type SimEvent } from './frames.ts';
import { bgapi, sendmsg } from './sendmsg.ts';
import { type OutboundMode, outboundCommand } from './outbound.ts';
import { MYEVENTS, Subscriptions } from './subscriptions.ts';
import type { Switch } from './switch.ts';

export interface Faults {
  /** Destroy the socket when the next `api` command arrives, before replying. */
  dropNextApi: boolean;
  /** Split every write into chunks of this many bytes (0 = off). */
  chunkSize: number;
  /** Send every event frame twice. */
  duplicateEvents: boolean;
}

export interface ConnectionOptions {
  authTimeoutMs?: number;
  outbound?: OutboundMode;
  /** Events held for a busy connection before it starts losing them (MAX_QUEUE_LEN). */
  maxQueue?: number;
  /** Lost events after which the listener is killed (MAX_MISSED). */
  maxMissed?: number;
}

export interface Outcome {
  reply?: string;
  after?: () => void;
  close?: boolean;
}

export class SimConnection {
  readonly socket: net.Socket;
  readonly subs = new Subscriptions();
  format: EventFormat = 'plain';
  authed = false;
  lingerSec?: number;
  private readonly sw: Switch;
  private readonly password: string;
  private readonly faults: Faults;
  private readonly parser = new CommandParser();
  private readonly inbox: Packet[] = [];
  private readonly held: string[] = [];
  private busy = false;
  private closed = false;
  private readonly unsubscribe: () => void;
  private readonly onHangup: (ch: Channel) => void;
  private writeChain: Promise<void> = Promise.resolve();
  private readonly maxQueue: number;
  private readonly maxMissed: number;
  private missed = 0;

  /** The channel this socket controls: outbound sockets, or inbound after `myevents <uuid>`. */
  sessionUuid?: string;
  /** Set on sockets the switch opened to an engine (dialplan `socket host:port async full`). */
  readonly outbound?: OutboundMode;

  constructor(sw: Switch, socket: net.Socket, password: string, faults: Faults, opts: ConnectionOptions = {}) {
    this.sw = sw;
    this.socket = socket;
    this.password = password;
    this.faults = faults;
    this.unsubscribe = sw.onEvent((ev) => this.offer(ev));
    this.onHangup = (ch) => this.channelGone(ch);
    sw.hangupListeners.add(this.onHangup);
    socket.on('data', (chunk: Buffer) => {
      this.inbox.push(...this.parser.push(chunk));
      void this.pump();
    });
    socket.on('close', () => this.dispose());
    socket.on('error', () => this.dispose());
    this.outbound = opts.outbound;
    this.maxQueue = opts.maxQueue ?? 100_000;
    this.maxMissed = opts.maxMissed ?? 500;
    if (this.outbound) {
      // Outbound sockets are pre-authenticated and bound to their channel.
      this.authed = true;
      this.sessionUuid = this.outbound.uuid;
      return;
    }
    this.write(AUTH_REQUEST);
    // FreeSWITCH waits about 25 s for auth, then drops the socket.
    const authTimer = setTimeout(() => !this.authed && this.close('fin'), opts.authTimeoutMs ?? 25_000);
    socket.on('close', () => clearTimeout(authTimer));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  offer(ev: SimEvent): void {
    if (!this.authed || this.closed || !this.subs.matches(ev)) return;
    if (this.held.length >= this.maxQueue) {
      // A client that cannot keep up loses events, then is dropped.
      if (++this.missed > this.maxMissed) this.close('fin', disconnectNotice('killed listener because of lost events\n'));
      return;
    }
    const frame = eventFrame(ev, this.format);
    this.held.push(frame);
    if (this.faults.duplicateEvents) this.held.push(frame);
    this.flush();
  }

  /** Send raw bytes (fault injection: malformed frames). */
  sendRaw(text: string): void {
    this.write(text);
  }

  close(kind: 'fin' | 'rst' = 'fin', notice?: string): void {
    if (this.closed) return;
    if (notice) this.write(notice);
    void this.writeChain.then(() => (kind === 'rst' ? this.socket.resetAndDestroy() : this.socket.end()));
    this.dispose();
  }

  private dispose(): void {
    this.closed = true;
    this.unsubscribe();
    this.sw.hangupListeners.delete(this.onHangup);
  }

  private flush(): void {
    if (this.busy || this.parser.partial || this.closed) return;
    while (this.held.length) this.write(this.held.shift()!);
  }

  private write(text: string): void {
    const size = this.faults.chunkSize;
    if (!size) {
      if (!this.socket.destroyed) this.socket.write(text);
      return;
    }
    const buf = Buffer.from(text);
    for (let i = 0; i < buf.length; i += size) {
      const part = buf.subarray(i, i + size);
      this.writeChain = this.writeChain.then(() => new Promise((r) => setImmediate(() => (this.socket.destroyed ? r() : this.socket.write(part, () => r())))));
    }
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    while (this.inbox.length && !this.closed) {
      this.busy = true;
      const packet = this.inbox.shift()!;
      let out: Outcome;
      try {
        out = await this.handle(packet);
      } catch (err) {
        out = { reply: commandReply(`-ERR ${(err as Error).message}`) };
      }
      if (this.closed) return;
      if (out.reply) this.write(out.reply);
      this.busy = false;
      out.after?.();
      this.flush();
      if (out.close) this.close('fin', disconnectNotice());
    }
    this.busy = false;
    this.flush();
  }

  private async handle(p: Packet): Promise<Outcome> {
    const [verb = '', ...words] = p.command.trim().split(/\s+/);
    const cmd = verb.toLowerCase();
    const rest = p.command.trim().slice(verb.length).trim();
    if (cmd === 'exit' || cmd === '...') return { reply: commandReply('+OK bye'), close: true };
    if (this.outbound) {
      const out = outboundCommand(this, this.sw, cmd, words);
      if (out) return out;
    }
    if (!this.authed) {
      if (cmd === 'auth') {
        if (rest === this.password) {
          this.authed = true;
          return { reply: commandReply('+OK accepted') };
        }
        return { reply: commandReply('-ERR invalid'), close: true };
      }
      if (cmd === 'userauth') {
        if (rest.slice(rest.indexOf(':') + 1) !== this.password) return { reply: commandReply('-ERR invalid'), close: true };
        this.authed = true;
        return { reply: rawCommandReply('Reply-Text: +OK accepted\nAllowed-Events: ALL\nAllowed-API: ALL\nAllowed-LOG: true\n\n') };
      }
      return { reply: commandReply('-ERR command not found') };
    }
    switch (cmd) {
      case 'api':
        if (this.faults.dropNextApi) {
          this.faults.dropNextApi = false;
          this.socket.resetAndDestroy();
          this.dispose();
          return {};
        }
        return { reply: apiResponse(await runApi(this.sw, rest)) };
      case 'bgapi':
        return bgapi(this.sw, rest, p.headers['Job-UUID']);
      case 'event':
        return this.event(words);
      case 'nixevent':
        if (!words.length) return { reply: commandReply('-ERR no keywords supplied') };
        this.subs.remove(words);
        return { reply: commandReply('+OK events nixed') };
      case 'noevents':
        if (!this.subs.any) return { reply: commandReply('-ERR not listening for events') };
        this.subs.clear();
        return { reply: commandReply('+OK no longer listening for events') };
      case 'filter':
        return { reply: commandReply(this.subs.filterCommand(words)) };
      case 'myevents':
        return { reply: commandReply(this.myevents(words)) };
      case 'linger':
        if (!this.sessionUuid) return { reply: commandReply('-ERR not controlling a session') };
        this.lingerSec = words[0] ? Number(words[0]) : -1;
        return { reply: commandReply(words[0] ? `+OK will linger ${words[0]} seconds` : '+OK will linger') };
      case 'nolinger':
        if (!this.sessionUuid) return { reply: commandReply('-ERR not controlling a session') };
        this.lingerSec = undefined;
        return { reply: commandReply('+OK will not linger') };
      case 'divert_events':
        if (!this.sessionUuid) return { reply: commandReply('-ERR not controlling a session.') };
        return { reply: commandReply(words[0] === 'on' ? '+OK events diverted' : '+OK events not diverted') };
      case 'sendmsg':
        return sendmsg(this.sw, words[0] ?? this.sessionUuid, p);
      case 'sendevent': {
        const id = randomUUID();
        const name = (words[0] ?? 'CUSTOM').toUpperCase();
        const headers = Object.entries(p.headers).filter(([k]) => k !== 'Content-Length');
        return { reply: commandReply(`+OK ${id}`), after: () => this.sw.fire(name, [...headers, ['Event-UUID', id]], p.body, p.headers['Event-Subclass']) };
      }
      case 'log':
        return { reply: commandReply(`+OK log level ${words[0] ?? 'debug'} [7]`) };
      case 'nolog':
        return { reply: commandReply('+OK no longer logging') };
      default:
        return { reply: commandReply('-ERR command not found') };
    }
  }

  private event(words: string[]): Outcome {
    let format = 'plain';
    if (['plain', 'json', 'xml'].includes(words[0]?.toLowerCase())) format = words.shift()!.toLowerCase();
    if (!words.length) return { reply: commandReply('-ERR no keywords supplied') };
    // XML framing is not simulated; such clients get plain frames.
    this.format = format === 'json' ? 'json' : 'plain';
    this.subs.add(words);
    return { reply: commandReply(`+OK event listener enabled ${format}`) };
  }

  private myevents(words: string[]): string {
    if (this.subs.boundUuid) return '-ERR aready enabled.';
    const [uuid, fmt] = words;
    if (!uuid || !this.sw.channels.has(uuid)) return '-ERR invalid uuid';
    this.subs.boundUuid = uuid;
    this.sessionUuid = uuid;
    this.subs.clear();
    this.subs.add(MYEVENTS);
    this.format = fmt === 'json' ? 'json' : 'plain';
    return '+OK Events Enabled';
  }

  /** A session-bound (myevents) connection closes when its channel ends, unless it lingers. */
  private channelGone(ch: Channel): void {
    if (this.sessionUuid !== ch.uuid || this.closed) return;
    const bound = `Controlled-Session-UUID: ${ch.uuid}\n`;
    setImmediate(() => {
      if (this.lingerSec === undefined) return this.close('fin', disconnectNotice(undefined, `${bound}Content-Disposition: disconnect\n`));
      this.write(`Content-Type: text/disconnect-notice\n${bound}Content-Disposition: linger\nChannel-Name: ${ch.name}\nLinger-Time: ${this.lingerSec}\nContent-Length: 0\n\n`);
      if (this.lingerSec >= 0) this.sw.clock.after(this.lingerSec * 1000, () => this.close('fin', disconnectNotice(undefined, `${bound}Content-Disposition: disconnect\n`)));
    });
  }
}
