/** One simulated channel and the headers FreeSWITCH puts on its events (switch_channel.c, switch_caller.c). */
import type { HeaderValue } from './frames.ts';

export const STATE_NUMBERS: Record<string, number> = {
  CS_NEW: 0, CS_INIT: 1, CS_ROUTING: 2, CS_SOFT_EXECUTE: 3, CS_EXECUTE: 4, CS_EXCHANGE_MEDIA: 5, CS_PARK: 6,
  CS_CONSUME_MEDIA: 7, CS_HIBERNATE: 8, CS_RESET: 9, CS_HANGUP: 10, CS_REPORTING: 11, CS_DESTROY: 12,
};

/** Events that carry variable_* headers (switch_channel_event_set_extended_data). */
export const VARIABLE_EVENTS = new Set([
  'CHANNEL_CREATE', 'CHANNEL_ORIGINATE', 'CHANNEL_UUID', 'CHANNEL_ANSWER', 'CHANNEL_PARK', 'CHANNEL_UNPARK',
  'CHANNEL_BRIDGE', 'CHANNEL_UNBRIDGE', 'CHANNEL_PROGRESS', 'CHANNEL_PROGRESS_MEDIA', 'CHANNEL_HANGUP',
  'CHANNEL_HANGUP_COMPLETE', 'REQUEST_PARAMS', 'CHANNEL_DATA', 'CHANNEL_EXECUTE', 'CHANNEL_EXECUTE_COMPLETE',
  'CHANNEL_DESTROY', 'SESSION_HEARTBEAT', 'API', 'RECORD_START', 'RECORD_STOP', 'PLAYBACK_START', 'PLAYBACK_STOP',
  'CALL_UPDATE', 'MEDIA_BUG_START', 'MEDIA_BUG_STOP', 'CHANNEL_HOLD', 'CHANNEL_UNHOLD', 'TEXT', 'CUSTOM',
]);

export type EavesdropMode = 'listen' | 'whisper-target' | 'whisper-other' | 'three-way';

export interface Recording {
  path: string;
  startedAt: number;
  pausedAt?: number;
  pausedMs: number;
  /** Segments of [simulated ms, audible?] so masked and paused parts are written as silence. */
  segments: Array<[number, boolean]>;
  segmentStart: number;
  masked: boolean;
}

export class Channel {
  readonly uuid: string;
  readonly name: string;
  readonly direction: 'inbound' | 'outbound';
  readonly vars = new Map<string, string>();
  readonly createdAt: number;
  callerNumber: string;
  callerName: string;
  destination: string;
  state = 'CS_NEW';
  callState = 'DOWN';
  answerState = 'ringing';
  progressAt = 0;
  progressMediaAt = 0;
  answeredAt = 0;
  bridgedAt = 0;
  hangupAt = 0;
  hangupCause?: string;
  /** The uuid of the leg this one is bridged to, and whether this leg originated the bridge. */
  bridgedTo?: string;
  bridgeOriginator = false;
  callUuid: string;
  parked = false;
  parkAppId?: string;
  held = false;
  machine = false;
  /** Eavesdrop: whom this supervisor leg listens to, and in which mode. */
  eavesdropTarget?: string;
  eavesdropMode?: EavesdropMode;
  readonly recordings = new Map<string, Recording>();
  readonly timers = new Set<NodeJS.Timeout>();
  /** Prompts playing now, oldest first (application uuid -> file and the timer that ends it). */
  readonly playbacks = new Map<string, { file: string; timer: NodeJS.Timeout }>();
  /** loopback/: the other half of the pair; each hangs up with the other. */
  loopPeer?: string;
  avmdRunning = false;
  avmdDetected = false;

  constructor(opts: { uuid: string; name: string; direction: 'inbound' | 'outbound'; createdAt: number; callerNumber: string; callerName: string; destination: string }) {
    this.uuid = opts.uuid;
    this.name = opts.name;
    this.direction = opts.direction;
    this.createdAt = opts.createdAt;
    this.callerNumber = opts.callerNumber;
    this.callerName = opts.callerName;
    this.destination = opts.destination;
    this.callUuid = opts.uuid;
  }

  get alive(): boolean {
    return this.hangupAt === 0;
  }

  /** Channel-* basic data, Caller-* profile, then variable_* when the event carries them. */
  headers(eventName: string, other?: Channel): Array<[string, HeaderValue]> {
    const h: Array<[string, HeaderValue]> = [
      ['Channel-State', this.state],
      ['Channel-Call-State', this.callState],
      ['Channel-State-Number', String(STATE_NUMBERS[this.state])],
      ['Channel-Name', this.name],
      ['Unique-ID', this.uuid],
      ['Call-Direction', this.direction],
      ['Presence-Call-Direction', this.direction],
      ['Channel-HIT-Dialplan', this.direction === 'inbound' ? 'true' : 'false'],
      ['Channel-Call-UUID', this.callUuid],
      ['Answer-State', this.answerState],
    ];
    if (this.hangupCause) h.push(['Hangup-Cause', this.hangupCause]);
    h.push(
      ['Channel-Read-Codec-Name', 'PCMA'], ['Channel-Read-Codec-Rate', '8000'], ['Channel-Read-Codec-Bit-Rate', '64000'],
      ['Channel-Write-Codec-Name', 'PCMA'], ['Channel-Write-Codec-Rate', '8000'], ['Channel-Write-Codec-Bit-Rate', '64000'],
    );
    h.push(...this.profile('Caller'));
    if (other) {
      h.push(['Other-Type', this.bridgeOriginator ? 'originatee' : 'originator']);
      h.push(...other.profile('Other-Leg'));
    }
    if (VARIABLE_EVENTS.has(eventName)) {
      for (const [k, v] of this.vars) h.push([`variable_${k}`, v]);
    }
    return h;
  }

  profile(prefix: string): Array<[string, string]> {
    const us = (ms: number) => String(Math.round(ms * 1000));
    return [
      [`${prefix}-Direction`, this.direction],
      [`${prefix}-Logical-Direction`, this.direction],
      [`${prefix}-Username`, this.callerNumber],
      [`${prefix}-Dialplan`, 'XML'],
      [`${prefix}-Caller-ID-Name`, this.callerName],
      [`${prefix}-Caller-ID-Number`, this.callerNumber],
      [`${prefix}-Orig-Caller-ID-Name`, this.callerName],
      [`${prefix}-Orig-Caller-ID-Number`, this.callerNumber],
      [`${prefix}-Network-Addr`, '127.0.0.1'],
      [`${prefix}-ANI`, this.callerNumber],
      [`${prefix}-Destination-Number`, this.destination],
      [`${prefix}-Unique-ID`, this.uuid],
      [`${prefix}-Source`, 'mod_sofia'],
      [`${prefix}-Context`, this.direction === 'inbound' ? 'public' : 'default'],
      [`${prefix}-Channel-Name`, this.name],
      [`${prefix}-Profile-Index`, '1'],
      [`${prefix}-Profile-Created-Time`, us(this.createdAt)],
      [`${prefix}-Channel-Created-Time`, us(this.createdAt)],
      [`${prefix}-Channel-Answered-Time`, us(this.answeredAt)],
      [`${prefix}-Channel-Progress-Time`, us(this.progressAt)],
      [`${prefix}-Channel-Progress-Media-Time`, us(this.progressMediaAt)],
      [`${prefix}-Channel-Hangup-Time`, us(this.hangupAt)],
      [`${prefix}-Channel-Transfer-Time`, '0'],
      [`${prefix}-Channel-Bridged-Time`, us(this.bridgedAt)],
      [`${prefix}-Screen-Bit`, 'true'],
      [`${prefix}-Privacy-Hide-Name`, 'false'],
      [`${prefix}-Privacy-Hide-Number`, 'false'],
    ];
  }
}
