/**
 * ESL event headers → telephony facts. The only place that knows FreeSWITCH header names;
 * unknown or irrelevant events map to no facts.
 */
import { CALL_VARS, type CallTags, type ChannelFactBase, type FactBase, type LegRole, type TelephonyFact } from './facts.ts';

export type EslHeaders = Record<string, string | undefined>;

const num = (v: string | undefined) => (v === undefined || v === '' || v === '_undef_' ? 0 : Number(v) || 0);

const TAG_HEADERS = {
  campaignId: `variable_${CALL_VARS.campaignId}`,
  leadId: `variable_${CALL_VARS.leadId}`,
  attemptId: `variable_${CALL_VARS.attemptId}`,
  role: `variable_${CALL_VARS.role}`,
};

function tagsOf(h: EslHeaders): CallTags {
  const tags: CallTags = {};
  const c = h[TAG_HEADERS.campaignId];
  const l = h[TAG_HEADERS.leadId];
  const a = h[TAG_HEADERS.attemptId];
  const r = h[TAG_HEADERS.role];
  if (c) tags.campaignId = c;
  if (l) tags.leadId = l;
  if (a) tags.attemptId = a;
  if (r === 'customer' || r === 'agent' || r === 'supervisor') tags.role = r as LegRole;
  return tags;
}

function base(h: EslHeaders): FactBase {
  return { coreId: h['Core-UUID'] ?? '', seq: num(h['Event-Sequence']), at: Math.floor(num(h['Event-Date-Timestamp']) / 1000) };
}

function channel(h: EslHeaders, callId = h['Unique-ID'] ?? ''): ChannelFactBase {
  const b: ChannelFactBase = { ...base(h), callId, tags: tagsOf(h) };
  const callUuid = h['Channel-Call-UUID'];
  if (callUuid) b.callUuid = callUuid;
  return b;
}

const AMD_RESULTS: Record<string, 'human' | 'machine' | 'unsure'> = { HUMAN: 'human', MACHINE: 'machine', NOTSURE: 'unsure', NOT_SURE: 'unsure' };

export function normalize(h: EslHeaders, body = ''): TelephonyFact[] {
  const name = h['Event-Name'];
  switch (name) {
    case 'CHANNEL_CREATE':
      return [{
        ...channel(h), kind: 'channel-created',
        direction: h['Call-Direction'] === 'inbound' ? 'inbound' : 'outbound',
        channelName: h['Channel-Name'] ?? '',
        callerNumber: h['Caller-Caller-ID-Number'],
        destination: h['Caller-Destination-Number'],
      }];
    case 'CHANNEL_PROGRESS':
      return [{ ...channel(h), kind: 'ringing' }];
    case 'CHANNEL_PROGRESS_MEDIA':
      return [{ ...channel(h), kind: 'early-media' }];
    case 'CHANNEL_ANSWER':
      return [{ ...channel(h), kind: 'answered' }];
    case 'CHANNEL_BRIDGE':
    case 'CHANNEL_UNBRIDGE': {
      // Fired once, on the originator leg; both legs need to hear about it.
      const a = h['Bridge-A-Unique-ID'] ?? h['Unique-ID'] ?? '';
      const b = h['Bridge-B-Unique-ID'] ?? h['Other-Leg-Unique-ID'] ?? '';
      const kind = name === 'CHANNEL_BRIDGE' ? 'bridged' : 'unbridged';
      return [{ ...channel(h, a), kind, otherCallId: b }, { ...channel(h, b), tags: {}, kind, otherCallId: a }];
    }
    case 'CHANNEL_HOLD':
      return [{ ...channel(h), kind: 'held' }];
    case 'CHANNEL_UNHOLD':
      return [{ ...channel(h), kind: 'resumed' }];
    case 'CHANNEL_PARK':
      return [{ ...channel(h), kind: 'parked' }];
    case 'CHANNEL_HANGUP':
      return [{ ...channel(h), kind: 'hung-up', cause: h['Hangup-Cause'] ?? 'NONE', sipStatus: h.variable_sip_term_status }];
    case 'CHANNEL_HANGUP_COMPLETE':
      return [{
        ...channel(h), kind: 'hangup-complete', cause: h['Hangup-Cause'] ?? h.variable_hangup_cause ?? 'NONE',
        cdr: {
          billsec: num(h.variable_billsec), duration: num(h.variable_duration), waitsec: num(h.variable_waitsec),
          startEpoch: num(h.variable_start_epoch), answerEpoch: num(h.variable_answer_epoch), endEpoch: num(h.variable_end_epoch),
          sipTermStatus: h.variable_sip_term_status, sipHangupDisposition: h.variable_sip_hangup_disposition,
        },
      }];
    case 'CHANNEL_DESTROY':
      return [{ ...channel(h), kind: 'destroyed' }];
    case 'DTMF':
      // DTMF-Duration is in samples at 8 kHz.
      return [{ ...channel(h), kind: 'dtmf', digit: h['DTMF-Digit'] ?? '', durationMs: Math.round(num(h['DTMF-Duration']) / 8), source: h['DTMF-Source'] ?? 'UNKNOWN' }];
    case 'RECORD_START':
      return [{ ...channel(h), kind: 'recording-started', path: h['Record-File-Path'] ?? '' }];
    case 'RECORD_STOP':
      return [{ ...channel(h), kind: 'recording-stopped', path: h['Record-File-Path'] ?? '', seconds: num(h.variable_record_seconds), ms: num(h.variable_record_ms) }];
    case 'PLAYBACK_START':
      return [{ ...channel(h), kind: 'playback-started', path: h['Playback-File-Path'] ?? '' }];
    case 'PLAYBACK_STOP':
      return [{ ...channel(h), kind: 'playback-stopped', path: h['Playback-File-Path'] ?? '', status: h['Playback-Status'] === 'break' ? 'break' : 'done' }];
    case 'CHANNEL_EXECUTE_COMPLETE':
      return [{ ...channel(h), kind: 'app-completed', app: h.Application ?? '', appId: h['Application-UUID'], response: h['Application-Response'] ?? '_none_' }];
    case 'MEDIA_BUG_START':
    case 'MEDIA_BUG_STOP':
      return [{ ...channel(h), kind: name === 'MEDIA_BUG_START' ? 'media-bug-started' : 'media-bug-stopped', function: h['Media-Bug-Function'] ?? '', target: h['Media-Bug-Target'] }];
    case 'BACKGROUND_JOB':
      return [{ ...base(h), kind: 'job-done', jobId: h['Job-UUID'] ?? '', ok: body.startsWith('+OK'), body, command: h['Job-Command'] ?? '' }];
    case 'HEARTBEAT':
      return [{ ...base(h), kind: 'heartbeat', sessionCount: num(h['Session-Count']), maxSessions: num(h['Max-Sessions']), uptimeMs: num(h['Uptime-msec']) }];
    case 'CUSTOM':
      return custom(h);
    default:
      return [];
  }
}

function custom(h: EslHeaders): TelephonyFact[] {
  const sub = h['Event-Subclass'];
  if (sub === 'avmd::beep' && h['Beep-Status'] === 'DETECTED') return [{ ...channel(h), kind: 'amd-result', result: 'machine', cause: 'BEEP' }];
  if (sub === 'amd::info' || sub === 'mod_amd::info' || sub === 'amd') {
    const raw = (h['AMD-Result'] ?? h.variable_amd_result ?? '').toUpperCase();
    const result = AMD_RESULTS[raw];
    if (!result) return [];
    return [{ ...channel(h), kind: 'amd-result', result, cause: h['AMD-Cause'] ?? h.variable_amd_cause }];
  }
  return [];
}

/** An ESL event as drachtio-modesl hands it over. */
export interface RawEslEvent {
  headers: Array<{ name: string; value: string }>;
  getBody(): string;
  /** Set by the JSON fast path (parserShims.ts): the headers, already as a record. */
  record?: EslHeaders;
}

/** Headers of a library event as a plain record (the last of repeated names wins). */
export function headersOf(ev: RawEslEvent): EslHeaders {
  if (ev.record) return ev.record;
  const h: EslHeaders = {};
  for (const { name, value } of ev.headers) h[name] = value;
  return h;
}

/** Drops events already seen, by (Core-UUID, Event-Sequence); keeps a bounded window per switch. */
export class FactDeduper {
  private readonly window: number;
  private readonly seen = new Map<string, { set: Set<number>; ring: number[]; next: number }>();

  constructor(window = 20_000) {
    this.window = window;
  }

  /** True the first time a (coreId, seq) pair is offered. Events without a sequence always pass. */
  firstTime(coreId: string, seq: number): boolean {
    if (!seq) return true;
    let s = this.seen.get(coreId);
    if (!s) {
      s = { set: new Set(), ring: [], next: 0 };
      this.seen.set(coreId, s);
    }
    if (s.set.has(seq)) return false;
    s.set.add(seq);
    // A ring buffer forgets the oldest sequence once the window is full.
    if (s.ring.length === this.window) s.set.delete(s.ring[s.next]);
    s.ring[s.next] = seq;
    s.next = (s.next + 1) % this.window;
    return true;
  }
}
