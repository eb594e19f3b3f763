/** Call lifecycle on the simulated switch: state changes, answer, park, bridge and the hangup path. */
import { randomUUID } from 'node:crypto';
import { Q850 } from './causes.ts';
import type { Channel } from './channel.ts';
import { endEavesdrop, stopRecording } from './media.ts';
import type { Switch } from './switch.ts';

export function setState(sw: Switch, ch: Channel, state: string): void {
  ch.state = state;
  sw.fireChannel(ch, 'CHANNEL_STATE');
}

export function setCallState(sw: Switch, ch: Channel, callState: string): void {
  const original = ch.callState;
  ch.callState = callState;
  sw.fireChannel(ch, 'CHANNEL_CALLSTATE', [['Original-Channel-Call-State', original], ['Channel-Call-State-Number', String(CALL_STATES.indexOf(callState))]]);
}

const CALL_STATES = ['DOWN', 'DIALING', 'RINGING', 'EARLY', 'ACTIVE', 'HELD', 'RING_WAIT', 'HANGUP', 'UNHELD'];

export function ring(sw: Switch, ch: Channel): void {
  ch.progressAt = sw.clock.now();
  ch.vars.set('progress_epoch', String(Math.floor(ch.progressAt / 1000)));
  sw.fireChannel(ch, 'CHANNEL_PROGRESS');
  setCallState(sw, ch, 'RINGING');
}

export function earlyMedia(sw: Switch, ch: Channel): void {
  ch.progressMediaAt = sw.clock.now();
  ch.answerState = 'early';
  sw.fireChannel(ch, 'CHANNEL_PROGRESS_MEDIA');
  setCallState(sw, ch, 'EARLY');
}

export function answer(sw: Switch, ch: Channel): void {
  if (ch.answeredAt) return;
  ch.answeredAt = sw.clock.now();
  ch.answerState = 'answered';
  ch.vars.set('answer_epoch', String(Math.floor(ch.answeredAt / 1000)));
  sw.fireChannel(ch, 'CHANNEL_ANSWER');
  setCallState(sw, ch, 'ACTIVE');
}

/** CHANNEL_EXECUTE for an application; `appId` is the client's Event-UUID when sent by sendmsg. */
export function execute(sw: Switch, ch: Channel, app: string, arg: string, appId: string = randomUUID()): string {
  sw.fireChannel(ch, 'CHANNEL_EXECUTE', appHeaders(app, arg, appId));
  return appId;
}

export function executeComplete(sw: Switch, ch: Channel, app: string, arg: string, appId: string, response = '_none_'): void {
  sw.fireChannel(ch, 'CHANNEL_EXECUTE_COMPLETE', [...appHeaders(app, arg, appId), ['Application-Response', response]]);
}

function appHeaders(app: string, arg: string, appId: string): Array<[string, string]> {
  return [['Application', app], ['Application-Data', arg], ['Application-UUID', appId], ['Application-UUID-Name', app]];
}

/** `park`: it never completes while the call lives. */
export function park(sw: Switch, ch: Channel, appId?: string): void {
  if (ch.parked) return;
  if (ch.state !== 'CS_EXECUTE') setState(sw, ch, 'CS_EXECUTE');
  ch.parkAppId = execute(sw, ch, 'park', '', appId ?? randomUUID());
  ch.parked = true;
  sw.fireChannel(ch, 'CHANNEL_PARK');
}

export function unpark(sw: Switch, ch: Channel): void {
  if (!ch.parked) return;
  ch.parked = false;
  sw.fireChannel(ch, 'CHANNEL_UNPARK');
  executeComplete(sw, ch, 'park', '', ch.parkAppId ?? randomUUID());
  ch.parkAppId = undefined;
}

export function bridge(sw: Switch, a: Channel, b: Channel): void {
  for (const leg of [a, b]) {
    if (leg.bridgedTo) unbridge(sw, leg, 'park');
    execute(sw, leg, 'uuid_bridge', leg === a ? b.uuid : a.uuid);
    unpark(sw, leg);
  }
  const now = sw.clock.now();
  a.bridgedTo = b.uuid;
  b.bridgedTo = a.uuid;
  a.bridgeOriginator = true;
  b.bridgeOriginator = false;
  a.bridgedAt = b.bridgedAt = now;
  b.callUuid = a.callUuid;
  a.vars.set('bridge_uuid', b.uuid);
  b.vars.set('bridge_uuid', a.uuid);
  a.vars.set('bridge_epoch', String(Math.floor(now / 1000)));
  b.vars.set('bridge_epoch', String(Math.floor(now / 1000)));
  setState(sw, a, 'CS_EXCHANGE_MEDIA');
  setState(sw, b, 'CS_EXCHANGE_MEDIA');
  // Only the originator leg reports the bridge (CF_BRIDGE_ORIGINATOR).
  sw.fireChannel(a, 'CHANNEL_BRIDGE', [['Bridge-A-Unique-ID', a.uuid], ['Bridge-B-Unique-ID', b.uuid]]);
}

/** End a bridge; the surviving leg parks or hangs up per park_after_bridge. */
export function unbridge(sw: Switch, leg: Channel, after: 'park' | 'policy'): void {
  const other = leg.bridgedTo ? sw.channels.get(leg.bridgedTo) : undefined;
  if (!other) {
    leg.bridgedTo = undefined;
    return;
  }
  const [a, b] = leg.bridgeOriginator ? [leg, other] : [other, leg];
  sw.fireChannel(a, 'CHANNEL_UNBRIDGE', [['Bridge-A-Unique-ID', a.uuid], ['Bridge-B-Unique-ID', b.uuid]]);
  a.bridgedTo = b.bridgedTo = undefined;
  a.bridgeOriginator = false;
  b.callUuid = b.uuid;
  for (const survivor of [a, b]) {
    if (!survivor.alive) continue;
    if (after === 'park' || survivor.vars.get('park_after_bridge') === 'true') park(sw, survivor);
    else hangup(sw, survivor, 'NORMAL_CLEARING', 'send_bye');
  }
}

/** CHANNEL_HANGUP → [UNBRIDGE, UNPARK/EXECUTE_COMPLETE] → HANGUP_COMPLETE (CDR vars) → DESTROY. */
export function hangup(sw: Switch, ch: Channel, cause: string, disposition = 'send_bye', sipStatus?: number): void {
  if (!ch.alive) return;
  const now = sw.clock.now();
  ch.hangupAt = now;
  ch.hangupCause = cause;
  ch.answerState = 'hangup';
  for (const t of ch.timers) sw.clock.cancel(t);
  ch.timers.clear();
  for (const path of [...ch.recordings.keys()]) stopRecording(sw, ch, path);
  if (ch.eavesdropTarget) endEavesdrop(sw, ch);
  setCallState(sw, ch, 'HANGUP');
  ch.state = 'CS_HANGUP';
  sw.fireChannel(ch, 'CHANNEL_HANGUP', [['Hangup-Cause', cause]]);
  if (ch.bridgedTo) unbridgeOnHangup(sw, ch);
  unpark(sw, ch);
  const start = ch.createdAt;
  const answered = ch.answeredAt;
  const sec = (ms: number) => String(Math.floor(ms / 1000));
  const cdr: Array<[string, string]> = [
    ['hangup_cause', cause],
    ['hangup_cause_q850', String(Q850[cause] ?? 0)],
    ['sip_term_status', String(sipStatus ?? (answered ? 200 : 487))],
    ['sip_hangup_disposition', disposition],
    ['start_epoch', sec(start)],
    ['answer_epoch', sec(answered)],
    ['end_epoch', sec(now)],
    ['duration', sec(now - start)],
    ['mduration', String(Math.round(now - start))],
    ['billsec', answered ? sec(now - answered) : '0'],
    ['billmsec', answered ? String(Math.round(now - answered)) : '0'],
    ['flow_billsec', answered ? sec(now - answered) : '0'],
    ['answersec', answered ? sec(answered - start) : '0'],
    ['waitsec', answered ? sec(answered - start) : '0'],
    ['progresssec', ch.progressAt ? sec(ch.progressAt - start) : '0'],
    ['progress_mediasec', ch.progressMediaAt ? sec(ch.progressMediaAt - start) : '0'],
  ];
  for (const [k, v] of cdr) ch.vars.set(k, v);
  setState(sw, ch, 'CS_REPORTING');
  sw.fireChannel(ch, 'CHANNEL_HANGUP_COMPLETE', [['Hangup-Cause', cause]]);
  setState(sw, ch, 'CS_DESTROY');
  sw.fireChannel(ch, 'CHANNEL_DESTROY');
  sw.channels.delete(ch.uuid);
  // Supervisors listening to this call lose their target.
  for (const other of [...sw.channels.values()]) {
    if (other.eavesdropTarget === ch.uuid) hangup(sw, other, 'NORMAL_CLEARING');
  }
  const peer = ch.loopPeer ? sw.channels.get(ch.loopPeer) : undefined;
  if (peer) hangup(sw, peer, cause);
  for (const fn of sw.hangupListeners) fn(ch);
}

function unbridgeOnHangup(sw: Switch, ch: Channel): void {
  const other = sw.channels.get(ch.bridgedTo!);
  if (!other) return;
  const [a, b] = ch.bridgeOriginator ? [ch, other] : [other, ch];
  sw.fireChannel(a, 'CHANNEL_UNBRIDGE', [['Bridge-A-Unique-ID', a.uuid], ['Bridge-B-Unique-ID', b.uuid]]);
  a.bridgedTo = b.bridgedTo = undefined;
  // The survivor runs on after the bridge: parks if asked to, otherwise its &park() extension ends.
  if (other.vars.get('park_after_bridge') === 'true') park(sw, other);
  else sw.clock.after(0, () => hangup(sw, other, 'NORMAL_CLEARING'));
}
