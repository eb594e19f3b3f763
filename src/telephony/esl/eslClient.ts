/**
 * Inbound ESL client: drachtio-modesl for framing, our own rules for everything its
 * known bugs touch (research note §4): no execute(), no library reconnect, a timeout on
 * every command, pending work failed on close, CUSTOM subscribed separately, safe % decoding.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import esl, { type Connection } from 'drachtio-modesl';
import { EslAuthError, EslCommandError, EslDisconnectedError } from './errors.ts';
import type { LiveChannel, TelephonyFact } from './facts.ts';
import { Inflight, KeyedWaiters } from './inflight.ts';
import { FactDeduper, headersOf, normalize, type RawEslEvent } from './normalize.ts';
import { installParserShims } from './parserShims.ts';

export interface EslClientOptions {
  host: string;
  port: number;
  password: string;
  commandTimeoutMs?: number;
  /** How long a bgapi job or a sendmsg application may take before we give up on it. */
  jobTimeoutMs?: number;
  backoff?: { initialMs: number; maxMs: number; factor: number };
  events?: string[];
  customSubclasses?: string[];
}

export const FACT_EVENTS = [
  'CHANNEL_CREATE', 'CHANNEL_PROGRESS', 'CHANNEL_PROGRESS_MEDIA', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_UNBRIDGE',
  'CHANNEL_HOLD', 'CHANNEL_UNHOLD', 'CHANNEL_PARK', 'CHANNEL_HANGUP', 'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_DESTROY',
  'CHANNEL_EXECUTE_COMPLETE', 'DTMF', 'RECORD_START', 'RECORD_STOP', 'PLAYBACK_START', 'PLAYBACK_STOP',
  'MEDIA_BUG_START', 'MEDIA_BUG_STOP', 'BACKGROUND_JOB', 'HEARTBEAT',
];
export const FACT_SUBCLASSES = ['avmd::beep', 'avmd::stop', 'amd::info', 'mod_amd::info'];

export interface EslClientEvents {
  fact: [TelephonyFact];
  /** Connected and subscribed; `channels` is the switch's live channel list for reconciliation. */
  ready: [{ reconnect: boolean; channels: LiveChannel[] }];
  disconnected: [Error | undefined];
  error: [Error];
}

export class EslClient extends EventEmitter<EslClientEvents> {
  readonly options: Required<EslClientOptions>;
  private conn?: Connection;
  private connected = false;
  private closed = false;
  private attempt = 0;
  private everReady = false;
  private retryTimer?: NodeJS.Timeout;
  private readonly inflight = new Inflight();
  private readonly jobs = new KeyedWaiters(this.inflight);
  private readonly apps = new KeyedWaiters(this.inflight);
  private readonly filters: Array<[string, string]> = [];
  private readonly dedupe = new FactDeduper();

  constructor(options: EslClientOptions) {
    super();
    this.options = {
      commandTimeoutMs: 5_000, jobTimeoutMs: 120_000, backoff: { initialMs: 100, maxMs: 10_000, factor: 2 },
      events: FACT_EVENTS, customSubclasses: FACT_SUBCLASSES, ...options,
    };
  }

  /** Connect and resolve once subscribed; later drops reconnect on their own. */
  static async connect(options: EslClientOptions): Promise<EslClient> {
    const client = new EslClient(options);
    await client.start();
    return client;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onReady = () => {
        this.off('error', onError);
        resolve();
      };
      const onError = (err: Error) => {
        if (err instanceof EslAuthError) {
          this.off('ready', onReady);
          reject(err);
        }
      };
      this.once('ready', onReady);
      this.on('error', onError);
      this.open();
    });
  }

  get isConnected(): boolean {
    return this.connected;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.teardown(new EslDisconnectedError('close'));
  }

  /** `api <command>`; resolves with the body, rejects with EslCommandError on -ERR. */
  async api(command: string): Promise<string> {
    const body = await this.call<string>(`api ${command}`, this.options.commandTimeoutMs, (conn, done) => conn.api(command, (ev) => done(ev.getBody())));
    if (/^-(ERR|USAGE)/.test(body)) throw new EslCommandError(command, body.trim());
    return body;
  }

  /** `bgapi` with our own Job-UUID; resolves with the BACKGROUND_JOB body (which may be -ERR). */
  bgapi(command: string, jobId: string = randomUUID()): Promise<string> {
    const wait = this.jobs.wait(jobId, `bgapi ${command}`, this.options.jobTimeoutMs);
    return this.sendThenWait(`bgapi ${command}`, { 'Job-UUID': jobId }, wait, command);
  }

  /**
   * Run a dialplan application with sendmsg and wait for its CHANNEL_EXECUTE_COMPLETE,
   * matched by the Event-UUID we chose (never the library's execute(), see research §4.5).
   * Applications such as park never complete while the call lives: pass wait=false for those.
   */
  async execute(callId: string, app: string, arg = '', wait = true): Promise<string> {
    const appId = randomUUID();
    const headers: Record<string, string> = { 'call-command': 'execute', 'execute-app-name': app, 'Event-UUID': appId };
    if (arg) headers['execute-app-arg'] = arg;
    if (!wait) {
      const reply = await this.sendRecv(`sendmsg ${callId}`, headers);
      if (!reply.startsWith('+OK')) throw new EslCommandError(`sendmsg ${app}`, reply);
      return '';
    }
    const done = this.apps.wait(appId, `execute ${app}`, this.options.jobTimeoutMs);
    return this.sendThenWait(`sendmsg ${callId}`, headers, done, `sendmsg ${app}`);
  }

  private async sendThenWait(command: string, headers: Record<string, string>, wait: { result: Promise<string>; cancel: () => void }, label: string): Promise<string> {
    let reply: string;
    try {
      reply = await this.sendRecv(command, headers);
    } catch (err) {
      wait.cancel();
      throw err;
    }
    if (!reply.startsWith('+OK')) {
      wait.cancel();
      throw new EslCommandError(label, reply);
    }
    return wait.result;
  }

  /** Add a filter now and after every reconnect. */
  async addFilter(header: string, value: string): Promise<void> {
    const first = this.filters.length === 0;
    this.filters.push([header, value]);
    if (!this.connected) return;
    if (first) await this.sendPassFilters();
    await this.sendRecv(`filter ${header} ${value}`);
  }

  /**
   * Once any filter exists FreeSWITCH drops every event no filter matches, including the
   * job results and application completions this client waits on, and the heartbeat.
   */
  private async sendPassFilters(): Promise<void> {
    for (const name of ['BACKGROUND_JOB', 'CHANNEL_EXECUTE_COMPLETE', 'HEARTBEAT']) await this.sendRecv(`filter Event-Name ${name}`);
  }

  /** `show channels as json`, used to reconcile live calls after a reconnect. */
  async listChannels(): Promise<LiveChannel[]> {
    const body = await this.api('show channels as json');
    const parsed = JSON.parse(body) as { row_count: number; rows?: Array<Record<string, string>> };
    return (parsed.rows ?? []).map((r) => ({
      callId: r.uuid, name: r.name, direction: r.direction, state: r.state, callState: r.callstate,
      createdEpoch: Number(r.created_epoch), destination: r.dest || undefined, callerNumber: r.cid_num || undefined,
    }));
  }

  sendRecv(command: string, headers: Record<string, string> | null = null): Promise<string> {
    return this.call(command.split('\n')[0], this.options.commandTimeoutMs, (conn, done) =>
      conn.sendRecv(command, headers, (ev) => done(ev.getHeader('Reply-Text') ?? '')),
    );
  }

  private call<T>(what: string, timeoutMs: number, send: (conn: Connection, done: (v: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (!this.connected || !this.conn) return reject(new EslDisconnectedError(what));
      // A reply that never comes leaves the library's FIFO reply queue misaligned, so the
      // connection is rebuilt rather than risk the next reply going to the wrong caller.
      const p = this.inflight.add(what, timeoutMs, reject, (err) => this.teardown(err));
      send(this.conn, (v) => {
        if (!this.inflight.has(p)) return;
        this.inflight.remove(p);
        resolve(v);
      });
    });
  }

  private open(): void {
    if (this.closed) return;
    const { host, port, password } = this.options;
    const conn = new esl.Connection(host, port, password);
    // Stop the library's own reconnect (it storms at 1 ms when the first connect fails).
    conn.reconnectOpts.maxAttempts = 1;
    conn.reconnectVars.attempts = 1;
    this.conn = conn;
    conn.on('esl::connect', () => {
      if (conn.parser) installParserShims(conn.parser);
    });
    conn.on('esl::ready', () => void this.onReady(conn));
    conn.on('esl::event::auth::fail', () => {
      // A wrong password will not fix itself: stop retrying and say so.
      this.closed = true;
      if (this.listenerCount('error') > 0) this.emit('error', new EslAuthError());
    });
    conn.on('esl::event::**', (ev: RawEslEvent, headers: Record<string, unknown>) => {
      const type = headers?.['Content-Type'];
      if (type === 'text/event-json' || type === 'text/event-plain') this.onEvent(ev);
    });
    conn.on('esl::end', () => this.onGone(conn));
    conn.on('error', (err: Error) => this.onGone(conn, err));
  }

  private async onReady(conn: Connection): Promise<void> {
    if (conn !== this.conn) return;
    this.connected = true;
    try {
      await this.sendRecv(`event json ${this.options.events.join(' ')}`);
      // CUSTOM in its own command: every token after CUSTOM is taken as a subclass.
      if (this.options.customSubclasses.length) await this.sendRecv(`event json CUSTOM ${this.options.customSubclasses.join(' ')}`);
      if (this.filters.length) await this.sendPassFilters();
      for (const [h, v] of this.filters) await this.sendRecv(`filter ${h} ${v}`);
      const channels = await this.listChannels();
      const reconnect = this.everReady;
      this.everReady = true;
      this.attempt = 0;
      this.emit('ready', { reconnect, channels });
    } catch (err) {
      this.teardown(err as Error);
    }
  }

  private onEvent(ev: RawEslEvent): void {
    const h = headersOf(ev);
    const body = ev.getBody() ?? '';
    if (!this.dedupe.firstTime(h['Core-UUID'] ?? '', Number(h['Event-Sequence'] ?? 0))) return;
    if (h['Event-Name'] === 'BACKGROUND_JOB') this.jobs.settle(h['Job-UUID'] ?? '', body);
    else if (h['Event-Name'] === 'CHANNEL_EXECUTE_COMPLETE') this.apps.settle(h['Application-UUID'] ?? '', h['Application-Response'] ?? '_none_');
    for (const fact of normalize(h, body)) this.emit('fact', fact);
  }

  private onGone(conn: Connection, err?: Error): void {
    if (conn !== this.conn) return;
    this.teardown(err ?? new EslDisconnectedError('socket close'));
  }

  /** Fail everything in flight, drop the socket, and schedule a reconnect with capped backoff. */
  private teardown(err: Error): void {
    const conn = this.conn;
    const wasConnected = this.connected;
    this.conn = undefined;
    this.connected = false;
    if (conn) {
      conn.closing = true;
      conn.removeAllListeners();
      conn.on('error', () => {});
      conn.socket?.destroy();
    }
    this.inflight.failAll((what) => new EslDisconnectedError(what));
    if (wasConnected || conn) this.emit('disconnected', err);
    if (this.closed) return;
    const { initialMs, maxMs, factor } = this.options.backoff;
    const delay = Math.min(maxMs, initialMs * factor ** this.attempt++);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }
}
