/** The simulator's call model: event order, CDR, limits, bridge, record, eavesdrop (research note §2, §3, §7). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FreeSwitchSimulator } from '../../src/telephony/simulator/server.ts';
import { eventHeader } from './support/rawClient.ts';
import { channelEvents, named, rawAuthed, startSim } from './support/sim.ts';

let sim: FreeSwitchSimulator;
afterEach(async () => sim?.stop());

const STANDARD = ['Event-Name', 'Core-UUID', 'FreeSWITCH-Hostname', 'FreeSWITCH-Switchname', 'FreeSWITCH-IPv4', 'FreeSWITCH-IPv6',
  'Event-Date-Local', 'Event-Date-GMT', 'Event-Date-Timestamp', 'Event-Calling-File', 'Event-Calling-Function',
  'Event-Calling-Line-Number', 'Event-Sequence'];

describe('a full answered call', () => {
  it('fires CHANNEL_CREATE … CHANNEL_DESTROY in FreeSWITCH order with standard headers, variables and CDR', async () => {
    sim = await startSim();
    sim.switch.customers.script('8613800138000', { kind: 'answer', ringMs: 2_000, talkMs: 5_000, machine: false, earlyMedia: true });
    const c = await rawAuthed(sim);
    await c.command('bgapi originate {origination_uuid=call-1,ignore_early_media=true,originate_timeout=30,callstream_campaign_id=营销1}sofia/gateway/trunk1/8613800138000 &park()\nJob-UUID: job-1\n\n');
    await c.waitFor(named('CHANNEL_DESTROY', 'call-1'));
    const order = channelEvents(c, 'call-1').filter((n) => n !== 'CHANNEL_STATE' && n !== 'CHANNEL_CALLSTATE');
    expect(order).toEqual(['CHANNEL_CREATE', 'CHANNEL_ORIGINATE', 'CHANNEL_OUTGOING', 'CHANNEL_PROGRESS', 'CHANNEL_PROGRESS_MEDIA',
      'CHANNEL_ANSWER', 'CHANNEL_EXECUTE', 'CHANNEL_PARK', 'CHANNEL_HANGUP', 'CHANNEL_UNPARK', 'CHANNEL_EXECUTE_COMPLETE',
      'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_DESTROY']);
    const job = await c.waitFor(named('BACKGROUND_JOB'));
    expect(eventHeader(job, '_body')).toBe('+OK call-1\n');
    const events = c.frames.filter((f) => f.event);
    const seqs = events.map((f) => Number(eventHeader(f, 'Event-Sequence')));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    for (const f of events) expect(f.event!.slice(0, 13).map(([k]) => k)).toEqual(STANDARD);
    for (const f of events) expect(Buffer.byteLength(f.raw.slice(f.raw.indexOf('\n\n') + 2))).toBe(Number(f.headers['Content-Length']));
    const create = events.find(named('CHANNEL_CREATE'))!;
    expect(eventHeader(create, 'variable_callstream_campaign_id')).toBe('营销1');
    expect(create.raw).toContain('variable_callstream_campaign_id: %E8%90%A5%E9%94%801\n');
    const state = events.find(named('CHANNEL_STATE'))!;
    expect(state.event!.some(([k]) => k.startsWith('variable_'))).toBe(false);
    const done = events.find(named('CHANNEL_HANGUP_COMPLETE'))!;
    expect(eventHeader(done, 'variable_hangup_cause')).toBe('NORMAL_CLEARING');
    expect(eventHeader(done, 'variable_sip_hangup_disposition')).toBe('recv_bye');
    // Simulated time runs 100x; a loaded machine makes timers late, so check consistency and lower bounds.
    const billsec = Number(eventHeader(done, 'variable_billsec'));
    expect(billsec).toBeGreaterThanOrEqual(5);
    expect(Math.abs(billsec - (Number(eventHeader(done, 'variable_end_epoch')) - Number(eventHeader(done, 'variable_answer_epoch'))))).toBeLessThanOrEqual(1);
    expect(Number(eventHeader(done, 'variable_waitsec'))).toBeGreaterThanOrEqual(2);
    expect(Number(eventHeader(done, 'variable_duration'))).toBeGreaterThanOrEqual(billsec);
    expect(eventHeader(done, 'Answer-State')).toBe('hangup');
  });

  it('ends a busy number with USER_BUSY before BACKGROUND_JOB -ERR USER_BUSY', async () => {
    sim = await startSim();
    sim.switch.customers.script('100', { kind: 'fail', afterMs: 1_000, cause: 'USER_BUSY', sipStatus: 486 });
    const c = await rawAuthed(sim);
    await c.command('bgapi originate {origination_uuid=b1}sofia/gateway/gw/100 &park()\n\n');
    const job = await c.waitFor(named('BACKGROUND_JOB'));
    expect(eventHeader(job, '_body')).toBe('-ERR USER_BUSY\n');
    const hang = c.frames.find(named('CHANNEL_HANGUP_COMPLETE', 'b1'))!;
    expect(eventHeader(hang, 'variable_sip_term_status')).toBe('486');
    expect(c.frames.indexOf(hang)).toBeLessThan(c.frames.indexOf(job));
  });

  it('completes on 183 without ignore_early_media, and times out with NO_ANSWER', async () => {
    sim = await startSim();
    sim.switch.customers.script('200', { kind: 'no-answer', earlyMedia: true });
    const c = await rawAuthed(sim);
    const early = await c.command('api originate {origination_uuid=e1}sofia/gateway/gw/200 &park()\n\n');
    expect(early.body).toBe('+OK e1\n');
    expect(eventHeader(c.frames.find(named('CHANNEL_PARK', 'e1'))!, 'Answer-State')).toBe('early');
    const late = await c.command('api originate {origination_uuid=e2,ignore_early_media=true,originate_timeout=5}sofia/gateway/gw/200 &park()\n\n');
    expect(late.body).toBe('-ERR NO_ANSWER\n');
  });

  it('refuses calls over max-sessions or sessions-per-second with DESTINATION_OUT_OF_ORDER', async () => {
    // Real-time clock here: the sps window is one second of simulated time.
    sim = await startSim({ maxSessions: 1, sps: 100, timeScale: 1 });
    sim.switch.customers.script('300', { kind: 'no-answer', earlyMedia: false });
    const c = await rawAuthed(sim, '');
    await c.command('bgapi originate sofia/gateway/gw/300 &park()\n\n');
    expect((await c.command('api originate sofia/gateway/gw/300 &park()\n\n')).body).toBe('-ERR DESTINATION_OUT_OF_ORDER\n');
    expect((await c.command('api fsctl max_sessions 10\n\n')).body).toMatch(/^\+OK/);
    await c.command('api fsctl sps 1\n\n');
    expect((await c.command('api originate sofia/gateway/gw/300 &park()\n\n')).body).toBe('-ERR DESTINATION_OUT_OF_ORDER\n');
  });
});

describe('channel control', () => {
  async function twoLegs() {
    sim = await startSim();
    sim.switch.customers.script('500', { kind: 'answer', ringMs: 500, talkMs: 600_000, machine: false, earlyMedia: false });
    const c = await rawAuthed(sim);
    expect((await c.command('api originate {origination_uuid=cust,ignore_early_media=true}sofia/gateway/gw/500 &park()\n\n')).body).toBe('+OK cust\n');
    expect((await c.command('api originate {origination_uuid=agent,park_after_bridge=true}user/1001 &park()\n\n')).body).toBe('+OK agent\n');
    return c;
  }

  it('uuid_bridge fires one CHANNEL_BRIDGE on the originator with a shared call uuid; the survivor parks', async () => {
    const c = await twoLegs();
    expect((await c.command('api uuid_bridge cust agent\n\n')).body).toBe('+OK agent\n');
    const bridge = await c.waitFor(named('CHANNEL_BRIDGE'));
    await new Promise((r) => setTimeout(r, 30));
    expect(c.frames.filter(named('CHANNEL_BRIDGE'))).toHaveLength(1);
    expect(eventHeader(bridge, 'Unique-ID')).toBe('cust');
    expect(eventHeader(bridge, 'Bridge-B-Unique-ID')).toBe('agent');
    expect(c.frames.filter((f) => named('CHANNEL_EXECUTE')(f) && eventHeader(f, 'Application') === 'uuid_bridge')).toHaveLength(2);
    expect(sim.hears('cust')).toEqual(['agent']);
    const n = c.frames.length;
    sim.remoteHangup('cust');
    const unbridge = await c.waitFor(named('CHANNEL_UNBRIDGE'), 2000, n);
    expect(eventHeader(unbridge, 'Unique-ID')).toBe('cust');
    await c.waitFor(named('CHANNEL_PARK', 'agent'), 2000, n);
    expect((await c.command('api uuid_exists agent\n\n')).body).toBe('true');
  });

  it('holds, broadcasts, sets and gets variables, sends DTMF and lists channels as json', async () => {
    const c = await twoLegs();
    expect((await c.command('api uuid_hold cust\n\n')).body).toBe('+OK Success\n');
    await c.waitFor(named('CHANNEL_HOLD', 'cust'));
    expect((await c.command('api uuid_hold off cust\n\n')).body).toBe('+OK Success\n');
    await c.waitFor(named('CHANNEL_UNHOLD', 'cust'));
    expect((await c.command('api uuid_broadcast cust /tmp/beep.wav aleg\n\n')).body).toBe('+OK Message sent\n');
    const stop = await c.waitFor(named('PLAYBACK_STOP', 'cust'));
    expect(eventHeader(stop, 'Playback-Status')).toBe('done');
    expect((await c.command('api uuid_getvar cust nothing\n\n')).body).toBe('_undef_');
    await c.command('api uuid_setvar cust lead 42\n\n');
    expect((await c.command('api uuid_getvar cust lead\n\n')).body).toBe('42');
    await c.command('api uuid_send_dtmf cust 1#\n\n');
    const d = await c.waitFor((f) => named('DTMF', 'cust')(f) && eventHeader(f, 'DTMF-Digit') === '#');
    expect(eventHeader(d, 'DTMF-Source')).toBe('APP');
    expect(d.event!.some(([k]) => k.startsWith('variable_'))).toBe(false);
    const list = JSON.parse((await c.command('api show channels as json\n\n')).body);
    expect(list.row_count).toBe(2);
    expect(list.rows.map((r: { uuid: string }) => r.uuid).sort()).toEqual(['agent', 'cust']);
    await c.command('api hupall\n\n');
    await c.waitFor(named('CHANNEL_DESTROY', 'agent'));
    expect((await c.command('api show channels as json\n\n')).body).toBe('{"row_count": 0}\n');
  });

  it('uuid_record writes a WAV whose length leaves out the paused part', async () => {
    const c = await twoLegs();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rec-')), 'call.wav');
    const now = () => sim.switch.clock.now();
    // Bracket each command with the simulated clock: the switch acts somewhere in between.
    const timed = async (cmd: string) => {
      const before = now();
      const r = await c.command(cmd);
      return { before, after: now(), body: r.body };
    };
    const start = await timed(`api uuid_record cust start ${file}\n\n`);
    expect(start.body).toBe('+OK Success\n');
    await c.waitFor(named('RECORD_START', 'cust'));
    await new Promise((r) => setTimeout(r, 30));
    const pause = await timed(`api uuid_record cust pause ${file}\n\n`);
    await new Promise((r) => setTimeout(r, 80));
    const resume = await timed(`api uuid_record cust resume ${file}\n\n`);
    await new Promise((r) => setTimeout(r, 30));
    const stopCmd = await timed(`api uuid_record cust stop ${file}\n\n`);
    const stop = await c.waitFor(named('RECORD_STOP', 'cust'));
    expect(eventHeader(stop, 'Record-File-Path')).toBe(file);
    const ms = Number(eventHeader(stop, 'variable_record_ms'));
    const wav = fs.readFileSync(file);
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    expect(wav.readUInt32LE(40) / 16).toBeCloseTo(ms, -1); // 8000 Hz × 2 bytes = 16 bytes per ms
    // The paused stretch is not in the file at all.
    expect(ms).toBeGreaterThanOrEqual(pause.before - start.after + (stopCmd.before - resume.after) - 2);
    expect(ms).toBeLessThanOrEqual(pause.after - start.before + (stopCmd.after - resume.before) + 2);
    expect(ms).toBeLessThan(stopCmd.after - start.before - (resume.before - pause.after));
    expect((await c.command(`api uuid_record nope stop ${file}\n\n`)).body).toBe('-ERR Cannot locate session!\n');
  });

  it('eavesdrop listens, DTMF switches to whisper and barge, and the supervisor drops with the call', async () => {
    const c = await twoLegs();
    await c.command('api uuid_bridge cust agent\n\n');
    await c.waitFor(named('CHANNEL_BRIDGE'));
    expect((await c.command('api originate {origination_uuid=sup}user/2001 &eavesdrop(agent)\n\n')).body).toBe('+OK sup\n');
    const bug = await c.waitFor(named('MEDIA_BUG_START', 'agent'));
    expect(eventHeader(bug, 'Media-Bug-Target')).toBe('sup');
    expect(sim.hears('sup').sort()).toEqual(['agent', 'cust']);
    expect(sim.hears('agent')).toEqual(['cust']);
    sim.injectDtmf('sup', '1');
    expect(sim.hears('agent').sort()).toEqual(['cust', 'sup']);
    expect(sim.hears('cust')).toEqual(['agent']);
    sim.injectDtmf('sup', '3');
    expect(sim.hears('cust').sort()).toEqual(['agent', 'sup']);
    sim.remoteHangup('agent');
    await c.waitFor(named('CHANNEL_DESTROY', 'sup'));
  });

  it('reports an answering machine through avmd::beep and amd::info', async () => {
    sim = await startSim();
    sim.switch.customers.script('600', { kind: 'answer', ringMs: 500, talkMs: 600_000, machine: true, earlyMedia: false });
    const c = await rawAuthed(sim, 'event plain CHANNEL_ANSWER CUSTOM avmd::beep amd::info');
    await c.command('api originate {origination_uuid=m1,ignore_early_media=true}sofia/gateway/gw/600 &avmd_start()\n\n');
    const beep = await c.waitFor((f) => eventHeader(f, 'Event-Subclass') === 'avmd::beep');
    expect(eventHeader(beep, 'Beep-Status')).toBe('DETECTED');
    expect((await c.command('api amd m1 start\n\n')).body).toBe('+OK\n');
    const amd = await c.waitFor((f) => eventHeader(f, 'Event-Subclass') === 'amd::info');
    expect(eventHeader(amd, 'variable_amd_result')).toBe('MACHINE');
  });

  it('sends HEARTBEAT with the live Session-Count', async () => {
    sim = await startSim({ heartbeatMs: 2_000 });
    sim.inboundCall('13900000000', '4000');
    const c = await rawAuthed(sim, 'event plain HEARTBEAT');
    const hb = await c.waitFor(named('HEARTBEAT'));
    expect(eventHeader(hb, 'Session-Count')).toBe('1');
    expect(eventHeader(hb, 'Event-Info')).toBe('System Ready');
  });
});
