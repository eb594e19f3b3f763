/** Golden tests of the simulator's wire protocol against the facts in research/freeswitch-esl.md §1. */
import { afterEach, describe, expect, it } from 'vitest';
import type { FreeSwitchSimulator } from '../../src/telephony/simulator/server.ts';
import { RawClient, eventHeader } from './support/rawClient.ts';
import { named, rawAuthed, startSim } from './support/sim.ts';

let sim: FreeSwitchSimulator;
afterEach(async () => sim?.stop());

describe('ESL session', () => {
  it('asks for auth, rejects commands before it, and closes on a wrong password with the 67-byte notice', async () => {
    sim = await startSim({ password: 'SECRET' });
    const c = await RawClient.connect(sim.port);
    const hello = await c.waitFor(() => true);
    expect(hello.raw).toBe('Content-Type: auth/request\n\n');
    expect((await c.command('api status\n\n')).headers['Reply-Text']).toBe('-ERR command not found');
    expect((await c.command('auth ClueCon\n\n')).headers['Reply-Text']).toBe('-ERR invalid');
    const notice = await c.waitFor((f) => f.headers['Content-Type'] === 'text/disconnect-notice');
    expect(notice.headers['Content-Length']).toBe('67');
    expect(notice.body).toBe('Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n');
    await expect(c.waitFor(() => false, 1000)).rejects.toThrow(/closed/);
  });

  it('answers exit with +OK bye and a disconnect notice', async () => {
    sim = await startSim();
    const c = await rawAuthed(sim, '');
    expect((await c.command('exit\n\n')).headers['Reply-Text']).toBe('+OK bye');
    await c.waitFor((f) => f.headers['Content-Type'] === 'text/disconnect-notice');
  });

  it('processes pipelined commands in one chunk and commands split across chunks, in order', async () => {
    sim = await startSim();
    const c = await rawAuthed(sim, '');
    c.send('api uuid_exists nope\n\napi version\n\nevent plain CHANNEL_CREATE\n\n');
    await c.waitFor((f) => f.headers['Reply-Text']?.startsWith('+OK event') ?? false);
    const replies = c.frames.slice(-3);
    expect(replies[0].body).toBe('false');
    expect(replies[1].body).toMatch(/^FreeSWITCH Version/);
    c.send('api uuid_');
    await new Promise((r) => setTimeout(r, 30));
    c.send('exists x\r\n\r\n');
    const r = await c.waitFor((f) => f.headers['Content-Type'] === 'api/response', 2000, c.frames.length);
    expect(r.body).toBe('false');
  });

  it('writes api/response with Content-Type first and a byte-counted Content-Length', async () => {
    sim = await startSim();
    const c = await rawAuthed(sim, '');
    const r = await c.command('api nosuch arg\n\n');
    expect(r.raw).toBe('Content-Type: api/response\nContent-Length: 31\n\n-ERR nosuch Command not found!\n');
    const cn = await c.command("api originate {origination_caller_id_name='张三'}error/user_busy &park()\n\n");
    expect(cn.body).toBe('-ERR USER_BUSY\n');
  });

  it('replies to subscription commands with the exact strings', async () => {
    sim = await startSim();
    const c = await rawAuthed(sim, '');
    const text = async (cmd: string) => (await c.command(`${cmd}\n\n`)).headers['Reply-Text'];
    expect(await text('noevents')).toBe('-ERR not listening for events');
    expect(await text('event json SWITCH_EVENT_CHANNEL_CREATE heartbeat')).toBe('+OK event listener enabled json');
    expect(await text('event')).toBe('-ERR no keywords supplied');
    expect(await text('nixevent HEARTBEAT')).toBe('+OK events nixed');
    expect(await text('filter Unique-ID abc')).toBe('+OK filter added. [Unique-ID]=[abc]');
    expect(await text('filter delete Unique-ID')).toBe('+OK filter deleted. [Unique-ID][(null)]');
    expect(await text('myevents')).toBe('-ERR invalid uuid');
    expect(await text('linger')).toBe('-ERR not controlling a session');
    expect(await text('sendmsg nope\ncall-command: hangup')).toBe('-ERR invalid session id [nope]');
    expect(await text('noevents')).toBe('+OK no longer listening for events');
    expect(await text('frobnicate')).toBe('-ERR command not found');
  });

  it('treats every token after CUSTOM as a subclass, so BACKGROUND_JOB there is not subscribed', async () => {
    sim = await startSim();
    const trap = await rawAuthed(sim, 'event plain CUSTOM avmd::beep BACKGROUND_JOB');
    const ok = await rawAuthed(sim, 'event plain BACKGROUND_JOB');
    const reply = await trap.command('bgapi originate error/user_busy &park()\nJob-UUID: j1\n\n');
    expect(reply.raw).toBe('Content-Type: command/reply\nReply-Text: +OK Job-UUID: j1\nJob-UUID: j1\n\n');
    const job = await ok.waitFor(named('BACKGROUND_JOB'));
    expect(eventHeader(job, 'Job-UUID')).toBe('j1');
    expect(job.raw).toContain('Job-Owner-UUID: _undef_\n');
    expect(job.raw).toContain('Job-Command-Arg: error/user_busy%20%26park()\n');
    expect(job.raw.endsWith('Content-Length: 15\n\n-ERR USER_BUSY\n')).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(trap.eventNames()).toEqual([]);
  });

  it('applies filters to BACKGROUND_JOB too, with exclusions winning', async () => {
    sim = await startSim();
    const c = await rawAuthed(sim, 'event json ALL');
    await c.command('filter Unique-ID only-me\n\n');
    await c.command('bgapi originate error/user_busy &park()\nJob-UUID: j2\n\n');
    await c.command('filter Event-Name BACKGROUND_JOB\n\n');
    await c.command('filter Job-UUID -j3\n\n');
    await c.command('bgapi originate error/user_busy &park()\nJob-UUID: j3\n\n');
    await c.command('bgapi originate error/user_busy &park()\nJob-UUID: j4\n\n');
    await c.waitFor((f) => eventHeader(f, 'Job-UUID') === 'j4');
    expect(c.frames.filter((f) => f.event).map((f) => eventHeader(f, 'Job-UUID'))).toEqual(['j4']);
    expect(c.frames.at(-1)!.headers['Content-Type']).toBe('text/event-json');
  });

  it('closes a myevents connection when its channel hangs up, after the final events', async () => {
    sim = await startSim();
    const ctl = await rawAuthed(sim, '');
    const id = sim.inboundCall('13800138000', '4000');
    const c = await rawAuthed(sim, '');
    expect((await c.command(`myevents ${id}\n\n`)).headers['Reply-Text']).toBe('+OK Events Enabled');
    await ctl.command(`api uuid_kill ${id}\n\n`);
    const notice = await c.waitFor((f) => f.headers['Content-Type'] === 'text/disconnect-notice');
    expect(notice.headers['Controlled-Session-UUID']).toBe(id);
    expect(notice.headers['Content-Disposition']).toBe('disconnect');
    const names = c.eventNames();
    expect(names).toContain('CHANNEL_HANGUP_COMPLETE');
    expect(names.at(-1)).toBe('CHANNEL_DESTROY');
  });

  it('holds events while a slow api runs, then kills a listener that lost too many', async () => {
    sim = await startSim({ maxQueue: 5, maxMissed: 3 });
    sim.switch.customers.script('42', { kind: 'no-answer', earlyMedia: false });
    const c = await rawAuthed(sim, 'event plain HEARTBEAT');
    // api originate blocks this connection for the ring time (research §1.4); events queue meanwhile.
    c.send('api originate {originate_timeout=20}sofia/gateway/gw/42 &park()\n\n');
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 4; i++) sim.switch.fireHeartbeat();
    await new Promise((r) => setTimeout(r, 20));
    expect(c.eventNames()).toEqual([]);
    for (let i = 0; i < 6; i++) sim.switch.fireHeartbeat();
    const notice = await c.waitFor((f) => f.headers['Content-Type'] === 'text/disconnect-notice');
    expect(notice.body).toBe('killed listener because of lost events\n');
  });

  it('delivers events that queued behind a slow api only after its reply', async () => {
    sim = await startSim();
    sim.switch.customers.script('43', { kind: 'no-answer', earlyMedia: false });
    const c = await rawAuthed(sim, 'event plain HEARTBEAT');
    c.send('api originate {originate_timeout=10}sofia/gateway/gw/43 &park()\n\n');
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 3; i++) sim.switch.fireHeartbeat();
    await c.waitFor((f) => f.headers['Content-Type'] === 'api/response');
    await new Promise((r) => setTimeout(r, 20));
    const kinds = c.frames.slice(3).map((f) => f.headers['Content-Type']);
    expect(kinds).toEqual(['api/response', 'text/event-plain', 'text/event-plain', 'text/event-plain']);
    expect(c.frames[3].body).toBe('-ERR NO_ANSWER\n');
  });
});
