/** Media features of the simulated switch: recording, playback, AMD, eavesdrop and DTMF. */
import { randomUUID } from 'node:crypto';
import type { Channel, EavesdropMode, Recording } from './channel.ts';
import { execute, executeComplete } from './calls.ts';
import type { Switch } from './switch.ts';
import { writeWav } from './wav.ts';

/** Simulated ms after the API call until the first media frame starts the recording bug. */
const FIRST_MEDIA_MS = 20;

export function startRecording(sw: Switch, ch: Channel, path: string): void {
  const now = sw.clock.now();
  const rec: Recording = { path, startedAt: now, pausedMs: 0, segments: [], segmentStart: now, masked: false };
  ch.recordings.set(path, rec);
  sw.channelTimer(ch, FIRST_MEDIA_MS, () => {
    if (ch.recordings.get(path) === rec) sw.fireChannel(ch, 'RECORD_START', [['Record-File-Path', path]]);
  });
}

function closeSegment(sw: Switch, rec: Recording): void {
  const now = sw.clock.now();
  rec.segments.push([now - rec.segmentStart, !rec.masked && rec.pausedAt === undefined]);
  rec.segmentStart = now;
}

export function changeRecording(sw: Switch, ch: Channel, path: string, action: 'mask' | 'unmask' | 'pause' | 'resume'): boolean {
  const rec = ch.recordings.get(path);
  if (!rec) return false;
  const now = sw.clock.now();
  if (action === 'pause' && rec.pausedAt !== undefined) return true;
  if (action === 'resume' && rec.pausedAt === undefined) return true;
  if (action === 'pause' || action === 'mask' || action === 'unmask') closeSegment(sw, rec);
  if (action === 'mask') rec.masked = true;
  if (action === 'unmask') rec.masked = false;
  if (action === 'pause') rec.pausedAt = now;
  if (action === 'resume') {
    // Paused time is not in the file at all (card numbers are never written).
    rec.pausedMs += now - rec.pausedAt!;
    rec.pausedAt = undefined;
    rec.segmentStart = now;
  }
  return true;
}

/** Stop one recording (or every one with 'all'), write the WAV file and fire RECORD_STOP. */
export function stopRecording(sw: Switch, ch: Channel, path: string): boolean {
  const paths = path === 'all' ? [...ch.recordings.keys()] : [path];
  let any = false;
  for (const p of paths) {
    const rec = ch.recordings.get(p);
    if (!rec) continue;
    any = true;
    if (rec.pausedAt === undefined) closeSegment(sw, rec);
    ch.recordings.delete(p);
    const ms = Math.round(rec.segments.reduce((n, [d]) => n + d, 0));
    const samples = writeWav(p, rec.segments.filter(([d]) => d > 0));
    ch.vars.set('record_seconds', String(Math.floor(ms / 1000)));
    ch.vars.set('record_ms', String(ms));
    ch.vars.set('record_samples', String(samples));
    sw.fireChannel(ch, 'RECORD_STOP', [['Record-File-Path', p], ['Record-Completion-Cause', 'success']]);
  }
  return any;
}

/** Longer than any call lasts: a tone generated without end (`tone_stream://...;loops=-1`) stops only when broken off. */
const ENDLESS_MS = 86_400_000;

/** A generated tone (e.g. ring-back, `tone_stream://%(2000,4000,440,480);loops=-1`) that loops until broken off. */
export const isEndlessTone = (file: string): boolean => file.startsWith('tone_stream://') && /;\s*loops=-1\b/.test(file);

/**
 * uuid_broadcast / playback: EXECUTE, PLAYBACK_START, then PLAYBACK_STOP and EXECUTE_COMPLETE. A file or a
 * tone_stream plays `playbackMs`; an endless tone plays until uuid_break or the hangup.
 */
export function playback(sw: Switch, ch: Channel, file: string, appId: string = randomUUID()): void {
  execute(sw, ch, 'playback', file, appId);
  sw.fireChannel(ch, 'PLAYBACK_START', [['Playback-File-Path', file]]);
  const timer = sw.channelTimer(ch, isEndlessTone(file) ? ENDLESS_MS : sw.options.playbackMs, () => endPlayback(sw, ch, appId, 'done'));
  ch.playbacks.set(appId, { file, timer });
}

/** PLAYBACK_STOP then EXECUTE_COMPLETE; FreeSWITCH answers FILE PLAYED for a broken-off prompt too. */
function endPlayback(sw: Switch, ch: Channel, appId: string, status: 'done' | 'break'): void {
  const p = ch.playbacks.get(appId);
  if (!p) return;
  ch.playbacks.delete(appId);
  sw.fireChannel(ch, 'PLAYBACK_STOP', [['Playback-File-Path', p.file], ['Playback-Status', status]]);
  executeComplete(sw, ch, 'playback', p.file, appId, 'FILE PLAYED');
}

/**
 * uuid_buglist: the channel's media bugs as FreeSWITCH lists them (switch_core_media_bug_enumerate); here its
 * recordings, each a `session_record` bug whose target is the file.
 */
export function mediaBugs(ch: Channel): string {
  const bugs = [...ch.recordings.keys()].map((file) => `  <media-bug>\n    <function>session_record</function>\n    <target>${file}</target>\n    <thread-locked>0</thread-locked>\n  </media-bug>\n`);
  return `<media-bugs>\n${bugs.join('')}</media-bugs>\n`;
}

/** uuid_break: stop the prompt playing now (with `all`, every one); nothing playing is no error. */
export function breakMedia(sw: Switch, ch: Channel, all: boolean): void {
  const playing = [...ch.playbacks.entries()];
  for (const [appId, p] of all ? playing : playing.slice(0, 1)) {
    sw.clock.cancel(p.timer);
    ch.timers.delete(p.timer);
    endPlayback(sw, ch, appId, 'break');
  }
}

/** mod_avmd: detects a voicemail beep, which only machines play. */
export function avmd(sw: Switch, ch: Channel, action: 'start' | 'stop'): void {
  if (action === 'start') {
    if (ch.avmdRunning) return;
    ch.avmdRunning = true;
    sw.fireChannel(ch, 'CUSTOM', [], 'avmd::start');
    if (!ch.machine) return;
    sw.channelTimer(ch, 3_000, () => {
      if (!ch.avmdRunning) return;
      ch.avmdDetected = true;
      ch.vars.set('avmd_detect', 'TRUE');
      sw.fireChannel(ch, 'CUSTOM', [
        ['Call-command', 'avmd'], ['Beep-Status', 'DETECTED'], ['Frequency', '1000.000000'], ['Frequency-variance', '0.000100'],
        ['Amplitude', '0.250000'], ['Amplitude-variance', '0.000010'], ['Detection-time', '3000'],
      ], 'avmd::beep');
    });
    return;
  }
  if (!ch.avmdRunning) return;
  ch.avmdRunning = false;
  sw.fireChannel(ch, 'CUSTOM', [['Beep-Status', ch.avmdDetected ? 'DETECTED' : 'NOTDETECTED'], ['Stop-status', 'SUCCESS']], 'avmd::stop');
}

/** A mod_amd emulation: amd_result / amd_cause variables plus CUSTOM amd::info after the analysis time. */
export function amd(sw: Switch, ch: Channel, analysisMs = 2_500): void {
  sw.channelTimer(ch, analysisMs, () => {
    const result = ch.machine ? 'MACHINE' : 'HUMAN';
    const cause = ch.machine ? 'LONG_GREETING' : 'SILENCE_AFTER_GREETING';
    ch.vars.set('amd_result', result);
    ch.vars.set('amd_cause', cause);
    sw.fireChannel(ch, 'CUSTOM', [['AMD-Result', result], ['AMD-Cause', cause]], 'amd::info');
  });
}

export function eavesdrop(sw: Switch, sup: Channel, target: Channel, mode: EavesdropMode, appId?: string): void {
  execute(sw, sup, mode === 'three-way' && !appId ? 'three_way' : 'eavesdrop', target.uuid, appId ?? randomUUID());
  sup.eavesdropTarget = target.uuid;
  sup.eavesdropMode = mode;
  sw.fireChannel(target, 'MEDIA_BUG_START', [['Media-Bug-Function', 'eavesdrop'], ['Media-Bug-Target', sup.uuid]]);
}

export function endEavesdrop(sw: Switch, sup: Channel): void {
  const target = sup.eavesdropTarget ? sw.channels.get(sup.eavesdropTarget) : undefined;
  sup.eavesdropTarget = undefined;
  if (target?.alive) sw.fireChannel(target, 'MEDIA_BUG_STOP', [['Media-Bug-Function', 'eavesdrop'], ['Media-Bug-Target', sup.uuid]]);
}

const DTMF_MODES: Record<string, EavesdropMode> = { '0': 'listen', '1': 'whisper-target', '2': 'whisper-other', '3': 'three-way' };

/** A DTMF event (no variable_* headers); digits 0-3 on an eavesdropping leg switch its mode. */
export function dtmf(sw: Switch, ch: Channel, digit: string, source: 'RTP' | 'APP' = 'RTP', durationSamples = 2000): void {
  sw.fireChannel(ch, 'DTMF', [['DTMF-Digit', digit], ['DTMF-Duration', String(durationSamples)], ['DTMF-Source', source]]);
  if (ch.eavesdropTarget && DTMF_MODES[digit]) ch.eavesdropMode = DTMF_MODES[digit];
}

/** Whose voice reaches `uuid`: the bridged party, plus supervisors whispering or barging towards it. */
export function hears(sw: Switch, uuid: string): string[] {
  const ch = sw.channels.get(uuid);
  if (!ch) return [];
  const out = new Set<string>();
  if (ch.eavesdropTarget) {
    const target = sw.channels.get(ch.eavesdropTarget);
    out.add(ch.eavesdropTarget);
    if (target?.bridgedTo) out.add(target.bridgedTo);
  }
  if (ch.bridgedTo) out.add(ch.bridgedTo);
  for (const sup of sw.channels.values()) {
    if (!sup.eavesdropTarget || !sup.alive) continue;
    const target = sw.channels.get(sup.eavesdropTarget);
    if (!target) continue;
    const mode = sup.eavesdropMode;
    const toTarget = mode === 'whisper-target' || mode === 'three-way';
    const toOther = mode === 'whisper-other' || mode === 'three-way';
    if ((target.uuid === uuid && toTarget) || (target.bridgedTo === uuid && toOther)) out.add(sup.uuid);
  }
  return [...out];
}
