/**
 * Normalized telephony facts: what the switch told us, in our words.
 * ESL events are turned into these at the edge (normalize.ts) so nothing past
 * the adapter reads FreeSWITCH header names. Pure types and tiny helpers, no I/O.
 */

/** Channel variables we set on originate so every fact can be tied back to the dialer. */
export const CALL_VARS = {
  campaignId: 'callstream_campaign_id',
  leadId: 'callstream_lead_id',
  attemptId: 'callstream_attempt_id',
  role: 'callstream_role',
} as const;

/** Which side of our call a leg is; set by us on originate, absent on legs we did not create. */
export type LegRole = 'customer' | 'agent' | 'supervisor';

export interface CallTags {
  campaignId?: string;
  leadId?: string;
  attemptId?: string;
  role?: LegRole;
}

/** Fields every fact carries. `callId` is the channel uuid (= origination_uuid = domain call id). */
export interface FactBase {
  /** Core-UUID of the switch instance; changes when FreeSWITCH restarts. */
  coreId: string;
  /** Event-Sequence; (coreId, seq) identifies an event for de-duplication. */
  seq: number;
  /** Event time in ms since the epoch (from Event-Date-Timestamp, which is µs). */
  at: number;
}

export interface ChannelFactBase extends FactBase {
  callId: string;
  /** Channel-Call-UUID: shared by bridged legs. */
  callUuid?: string;
  tags: CallTags;
}

/** Q.850 cause name as FreeSWITCH spells it, e.g. NORMAL_CLEARING, USER_BUSY, NO_ANSWER. */
export type HangupCause = string;

export interface CdrSummary {
  /** Seconds from answer to hangup (0 if never answered). */
  billsec: number;
  /** Seconds from create to hangup. */
  duration: number;
  /** Seconds from create to answer (0 if never answered). */
  waitsec: number;
  startEpoch: number;
  answerEpoch: number;
  endEpoch: number;
  sipTermStatus?: string;
  sipHangupDisposition?: string;
}

export type TelephonyFact =
  | (ChannelFactBase & {
      kind: 'channel-created';
      direction: 'inbound' | 'outbound';
      channelName: string;
      callerNumber?: string;
      destination?: string;
    })
  | (ChannelFactBase & { kind: 'ringing' })
  | (ChannelFactBase & { kind: 'early-media' })
  | (ChannelFactBase & { kind: 'answered' })
  | (ChannelFactBase & { kind: 'bridged'; otherCallId: string })
  | (ChannelFactBase & { kind: 'unbridged'; otherCallId?: string })
  | (ChannelFactBase & { kind: 'held' })
  | (ChannelFactBase & { kind: 'resumed' })
  | (ChannelFactBase & { kind: 'parked' })
  | (ChannelFactBase & { kind: 'hung-up'; cause: HangupCause; sipStatus?: string })
  /** Final CDR numbers arrive with CHANNEL_HANGUP_COMPLETE. */
  | (ChannelFactBase & { kind: 'hangup-complete'; cause: HangupCause; cdr: CdrSummary })
  /** Last fact for a callId; the switch has freed the channel. */
  | (ChannelFactBase & { kind: 'destroyed' })
  | (ChannelFactBase & { kind: 'dtmf'; digit: string; durationMs: number; source: string })
  | (ChannelFactBase & { kind: 'recording-started'; path: string })
  | (ChannelFactBase & { kind: 'recording-stopped'; path: string; seconds: number; ms: number })
  /** AMD verdict: from mod_amd style variables/events or avmd beep (beep => machine). */
  | (ChannelFactBase & { kind: 'amd-result'; result: 'human' | 'machine' | 'unsure'; cause?: string })
  | (ChannelFactBase & { kind: 'playback-started'; path: string })
  | (ChannelFactBase & { kind: 'playback-stopped'; path: string; status: 'done' | 'break' })
  /** An application sent with sendmsg finished; matched by our Event-UUID. */
  | (ChannelFactBase & { kind: 'app-completed'; app: string; appId?: string; response: string })
  | (ChannelFactBase & { kind: 'media-bug-started'; function: string; target?: string })
  | (ChannelFactBase & { kind: 'media-bug-stopped'; function: string; target?: string })
  | (FactBase & { kind: 'job-done'; jobId: string; ok: boolean; body: string; command: string })
  | (FactBase & { kind: 'heartbeat'; sessionCount: number; maxSessions: number; uptimeMs: number });

export type TelephonyFactKind = TelephonyFact['kind'];
export type FactOf<K extends TelephonyFactKind> = Extract<TelephonyFact, { kind: K }>;

/** True for facts about one channel (they carry callId). */
export function isChannelFact(f: TelephonyFact): f is Extract<TelephonyFact, { callId: string }> {
  return 'callId' in f;
}

/** A live channel as the switch reports it (`show channels as json`), used to reconcile after reconnect. */
export interface LiveChannel {
  callId: string;
  name: string;
  direction: string;
  state: string;
  callState: string;
  createdEpoch: number;
  destination?: string;
  callerNumber?: string;
}
