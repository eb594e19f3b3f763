/** The simulator's API commands (mod_commands), with FreeSWITCH's exact reply bodies. */
import path from 'node:path';
import { fsUrlEncode } from '../esl/urlcode.ts';
import { answer, bridge, earlyMedia, hangup, park, setState, unbridge } from './calls.ts';
import { isCause } from './causes.ts';
import type { Channel } from './channel.ts';
import { amd, avmd, breakMedia, changeRecording, dtmf, mediaBugs, playback, startRecording, stopRecording } from './media.ts';
import { originate } from './originate.ts';
import type { Switch } from './switch.ts';

type Api = (sw: Switch, args: string[], raw: string) => string | Promise<string>;

const NO_CHANNEL = '-ERR No such channel!\n';

function chan(sw: Switch, uuid: string | undefined): Channel | undefined {
  return uuid ? sw.channels.get(uuid) : undefined;
}

const APIS: Record<string, Api> = {
  originate: (sw, _a, raw) => new Promise((resolve) => originate(sw, raw, resolve)),
  uuid_kill: (sw, [uuid, cause]) => {
    const ch = chan(sw, uuid);
    if (!ch) return NO_CHANNEL;
    // The reply goes out before the hangup events (serial connection), so defer the hangup.
    sw.clock.after(0, () => hangup(sw, ch, cause && isCause(cause) ? cause : 'NORMAL_CLEARING'));
    return '+OK\n';
  },
  uuid_bridge: (sw, [a, b]) => {
    const ca = chan(sw, a);
    const cb = chan(sw, b);
    if (!ca || !cb) return '-ERR Invalid uuid\n';
    sw.clock.after(0, () => ca.alive && cb.alive && bridge(sw, ca, cb));
    return `+OK ${b}\n`;
  },
  uuid_transfer: (sw, [uuid, ...rest]) => {
    const ch = chan(sw, uuid);
    if (!ch) return NO_CHANNEL;
    const leg = rest[0] === '-bleg' || rest[0] === '-both' ? rest.shift() : undefined;
    const dest = rest[0] ?? '';
    const other = chan(sw, ch.bridgedTo);
    const legs = leg === '-both' ? [ch, other] : leg === '-bleg' ? [other] : [ch];
    sw.clock.after(0, () => {
      for (const l of legs) {
        if (!l?.alive) continue;
        if (l.bridgedTo) unbridge(sw, l, 'park');
        l.destination = dest === 'park' ? l.destination : dest;
        l.vars.set('transfer_destination', dest);
        // Our dialplan parks every extension, so a transfer ends parked at its new destination.
        if (l.parked) continue;
        setState(sw, l, 'CS_ROUTING');
        park(sw, l);
      }
    });
    return '+OK\n';
  },
  uuid_park: (sw, [uuid]) => {
    const ch = chan(sw, uuid);
    if (!ch) return NO_CHANNEL;
    sw.clock.after(0, () => (ch.bridgedTo ? unbridge(sw, ch, 'park') : park(sw, ch)));
    return '+OK\n';
  },
  uuid_answer: (sw, [uuid]) => {
    const ch = chan(sw, uuid);
    if (!ch) return '-ERROR\n';
    sw.clock.after(0, () => ch.alive && answer(sw, ch));
    return '+OK\n';
  },
  uuid_pre_answer: (sw, [uuid]) => {
    const ch = chan(sw, uuid);
    if (!ch) return '-ERROR\n';
    sw.clock.after(0, () => ch.alive && !ch.answeredAt && earlyMedia(sw, ch));
    return '+OK\n';
  },
  uuid_hold: (sw, args) => {
    const mode = args[0] === 'off' || args[0] === 'toggle' ? args.shift() : 'on';
    const ch = chan(sw, args[0]);
    if (!ch || !ch.answeredAt) return '-ERR Operation failed\n';
    const hold = mode === 'toggle' ? !ch.held : mode === 'on';
    if (hold !== ch.held) {
      ch.held = hold;
      sw.clock.after(0, () => sw.fireChannel(ch, hold ? 'CHANNEL_HOLD' : 'CHANNEL_UNHOLD'));
    }
    return '+OK Success\n';
  },
  uuid_broadcast: (sw, [uuid, file]) => {
    const ch = chan(sw, uuid);
    if (!ch || !file) return '-ERR invalid uuid\n';
    sw.clock.after(0, () => ch.alive && playback(sw, ch, file.includes('::') ? file.split('::')[1] : file));
    return '+OK Message sent\n';
  },
  uuid_break: (sw, [uuid, all]) => {
    const ch = chan(sw, uuid);
    if (!ch) return NO_CHANNEL;
    // The reply goes out before PLAYBACK_STOP (serial connection), as on FreeSWITCH.
    sw.clock.after(0, () => ch.alive && breakMedia(sw, ch, all === 'all'));
    return '+OK\n';
  },
  uuid_buglist: (sw, [uuid]) => {
    const ch = chan(sw, uuid);
    return ch ? mediaBugs(ch) : NO_CHANNEL;
  },
  uuid_record: (sw, [uuid, action, given]) => {
    const ch = chan(sw, uuid);
    const file = given && given !== 'all' && !path.isAbsolute(given) ? path.join(sw.options.recordingsDir, given) : given;
    if (!ch) return '-ERR Cannot locate session!\n';
    if (!file) return '-USAGE: <uuid> [start|stop|mask|unmask|pause|resume] <path> [<limit>] [<recording_vars>]\n';
    if (action === 'start') startRecording(sw, ch, file);
    else if (action === 'stop') {
      if (!ch.recordings.has(file) && file !== 'all') return '-ERR Cannot record session!\n';
      // Stop now so the file ends at the command; this connection still sees the reply first.
      stopRecording(sw, ch, file);
    } else if (action === 'mask' || action === 'unmask' || action === 'pause' || action === 'resume') {
      if (!changeRecording(sw, ch, file, action)) return '-ERR Cannot record session!\n';
    } else return '-ERR Cannot record session!\n';
    return '+OK Success\n';
  },
  uuid_setvar: (sw, [uuid, name, ...value]) => {
    const ch = chan(sw, uuid);
    if (!ch) return NO_CHANNEL;
    if (!name) return '-ERR No variable specified\n';
    if (value.length === 0) ch.vars.delete(name);
    else ch.vars.set(name, value.join(' '));
    return '+OK\n';
  },
  uuid_setvar_multi: (sw, [uuid, pairs]) => {
    const ch = chan(sw, uuid);
    if (!ch) return NO_CHANNEL;
    for (const pair of (pairs ?? '').split(';')) {
      const i = pair.indexOf('=');
      if (i > 0) ch.vars.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return '+OK\n';
  },
  uuid_getvar: (sw, [uuid, name]) => {
    const ch = chan(sw, uuid);
    if (!ch) return NO_CHANNEL;
    return ch.vars.get(name ?? '') ?? '_undef_';
  },
  uuid_exists: (sw, [uuid]) => (chan(sw, uuid) ? 'true' : 'false'),
  uuid_send_dtmf: (sw, [uuid, digits]) => {
    const ch = chan(sw, uuid);
    if (!ch) return NO_CHANNEL;
    sw.clock.after(0, () => [...(digits ?? '')].filter((d) => /[0-9*#A-D]/.test(d)).forEach((d) => ch.alive && dtmf(sw, ch, d, 'APP')));
    return '+OK Success\n';
  },
  uuid_dump: (sw, [uuid]) => {
    const ch = chan(sw, uuid);
    if (!ch) return NO_CHANNEL;
    return ch.headers('CHANNEL_DATA').map(([k, v]) => `${k}: ${fsUrlEncode(String(v))}`).join('\n') + '\n';
  },
  avmd: (sw, [uuid, action]) => {
    const ch = chan(sw, uuid);
    if (!ch) return '-ERR No such channel!\n';
    avmd(sw, ch, action === 'stop' ? 'stop' : 'start');
    return '+OK\n';
  },
  amd: (sw, [uuid]) => {
    const ch = chan(sw, uuid);
    if (!ch) return NO_CHANNEL;
    amd(sw, ch);
    return '+OK\n';
  },
  show: (sw, [what, as, format]) => {
    if (what !== 'channels' && what !== 'calls') return '-USAGE: show channels|calls [as json]\n';
    const rows = [...sw.channels.values()].map((ch) => ({
      uuid: ch.uuid, direction: ch.direction, created: new Date(ch.createdAt).toISOString(),
      created_epoch: String(Math.floor(ch.createdAt / 1000)), name: ch.name, state: ch.state,
      cid_name: ch.callerName, cid_num: ch.callerNumber, dest: ch.destination, application: ch.parked ? 'park' : '',
      callstate: ch.callState, call_uuid: ch.callUuid, hostname: sw.options.hostname,
    }));
    if (as === 'as' && format === 'json') return rows.length ? JSON.stringify({ row_count: rows.length, rows }) + '\n' : '{"row_count": 0}\n';
    const cols = ['uuid', 'direction', 'created', 'created_epoch', 'name', 'state', 'cid_name', 'cid_num', 'dest', 'application', 'callstate', 'call_uuid', 'hostname'];
    return [cols.join(','), ...rows.map((r) => cols.map((c) => (r as Record<string, string>)[c]).join(',')), '', `${rows.length} total.`, ''].join('\n');
  },
  status: (sw) => `UP 0 years, 0 days, 0 hours\nFreeSWITCH (Version 1.10.12-release~64bit) is ready\n${sw.sessionsSinceStartup} session(s) since startup\n${sw.channels.size} session(s) - peak ${sw.peakSessions}\n${sw.options.sps} session(s) per Sec out of max ${sw.options.sps}\n${sw.options.maxSessions} session(s) max\n`,
  version: () => 'FreeSWITCH Version 1.10.12-release~64bit (callstream simulator)\n',
  sofia: (_sw, [what, kind, gw]) => (what === 'status' && kind === 'gateway' && gw ? `Name    \t${gw}\nState   \tNOREG\nStatus  \tUP\n` : '+OK\n'),
  fsctl: (sw, [what, n]) => {
    if (what === 'sps' && n) sw.options.sps = Number(n);
    else if (what === 'max_sessions' && n) sw.options.maxSessions = Number(n);
    else return '-ERR Invalid command\n';
    return `+OK ${what === 'sps' ? 'sessions-per-second' : 'max sessions'}: ${n}\n`;
  },
  hupall: (sw, [cause]) => {
    const all = [...sw.channels.values()];
    sw.clock.after(0, () => all.forEach((ch) => hangup(sw, ch, cause && isCause(cause) ? cause : 'MANAGER_REQUEST')));
    return '+OK hangup all channels with cause ' + (cause ?? 'MANAGER_REQUEST') + '\n';
  },
};

/** Run `<cmd> <args>`; an unknown command answers as FreeSWITCH does. */
export function runApi(sw: Switch, line: string): string | Promise<string> {
  const trimmed = line.trim();
  const sp = trimmed.indexOf(' ');
  const cmd = sp < 0 ? trimmed : trimmed.slice(0, sp);
  const raw = sp < 0 ? '' : trimmed.slice(sp + 1);
  const api = APIS[cmd];
  if (!api) return `-ERR ${cmd} Command not found!\n`;
  return api(sw, raw.split(/\s+/).filter(Boolean), raw);
}
