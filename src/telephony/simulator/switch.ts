/**
 * The simulated switch core: identity, the global Event-Sequence, the channel table,
 * session limits and HEARTBEAT. Connections subscribe to `fire`d events.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Channel } from './channel.ts';
import { SimClock } from './clock.ts';
import { CustomerModel, type CustomerModelOptions } from './customers.ts';
import type { HeaderValue, SimEvent } from './frames.ts';

export interface SwitchOptions {
  timeScale: number;
  customers: Partial<CustomerModelOptions>;
  maxSessions: number;
  /** Calls per second the switch accepts (sessions-per-second). */
  sps: number;
  heartbeatMs: number;
  hostname: string;
  recordingsDir: string;
  /** Simulated ms an agent softphone (user/...) takes to answer. */
  agentAnswerMs: number;
  /** Simulated ms a uuid_broadcast playback lasts. */
  playbackMs: number;
  /** Emit BACKGROUND_JOB before the first application's events (both orders happen on real switches). */
  bgJobFirst: boolean;
}

export const DEFAULT_SWITCH: SwitchOptions = {
  timeScale: 1,
  customers: {},
  maxSessions: 1000,
  sps: 30,
  heartbeatMs: 20_000,
  hostname: os.hostname(),
  recordingsDir: os.tmpdir(),
  agentAnswerMs: 1_000,
  playbackMs: 2_000,
  bgJobFirst: false,
};

const CALLING: Record<string, [string, string, number]> = {
  CHANNEL_CREATE: ['switch_core_state_machine.c', 'switch_core_session_run', 631],
  CHANNEL_HANGUP: ['switch_channel.c', 'switch_channel_perform_hangup', 3469],
  CHANNEL_HANGUP_COMPLETE: ['switch_core_state_machine.c', 'switch_core_session_reporting_state', 946],
  CHANNEL_DESTROY: ['switch_core_session.c', 'switch_core_session_perform_destroy', 1715],
  CHANNEL_ANSWER: ['switch_channel.c', 'switch_channel_perform_mark_answered', 3826],
  CHANNEL_BRIDGE: ['switch_ivr_bridge.c', 'audio_bridge_on_exchange_media', 1164],
  BACKGROUND_JOB: ['mod_event_socket.c', 'api_exec', 1532],
  HEARTBEAT: ['switch_core.c', 'send_heartbeat', 86],
};

export type EventListener = (ev: SimEvent) => void;

export class Switch {
  readonly options: SwitchOptions;
  readonly clock: SimClock;
  readonly customers: CustomerModel;
  readonly channels = new Map<string, Channel>();
  coreUuid = randomUUID();
  startedAt: number;
  private seq = 0;
  private readonly listeners = new Set<EventListener>();
  private heartbeat?: NodeJS.Timeout;
  private cpsWindow: number[] = [];
  sessionsSinceStartup = 0;
  /** Called after a channel is destroyed (originate jobs and myevents sockets wait on this). */
  /** Agent softphones by extension; unknown extensions are registered and answer after agentAnswerMs. */
  readonly agents = new Map<string, { registered?: boolean; answer?: boolean; answerMs?: number }>();
  readonly hangupListeners = new Set<(ch: Channel) => void>();
  peakSessions = 0;

  constructor(options: Partial<SwitchOptions> = {}) {
    this.options = { ...DEFAULT_SWITCH, ...options };
    this.clock = new SimClock(this.options.timeScale);
    this.customers = new CustomerModel(this.options.customers);
    this.startedAt = this.clock.now();
  }

  onEvent(fn: EventListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  startHeartbeat(): void {
    const beat = () => {
      this.fireHeartbeat();
      this.heartbeat = this.clock.after(this.options.heartbeatMs, beat);
    };
    this.heartbeat = this.clock.after(this.options.heartbeatMs, beat);
  }

  /** Forget every channel and timer silently and come back as a new process. */
  restart(): void {
    this.clock.cancelAll();
    this.channels.clear();
    this.coreUuid = randomUUID();
    this.seq = 0;
    this.startedAt = this.clock.now();
    this.cpsWindow = [];
    this.startHeartbeat();
  }

  stop(): void {
    this.clock.cancelAll();
  }

  /** Build an event with the 13 standard headers in FreeSWITCH's order, then deliver it. */
  fire(name: string, headers: Array<[string, HeaderValue]>, body?: string, subclass?: string): SimEvent {
    const ev = this.makeEvent(name, headers, body, subclass);
    for (const l of this.listeners) l(ev);
    return ev;
  }

  /** An event with standard headers and the next Event-Sequence, not delivered (e.g. CHANNEL_DATA for one socket). */
  makeEvent(name: string, headers: Array<[string, HeaderValue]>, body?: string, subclass?: string): SimEvent {
    const now = this.clock.now();
    const [file, fn, line] = CALLING[name] ?? ['switch_channel.c', 'switch_channel_event_set_data', 2562];
    const std: Array<[string, HeaderValue]> = [
      ['Event-Name', name],
      ['Core-UUID', this.coreUuid],
      ['FreeSWITCH-Hostname', this.options.hostname],
      ['FreeSWITCH-Switchname', this.options.hostname],
      ['FreeSWITCH-IPv4', '127.0.0.1'],
      ['FreeSWITCH-IPv6', '::1'],
      ['Event-Date-Local', localDate(now)],
      ['Event-Date-GMT', new Date(now).toUTCString()],
      ['Event-Date-Timestamp', String(Math.round(now * 1000))],
      ['Event-Calling-File', file],
      ['Event-Calling-Function', fn],
      ['Event-Calling-Line-Number', String(line)],
      ['Event-Sequence', String(++this.seq)],
    ];
    if (subclass) std.push(['Event-Subclass', subclass]);
    return { name, subclass, headers: [...std, ...headers], body };
  }

  fireChannel(ch: Channel, name: string, extra: Array<[string, HeaderValue]> = [], subclass?: string): SimEvent {
    const other = ch.bridgedTo ? this.channels.get(ch.bridgedTo) : undefined;
    const key = subclass ? 'CUSTOM' : name;
    return this.fire(name, [...extra, ...ch.headers(key, other)], undefined, subclass);
  }

  /** Reserve a session slot, or name the cause FreeSWITCH gives when limits are hit. */
  admit(): string | undefined {
    const now = this.clock.now();
    this.cpsWindow = this.cpsWindow.filter((t) => now - t < 1000);
    if (this.channels.size >= this.options.maxSessions) return 'DESTINATION_OUT_OF_ORDER';
    if (this.cpsWindow.length >= this.options.sps) return 'DESTINATION_OUT_OF_ORDER';
    this.cpsWindow.push(now);
    this.sessionsSinceStartup++;
    return undefined;
  }

  addChannel(ch: Channel): void {
    this.channels.set(ch.uuid, ch);
    this.peakSessions = Math.max(this.peakSessions, this.channels.size);
  }

  /** Run `fn` after simulated `ms`, cancelled if the channel goes away first. */
  channelTimer(ch: Channel, ms: number, fn: () => void): NodeJS.Timeout {
    const t = this.clock.after(ms, () => {
      ch.timers.delete(t);
      if (ch.alive) fn();
    });
    ch.timers.add(t);
    return t;
  }

  fireHeartbeat(): SimEvent {
    const upMs = Math.round(this.clock.now() - this.startedAt);
    return this.fire('HEARTBEAT', [
      ['Event-Info', 'System Ready'],
      ['Up-Time', upTime(upMs)],
      ['FreeSWITCH-Version', '1.10.12-release~64bit'],
      ['Uptime-msec', String(upMs)],
      ['Session-Count', String(this.channels.size)],
      ['Max-Sessions', String(this.options.maxSessions)],
      ['Session-Per-Sec', String(this.options.sps)],
      ['Session-Per-Sec-Last', String(this.cpsWindow.length)],
      ['Session-Per-Sec-Max', String(this.options.sps)],
      ['Session-Per-Sec-FiveMin', '0'],
      ['Session-Since-Startup', String(this.sessionsSinceStartup)],
      ['Session-Peak-Max', String(this.peakSessions)],
      ['Session-Peak-FiveMin', String(this.peakSessions)],
      ['Idle-CPU', '95.000000'],
    ]);
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function upTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `0 years, ${d} days, ${h} hours, ${m} minutes, ${s % 60} seconds, ${ms % 1000} milliseconds, 0 microseconds`;
}
