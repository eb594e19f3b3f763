/**
 * `originate <{vars}[vars]dialstring> <&app(arg)|exten> [dialplan] [context] [cid_name] [cid_num] [timeout]`
 * against simulated endpoints: sofia gateways (the customer model), user/ agents, loopback/ and error/.
 */
import { randomUUID } from 'node:crypto';
import { answer, earlyMedia, execute, hangup, park, ring, setCallState, setState } from './calls.ts';
import { isCause } from './causes.ts';
import { Channel } from './channel.ts';
import type { DialOutcome } from './customers.ts';
import { amd, avmd, eavesdrop, playback } from './media.ts';
import type { Switch } from './switch.ts';

export interface OriginateSpec {
  vars: Map<string, string>;
  endpoint: string;
  app?: { name: string; arg: string };
  exten?: string;
  cidName?: string;
  cidNumber?: string;
  timeoutSec?: number;
}

/** Split on spaces, keeping {..}, [..] and '..' together. */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  let quote = false;
  for (const c of s) {
    if (c === "'" && depth === 0) quote = !quote;
    else if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && depth > 0) depth--;
    if (c === ' ' && depth === 0 && !quote) {
      if (cur) out.push(cur);
      cur = '';
    } else if (!(c === "'" && depth === 0)) cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

function parseVars(block: string, into: Map<string, string>): void {
  for (const pair of block.split(/,(?=(?:[^']*'[^']*')*[^']*$)/)) {
    const i = pair.indexOf('=');
    if (i > 0) into.set(pair.slice(0, i).trim(), pair.slice(i + 1).replace(/^'|'$/g, ''));
  }
}

export function parseOriginate(args: string): OriginateSpec | undefined {
  const [url, dest, , , cidName, cidNumber, timeout] = splitArgs(args.trim());
  if (!url || !dest) return undefined;
  const vars = new Map<string, string>();
  let rest = url;
  for (;;) {
    const m = /^(\{[^}]*\}|\[[^\]]*\])/.exec(rest);
    if (!m) break;
    parseVars(m[1].slice(1, -1), vars);
    rest = rest.slice(m[1].length);
  }
  const app = /^&([\w-]+)\((.*)\)$/.exec(dest);
  return {
    vars,
    endpoint: rest,
    app: app ? { name: app[1], arg: app[2] } : undefined,
    exten: app ? undefined : dest,
    cidName,
    cidNumber,
    timeoutSec: timeout ? Number(timeout) : undefined,
  };
}

/** Start an originate; `done` gets the api body (`+OK <uuid>\n` or `-ERR <CAUSE>\n`) exactly once. */
export function originate(sw: Switch, args: string, done: (body: string) => void): void {
  const spec = parseOriginate(args);
  if (!spec) return done('-USAGE: <call url> <exten>|&<application_name>(<app_args>) [<dialplan>] [<context>] [<cid_name>] [<cid_num>] [<timeout_sec>]\n');
  const err = /^error\/(\w+)/.exec(spec.endpoint);
  if (err) return done(`-ERR ${isCause(err[1].toUpperCase()) ? err[1].toUpperCase() : 'NORMAL_UNSPECIFIED'}\n`);
  const limited = sw.admit();
  if (limited) return done(`-ERR ${limited}\n`);
  const uuid = spec.vars.get('origination_uuid') ?? randomUUID();
  if (sw.channels.has(uuid)) return done('-ERR DESTINATION_OUT_OF_ORDER\n');

  const gw = /^sofia\/(?:gateway\/[^/]+\/)?(?:[^/]+\/)?([^@/]+)/.exec(spec.endpoint);
  const user = /^user\/([^@]+)/.exec(spec.endpoint);
  const loop = /^loopback\/([^/]+)/.exec(spec.endpoint);
  let outcome: DialOutcome;
  let name = spec.endpoint;
  let number: string;
  if (user) {
    number = user[1];
    name = `sofia/internal/${number}@127.0.0.1`;
    const agent = sw.agents.get(number) ?? {};
    if (agent.registered === false) return done('-ERR USER_NOT_REGISTERED\n');
    outcome = agent.answer === false ? { kind: 'no-answer', earlyMedia: false } : { kind: 'answer', ringMs: agent.answerMs ?? sw.options.agentAnswerMs, talkMs: Infinity, machine: false, earlyMedia: false };
  } else if (loop) {
    number = loop[1];
    name = `loopback/${number}-a`;
    outcome = { kind: 'answer', ringMs: 20, talkMs: Infinity, machine: false, earlyMedia: false };
  } else if (gw && spec.endpoint.startsWith('sofia/')) {
    number = gw[1];
    outcome = sw.customers.outcome(number);
  } else return done('-ERR CHAN_NOT_IMPLEMENTED\n');

  const ch = new Channel({
    uuid, name, direction: 'outbound', createdAt: sw.clock.now(),
    callerNumber: spec.vars.get('origination_caller_id_number') ?? spec.cidNumber ?? '0000000000',
    callerName: spec.vars.get('origination_caller_id_name') ?? spec.cidName ?? 'Callstream',
    destination: number,
  });
  for (const [k, v] of spec.vars) ch.vars.set(k, v);
  ch.vars.set('start_epoch', String(Math.floor(ch.createdAt / 1000)));
  ch.machine = outcome.kind === 'answer' && outcome.machine;
  sw.addChannel(ch);
  ch.state = 'CS_INIT';
  sw.fireChannel(ch, 'CHANNEL_CREATE');
  if (loop) loopbackB(sw, ch, number);
  sw.fireChannel(ch, 'CHANNEL_ORIGINATE');
  sw.fireChannel(ch, 'CHANNEL_OUTGOING');
  sw.fireChannel(ch, 'CHANNEL_STATE');
  setCallState(sw, ch, 'DIALING');
  setState(sw, ch, 'CS_ROUTING');
  setState(sw, ch, 'CS_CONSUME_MEDIA');

  let settled = false;
  const settle = (body: string) => {
    if (settled) return;
    settled = true;
    sw.hangupListeners.delete(onGone);
    done(body);
  };
  const onGone = (gone: Channel) => {
    if (gone === ch) settle(`-ERR ${gone.hangupCause}\n`);
  };
  sw.hangupListeners.add(onGone);
  const complete = () => {
    if (sw.options.bgJobFirst) settle(`+OK ${uuid}\n`);
    runApp(sw, ch, spec);
    settle(`+OK ${uuid}\n`);
  };

  const progressSec = Number(spec.vars.get('progress_timeout') ?? 0);
  if (progressSec > 0) {
    sw.channelTimer(ch, progressSec * 1000, () => {
      if (!ch.progressAt && !ch.answeredAt && !settled) hangup(sw, ch, 'PROGRESS_TIMEOUT', 'send_cancel', 487);
    });
  }
  const timeoutSec = Number(spec.vars.get('originate_timeout') ?? spec.vars.get('leg_timeout') ?? spec.timeoutSec ?? 60);
  sw.channelTimer(ch, timeoutSec * 1000, () => {
    if (!ch.answeredAt && !settled) hangup(sw, ch, 'NO_ANSWER', 'send_cancel', 487);
  });
  if (outcome.kind === 'fail') {
    if (outcome.afterMs > 100) sw.channelTimer(ch, 100, () => ring(sw, ch));
    sw.channelTimer(ch, outcome.afterMs, () => hangup(sw, ch, outcome.cause, 'recv_refuse', outcome.sipStatus));
    return;
  }
  sw.channelTimer(ch, Math.min(100, outcome.kind === 'answer' ? outcome.ringMs / 2 : 100), () => ring(sw, ch));
  if (outcome.earlyMedia) {
    sw.channelTimer(ch, 300, () => {
      earlyMedia(sw, ch);
      if (ch.vars.get('ignore_early_media') !== 'true') complete();
    });
  }
  if (outcome.kind === 'answer') {
    sw.channelTimer(ch, outcome.ringMs, () => {
      answer(sw, ch);
      if (!settled) complete();
      if (Number.isFinite(outcome.talkMs)) sw.channelTimer(ch, outcome.talkMs, () => hangup(sw, ch, 'NORMAL_CLEARING', 'recv_bye', 200));
    });
  }
}

/** The inbound half of a loopback pair: it runs our dialplan (park) once answered. */
function loopbackB(sw: Switch, a: Channel, exten: string): void {
  const b = new Channel({ uuid: randomUUID(), name: `loopback/${exten}-b`, direction: 'inbound', createdAt: sw.clock.now(), callerNumber: a.callerNumber, callerName: a.callerName, destination: exten });
  a.loopPeer = b.uuid;
  b.loopPeer = a.uuid;
  b.vars.set('start_epoch', String(Math.floor(b.createdAt / 1000)));
  sw.addChannel(b);
  b.state = 'CS_INIT';
  sw.fireChannel(b, 'CHANNEL_CREATE');
  setState(sw, b, 'CS_ROUTING');
  sw.channelTimer(b, 20, () => {
    answer(sw, b);
    park(sw, b);
  });
}

/** What runs on the leg once the originate succeeds: the &app, or our dialplan (which parks everything). */
function runApp(sw: Switch, ch: Channel, spec: OriginateSpec): void {
  const app = spec.app;
  if (!app || app.name === 'park') return park(sw, ch);
  const target = sw.channels.get(app.arg.trim());
  if ((app.name === 'eavesdrop' || app.name === 'three_way') && target) {
    const whisperA = ch.vars.get('eavesdrop_whisper_aleg') === 'true';
    const whisperB = ch.vars.get('eavesdrop_whisper_bleg') === 'true';
    const mode = app.name === 'three_way' ? 'three-way' : whisperA && whisperB ? 'three-way' : whisperA ? 'whisper-target' : whisperB ? 'whisper-other' : 'listen';
    setState(sw, ch, 'CS_EXECUTE');
    return eavesdrop(sw, ch, target, mode);
  }
  if (app.name === 'playback') return playback(sw, ch, app.arg);
  setState(sw, ch, 'CS_EXECUTE');
  if (app.name === 'avmd_start') return avmd(sw, ch, 'start');
  if (app.name === 'amd') return amd(sw, ch);
  execute(sw, ch, app.name, app.arg);
}
