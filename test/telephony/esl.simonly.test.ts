/** Adapter behaviour that needs simulator hooks (agents, supervisors, reconnects): not part of the live contract. */
import { afterEach, describe, expect, it } from 'vitest';
import { CallControl } from '../../src/telephony/esl/callControl.ts';
import { EslClient } from '../../src/telephony/esl/eslClient.ts';
import type { FreeSwitchSimulator } from '../../src/telephony/simulator/server.ts';
import { FactLog, newId } from './support/eslTarget.ts';
import { named, rawAuthed, startSim } from './support/sim.ts';
import { eventHeader } from './support/rawClient.ts';

let sim: FreeSwitchSimulator | undefined;
let client: EslClient | undefined;
afterEach(async () => {
  await client?.close();
  await sim?.stop();
  client = sim = undefined;
});

async function setup() {
  sim = await startSim({ agentAnswerMs: 200 });
  client = await EslClient.connect({ host: '127.0.0.1', port: sim.port, password: sim.password, backoff: { initialMs: 20, maxMs: 200, factor: 2 } });
  return { sim, client, calls: new CallControl(client), log: new FactLog(client) };
}

describe('call control against the simulator', () => {
  it('puts a customer and an agent together, then lets a supervisor listen, whisper and barge', async () => {
    const { sim, calls, log } = await setup();
    sim.switch.customers.script('8613700000000', { kind: 'answer', ringMs: 500, talkMs: 600_000, machine: false, earlyMedia: false });
    const cust = newId();
    const agent = newId();
    await calls.originate({ callId: cust, dial: 'sofia/gateway/trunk1/8613700000000', timeoutSec: 30, tags: { role: 'customer' } });
    await calls.originate({ callId: agent, dial: 'user/1001', timeoutSec: 30, tags: { role: 'agent' }, vars: { park_after_bridge: 'true' } });
    await calls.bridge(cust, agent);
    await log.waitFor((f) => f.kind === 'bridged' && f.callId === agent);
    expect(sim.hears(cust)).toEqual([agent]);

    const listen = newId();
    await calls.eavesdrop({ supervisorCallId: listen, supervisorDial: 'user/2001', targetCallId: agent, mode: 'listen' });
    await log.waitFor((f) => f.kind === 'media-bug-started' && f.callId === agent);
    expect(sim.hears(listen).sort()).toEqual([agent, cust].sort());
    expect(sim.hears(agent)).toEqual([cust]);
    await calls.hangup(listen);

    const whisper = newId();
    await calls.eavesdrop({ supervisorCallId: whisper, supervisorDial: 'user/2001', targetCallId: agent, mode: 'whisper' });
    expect(sim.hears(agent).sort()).toEqual([cust, whisper].sort());
    expect(sim.hears(cust)).toEqual([agent]);
    await calls.hangup(whisper);

    const barge = newId();
    await calls.eavesdrop({ supervisorCallId: barge, supervisorDial: 'user/2001', targetCallId: agent, mode: 'barge' });
    expect(sim.hears(cust).sort()).toEqual([agent, barge].sort());
    expect(sim.hears(agent).sort()).toEqual([barge, cust].sort());
    await log.waitFor((f) => f.kind === 'channel-created' && f.callId === barge && f.tags.role === 'supervisor');
  });

  it('transfers a bridged customer to another extension; the agent leg stays parked', async () => {
    const { calls, log } = await setup();
    const a = newId();
    const b = newId();
    await calls.originate({ callId: a, dial: 'loopback/4000', timeoutSec: 10 });
    await calls.originate({ callId: b, dial: 'user/1002', timeoutSec: 10, vars: { park_after_bridge: 'true' } });
    await calls.bridge(a, b);
    await log.waitFor((f) => f.kind === 'bridged' && f.callId === a);
    await calls.transfer(a, '8001', { dialplan: 'XML', context: 'default' });
    await log.waitFor((f) => f.kind === 'unbridged' && f.callId === b);
    // Parked once after answer, and again when the bridge ends.
    await log.waitFor(() => log.of(b).filter((x) => x.kind === 'parked').length >= 2);
    expect(await calls.getVar(a, 'transfer_destination')).toBe('8001');
    await expect(calls.transfer(a, '80 01')).rejects.toThrow(/invalid transfer destination/);
  });

  it('re-adds filters after a reconnect and still receives its own job results', async () => {
    const { sim, client, calls, log } = await setup();
    const watched = newId();
    await client.addFilter('Unique-ID', watched);
    // Our own job results pass the filter, before and after the reconnect.
    await calls.originate({ callId: newId(), dial: 'loopback/4002', timeoutSec: 10 });
    const ready = new Promise((r) => client.once('ready', r));
    sim.dropConnections('rst');
    await ready;
    await calls.originate({ callId: watched, dial: 'loopback/4000', timeoutSec: 10 });
    const other = newId();
    await calls.originate({ callId: other, dial: 'loopback/4001', timeoutSec: 10 });
    await log.waitFor((f) => f.kind === 'parked' && f.callId === watched);
    await new Promise((r) => setTimeout(r, 50));
    expect(log.of(other)).toEqual([]);
  });
});

describe('simulator endpoints', () => {
  it('loopback/ makes an a/b pair that hangs up together', async () => {
    sim = await startSim();
    const c = await rawAuthed(sim);
    expect((await c.command('api originate {origination_uuid=la}loopback/4000/default &park()\n\n')).body).toBe('+OK la\n');
    const creates = c.frames.filter(named('CHANNEL_CREATE'));
    expect(creates.map((f) => eventHeader(f, 'Channel-Name'))).toEqual(['loopback/4000-a', 'loopback/4000-b']);
    const bId = eventHeader(creates[1], 'Unique-ID')!;
    await c.waitFor(named('CHANNEL_PARK', bId));
    await c.command('api uuid_kill la\n\n');
    await c.waitFor(named('CHANNEL_DESTROY', bId));
  });

  it('progress_timeout ends a call that never rings with PROGRESS_TIMEOUT', async () => {
    sim = await startSim();
    sim.switch.customers.script('700', { kind: 'fail', afterMs: 60_000, cause: 'NORMAL_TEMPORARY_FAILURE', sipStatus: 503 });
    const c = await rawAuthed(sim, '');
    // The scripted failure rings at 100 ms; a 0.05 s progress timeout fires first.
    const r = await c.command('api originate {progress_timeout=0.05}sofia/gateway/gw/700 &park()\n\n');
    expect(r.body).toBe('-ERR PROGRESS_TIMEOUT\n');
  });
});
