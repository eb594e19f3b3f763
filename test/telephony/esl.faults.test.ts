/** Fault tests: the adapter against a misbehaving switch (simulator only; these faults cannot be forced on a real one). */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CallControl } from '../../src/telephony/esl/callControl.ts';
import { EslClient, type EslClientOptions } from '../../src/telephony/esl/eslClient.ts';
import { EslAuthError, EslDisconnectedError, EslTimeoutError } from '../../src/telephony/esl/errors.ts';
import type { FreeSwitchSimulator } from '../../src/telephony/simulator/server.ts';
import { FactLog, newId } from './support/eslTarget.ts';
import { startSim } from './support/sim.ts';

let sim: FreeSwitchSimulator | undefined;
let client: EslClient | undefined;
afterEach(async () => {
  await client?.close();
  await sim?.stop();
  client = sim = undefined;
});

async function setup(simOpts = {}, clientOpts: Partial<EslClientOptions> = {}) {
  sim = await startSim({ agentAnswerMs: 200, ...simOpts });
  client = await EslClient.connect({ host: '127.0.0.1', port: sim.port, password: sim.password, backoff: { initialMs: 20, maxMs: 200, factor: 2 }, ...clientOpts });
  return { sim, client, calls: new CallControl(client), log: new FactLog(client) };
}

const nextReady = (c: EslClient) => new Promise<{ reconnect: boolean; channels: unknown[] }>((r) => c.once('ready', r));

async function parked(calls: CallControl, log: FactLog): Promise<string> {
  const callId = newId();
  await calls.originate({ callId, dial: 'loopback/4000', timeoutSec: 10 });
  await log.waitFor((f) => f.kind === 'parked' && f.callId === callId);
  return callId;
}

describe('ESL adapter under faults', () => {
  it('fails the api in flight when the socket drops mid-api, then reconnects and works', async () => {
    const { sim, client } = await setup();
    const ready = nextReady(client);
    sim.faults.dropNextApi = true;
    await expect(client.api('status')).rejects.toBeInstanceOf(EslDisconnectedError);
    expect((await ready).reconnect).toBe(true);
    expect(await client.api('uuid_exists x')).toBe('false');
  });

  it('reconciles after a switch restart: new Core-UUID and the live call list is empty', async () => {
    const { sim, client, calls, log } = await setup();
    const callId = await parked(calls, log);
    const before = sim.coreUuid;
    const ready = nextReady(client);
    sim.restart();
    const info = await ready;
    expect(info.reconnect).toBe(true);
    expect(info.channels).toEqual([]);
    expect(sim.coreUuid).not.toBe(before);
    expect(await calls.exists(callId)).toBe(false);
    // Event-Sequence restarts with the new process; dedupe is per Core-UUID so new events still pass.
    const again = await parked(calls, log);
    expect(log.of(again).some((f) => f.kind === 'channel-created' && f.coreId === sim.coreUuid)).toBe(true);
  });

  it('drops duplicated events by (Core-UUID, Event-Sequence)', async () => {
    const { sim, calls, log } = await setup();
    sim.faults.duplicateEvents = true;
    const callId = await parked(calls, log);
    await calls.hangup(callId);
    await log.waitFor((f) => f.kind === 'destroyed' && f.callId === callId);
    const kinds = log.of(callId).map((f) => f.kind);
    expect(kinds.filter((k) => k === 'channel-created')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'destroyed')).toHaveLength(1);
  });

  it('copes with BACKGROUND_JOB arriving before the first application events', async () => {
    const { calls, log } = await setup({ bgJobFirst: true });
    const callId = newId();
    await calls.originate({ callId, dial: 'loopback/4000', timeoutSec: 10 });
    await log.waitFor((f) => f.kind === 'parked' && f.callId === callId);
  });

  it('parses frames split into 7-byte fragments', async () => {
    const { sim, calls, log } = await setup();
    sim.faults.chunkSize = 7;
    const callId = await parked(calls, log);
    expect(log.of(callId).map((f) => f.kind)).toEqual(expect.arrayContaining(['channel-created', 'answered', 'parked']));
  });

  it('survives a malformed % in a header and still delivers the event', async () => {
    const { sim, log } = await setup();
    const payload = `Event-Name: CHANNEL_ANSWER\nCore-UUID: core-x\nEvent-Sequence: 7\nUnique-ID: odd-call\nCaller-Caller-ID-Name: 100%ZZ%E5%BC%A0\n\n`;
    sim.sendRaw(`Content-Length: ${Buffer.byteLength(payload)}\nContent-Type: text/event-plain\n\n${payload}`);
    const f = await log.waitFor((x) => x.kind === 'answered' && x.callId === 'odd-call');
    expect(f.coreId).toBe('core-x');
  });

  it('times out a command that gets no reply, and rebuilds the connection', async () => {
    const { sim, client } = await setup({}, { commandTimeoutMs: 300 });
    sim.switch.customers.script('999', { kind: 'no-answer', earlyMedia: false });
    const ready = nextReady(client);
    // A blocking api originate holds the connection for the whole ring time (research §1.4).
    await expect(client.api('originate {originate_timeout=600}sofia/gateway/gw/999 &park()')).rejects.toBeInstanceOf(EslTimeoutError);
    await ready;
    expect(await client.api('uuid_exists x')).toBe('false');
  });

  it('runs applications by sendmsg, matched by Application-UUID, without shifting later replies', async () => {
    const { calls, client, log } = await setup();
    const callId = await parked(calls, log);
    const response = await client.execute(callId, 'playback', '/tmp/hello.wav');
    expect(response).toBe('FILE PLAYED');
    expect(await client.sendRecv('filter Unique-ID zz')).toBe('+OK filter added. [Unique-ID]=[zz]');
    await expect(client.execute('no-such-call', 'playback', '/tmp/x.wav')).rejects.toThrow(/invalid session id/);
  });

  it('backs off with a cap instead of storming a closed port', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const c = new EslClient({ host: '127.0.0.1', port, password: 'x', backoff: { initialMs: 10, maxMs: 40, factor: 2 } });
    let drops = 0;
    c.on('disconnected', () => drops++);
    void c.start();
    await new Promise((r) => setTimeout(r, 400));
    await c.close();
    expect(drops).toBeGreaterThan(3);
    expect(drops).toBeLessThan(20);
  });

  it('rejects a wrong password with EslAuthError and stops retrying', async () => {
    sim = await startSim({ password: 'right' });
    const c = new EslClient({ host: '127.0.0.1', port: sim.port, password: 'wrong' });
    await expect(c.start()).rejects.toBeInstanceOf(EslAuthError);
    await c.close();
  });
});
