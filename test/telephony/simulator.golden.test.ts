/**
 * Golden: the simulator's frames for a full call are read identically by drachtio-modesl
 * (unpatched, plain and json) and by a raw TCP client; plus ACL rejection and auth timeout.
 */
import esl from 'drachtio-modesl';
import { afterEach, describe, expect, it } from 'vitest';
import type { FreeSwitchSimulator } from '../../src/telephony/simulator/server.ts';
import { RawClient, eventHeader } from './support/rawClient.ts';
import { named, rawAuthed, startSim } from './support/sim.ts';

let sim: FreeSwitchSimulator;
afterEach(async () => sim?.stop());

interface Seen {
  name: string;
  get: (h: string) => string | null;
  body: string;
}

function drachtio(port: number, password: string, format: 'plain' | 'json'): Promise<{ seen: Seen[]; conn: InstanceType<typeof esl.Connection> }> {
  return new Promise((resolve) => {
    const seen: Seen[] = [];
    const conn = new esl.Connection('127.0.0.1', port, password);
    conn.reconnectOpts.maxAttempts = 1;
    conn.reconnectVars.attempts = 1;
    conn.on('error', () => {});
    conn.on('esl::event::**', (ev: InstanceType<typeof esl.Event>, headers: Record<string, unknown>) => {
      if (String(headers?.['Content-Type']).startsWith('text/event-')) seen.push({ name: ev.getHeader('Event-Name') ?? '', get: (h) => ev.getHeader(h), body: ev.getBody() });
    });
    conn.on('esl::ready', () => conn.sendRecv(`event ${format} ALL`, null, () => resolve({ seen, conn })));
  });
}

describe('simulator frames, read by two parsers', () => {
  it('a full call parses the same in drachtio-modesl (plain and json) and a raw TCP client', async () => {
    sim = await startSim();
    sim.switch.customers.script('8613912345678', { kind: 'answer', ringMs: 1_000, talkMs: 3_000, machine: false, earlyMedia: true });
    const raw = await rawAuthed(sim);
    const plain = await drachtio(sim.port, sim.password, 'plain');
    const json = await drachtio(sim.port, sim.password, 'json');
    await raw.command("bgapi originate {origination_uuid=g1,ignore_early_media=true,origination_caller_id_name='王 五',callstream_lead_id=线索#7}sofia/gateway/trunk1/8613912345678 &park()\nJob-UUID: gj\n\n");
    await raw.waitFor(named('CHANNEL_DESTROY', 'g1'));
    await new Promise((r) => setTimeout(r, 50));
    const rawEvents = raw.frames.filter((f) => f.event);
    for (const lib of [plain.seen, json.seen]) {
      expect(lib.map((e) => e.name)).toEqual(rawEvents.map((f) => eventHeader(f, 'Event-Name')));
      lib.forEach((e, i) => {
        for (const [k, raw] of rawEvents[i].event!) {
          // Plain writes an empty value as _undef_; JSON carries the empty string.
          const v = lib === json.seen && raw === '_undef_' ? '' : raw;
          if (k === '_body') expect(e.body).toBe(v);
          // drachtio turns the inner Content-Length into a number.
          else expect(e.get(k) === null ? null : String(e.get(k))).toBe(v);
        }
      });
    }
    const create = plain.seen.find((e) => e.name === 'CHANNEL_CREATE')!;
    expect(create.get('variable_callstream_lead_id')).toBe('线索#7');
    expect(create.get('Caller-Caller-ID-Name')).toBe('王 五');
    expect(json.seen.find((e) => e.name === 'BACKGROUND_JOB')!.body).toBe('+OK g1\n');
    plain.conn.disconnect();
    json.conn.disconnect();
  });

  it('sends text/rude-rejection to peers outside the ACL', async () => {
    sim = await startSim({ allow: () => false });
    const c = await RawClient.connect(sim.port);
    const f = await c.waitFor(() => true);
    expect(f.raw).toBe('Content-Type: text/rude-rejection\nContent-Length: 24\n\nAccess Denied, go away.\n');
  });

  it('drops a socket that does not authenticate in time', async () => {
    sim = await startSim({ authTimeoutMs: 100 });
    const c = await RawClient.connect(sim.port);
    await c.waitFor((f) => f.headers['Content-Type'] === 'auth/request');
    await expect(c.waitFor(() => false, 2000, 1)).rejects.toThrow(/closed/);
  });

  it('answers a parked inbound call with uuid_answer', async () => {
    sim = await startSim();
    const c = await rawAuthed(sim);
    const id = sim.inboundCall('13800138000', '4000');
    expect((await c.command(`api uuid_pre_answer ${id}\n\n`)).body).toBe('+OK\n');
    await c.waitFor(named('CHANNEL_PROGRESS_MEDIA', id));
    expect((await c.command(`api uuid_answer ${id}\n\n`)).body).toBe('+OK\n');
    const ans = await c.waitFor(named('CHANNEL_ANSWER', id));
    expect(eventHeader(ans, 'Answer-State')).toBe('answered');
    expect((await c.command('api uuid_answer nope\n\n')).body).toBe('-ERROR\n');
  });
});
