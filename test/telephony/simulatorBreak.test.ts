/** uuid_break on the simulator: a prompt playing is cut, as FreeSWITCH does when a caller presses a key. */
import { afterEach, describe, expect, it } from 'vitest';
import type { FreeSwitchSimulator } from '../../src/telephony/simulator/server.ts';
import { eventHeader } from './support/rawClient.ts';
import { named, rawAuthed, startSim } from './support/sim.ts';

let sim: FreeSwitchSimulator;
afterEach(async () => sim?.stop());

const stopOf = (file: string) => (f: Parameters<ReturnType<typeof named>>[0]) => named('PLAYBACK_STOP', 'caller')(f) && eventHeader(f, 'Playback-File-Path') === file;

describe('uuid_break', () => {
  it('stops the prompt playing now with PLAYBACK_STOP status break, then EXECUTE_COMPLETE FILE PLAYED; without all, a second prompt plays on', async () => {
    // A minute-long prompt: only a break can end it within the test.
    sim = await startSim({ playbackMs: 60_000 });
    const c = await rawAuthed(sim);
    sim.inboundCall('13800138000', '+862180000000', 'caller');
    await c.waitFor(named('CHANNEL_PARK', 'caller'));
    await c.command('api uuid_broadcast caller /tmp/welcome.wav aleg\n\n');
    await c.waitFor(named('PLAYBACK_START', 'caller'));
    await c.command('api uuid_broadcast caller /tmp/music.wav aleg\n\n');
    await c.waitFor((f) => named('PLAYBACK_START', 'caller')(f) && eventHeader(f, 'Playback-File-Path') === '/tmp/music.wav');

    expect((await c.command('api uuid_break caller\n\n')).body).toBe('+OK\n');
    const stop = await c.waitFor(stopOf('/tmp/welcome.wav'));
    expect(eventHeader(stop, 'Playback-Status')).toBe('break');
    const done = await c.waitFor((f) => named('CHANNEL_EXECUTE_COMPLETE', 'caller')(f) && eventHeader(f, 'Application') === 'playback');
    expect(eventHeader(done, 'Application-Data')).toBe('/tmp/welcome.wav');
    expect(eventHeader(done, 'Application-Response')).toBe('FILE PLAYED');
    expect(c.frames.some(stopOf('/tmp/music.wav'))).toBe(false);

    expect((await c.command('api uuid_break caller all\n\n')).body).toBe('+OK\n');
    expect(eventHeader(await c.waitFor(stopOf('/tmp/music.wav')), 'Playback-Status')).toBe('break');
  });

  it('with nothing playing answers +OK and fires nothing; an unknown channel is refused', async () => {
    sim = await startSim();
    const c = await rawAuthed(sim);
    sim.inboundCall('13800138000', '+862180000000', 'caller');
    await c.waitFor(named('CHANNEL_PARK', 'caller'));
    expect((await c.command('api uuid_break caller all\n\n')).body).toBe('+OK\n');
    expect((await c.command('api uuid_break nobody\n\n')).body).toBe('-ERR No such channel!\n');
    await new Promise((r) => setTimeout(r, 50));
    expect(c.frames.some(named('PLAYBACK_STOP', 'caller'))).toBe(false);
  });
});
