/** `sendmsg` and `bgapi` handling, and dialplan applications run through sendmsg (mod_dptools subset). */
import { randomUUID } from 'node:crypto';
import { runApi } from './apis.ts';
import type { Packet } from './commandParser.ts';
import type { Outcome } from './connection.ts';
import { commandReply, rawCommandReply } from './frames.ts';
import { answer, earlyMedia, execute, executeComplete, hangup, park } from './calls.ts';
import type { Channel } from './channel.ts';
import { amd, avmd, eavesdrop, playback, startRecording, stopRecording } from './media.ts';
import type { Switch } from './switch.ts';

export function runApp(sw: Switch, ch: Channel, app: string, arg: string, appId: string = randomUUID()): void {
  if (!ch.alive) return;
  const done = (response = '_none_') => executeComplete(sw, ch, app, arg, appId, response);
  switch (app) {
    case 'park':
      // Never completes while the call lives; EXECUTE_COMPLETE comes on unpark.
      return park(sw, ch, appId);
    case 'playback':
      return playback(sw, ch, arg, appId);
    case 'eavesdrop':
    case 'three_way': {
      const target = sw.channels.get(arg.trim());
      if (!target) {
        execute(sw, ch, app, arg, appId);
        return done('-ERR no such channel');
      }
      const mode = app === 'three_way' ? 'three-way' : ch.vars.get('eavesdrop_whisper_aleg') === 'true' ? 'whisper-target' : ch.vars.get('eavesdrop_whisper_bleg') === 'true' ? 'whisper-other' : 'listen';
      return eavesdrop(sw, ch, target, mode, appId);
    }
    default:
      break;
  }
  execute(sw, ch, app, arg, appId);
  switch (app) {
    case 'answer':
      answer(sw, ch);
      return done();
    case 'pre_answer':
      // Early media: the caller hears prompts before (or without) being answered.
      if (!ch.answeredAt && ch.answerState !== 'early') earlyMedia(sw, ch);
      return done();
    case 'hangup':
      done();
      return hangup(sw, ch, arg || 'NORMAL_CLEARING');
    case 'set': {
      const i = arg.indexOf('=');
      if (i > 0) ch.vars.set(arg.slice(0, i), arg.slice(i + 1));
      return done();
    }
    case 'avmd_start':
      avmd(sw, ch, 'start');
      return done();
    case 'avmd_stop':
      avmd(sw, ch, 'stop');
      return done();
    case 'amd':
      amd(sw, ch);
      return done();
    case 'record_session':
      startRecording(sw, ch, arg.split(' ')[0]);
      return done();
    case 'stop_record_session':
      stopRecording(sw, ch, arg || 'all');
      return done();
    case 'sleep':
      sw.channelTimer(ch, Number(arg) || 0, () => done());
      return;
    default:
      return done();
  }
}

/** `bgapi`: the `~` reply now, the API in the background, then a BACKGROUND_JOB to every subscriber. */
export function bgapi(sw: Switch, line: string, jobHeader: string | undefined): Outcome {
  const job = jobHeader || randomUUID();
  const sp = line.indexOf(' ');
  const command = sp < 0 ? line : line.slice(0, sp);
  const arg = sp < 0 ? '' : line.slice(sp + 1);
  const finish = (body: string) => {
    const headers: Array<[string, string]> = [['Job-UUID', job], ['Job-Owner-UUID', ''], ['Job-Command', command]];
    if (arg) headers.push(['Job-Command-Arg', arg]);
    sw.fire('BACKGROUND_JOB', headers, body);
  };
  return {
    reply: rawCommandReply(`Reply-Text: +OK Job-UUID: ${job}\nJob-UUID: ${job}\n\n`),
    after: () => {
      const result = runApi(sw, line);
      if (typeof result === 'string') sw.clock.after(0, () => finish(result));
      else void result.then(finish);
    },
  };
}

/** `sendmsg`: `+OK` means queued; the application's events follow the reply. */
export function sendmsg(sw: Switch, uuid: string | undefined, p: Packet): Outcome {
  const ch = uuid ? sw.channels.get(uuid) : undefined;
  if (!ch) return { reply: commandReply(`-ERR invalid session id [${uuid ?? ''}]`) };
  const h = Object.fromEntries(Object.entries(p.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const command = h['call-command'];
  return {
    reply: commandReply('+OK'),
    after: () => {
      if (command === 'hangup') hangup(sw, ch, h['hangup-cause'] || 'NORMAL_CLEARING');
      else if (command === 'execute') runApp(sw, ch, h['execute-app-name'] ?? '', h['execute-app-arg'] ?? p.body ?? '', h['event-uuid']);
    },
  };
}
