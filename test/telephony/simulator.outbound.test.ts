/** Outbound socket mode (research note §1.9): the switch connects to the engine. */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FreeSwitchSimulator } from '../../src/telephony/simulator/server.ts';
import { startSim } from './support/sim.ts';

let sim: FreeSwitchSimulator;
let server: net.Server | undefined;
afterEach(async () => {
  await sim?.stop();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** An engine-side socket server that hands over the first accepted socket with a text reader. */
async function engine(): Promise<{ port: number; accepted: Promise<{ send: (t: string) => void; read: (until: string) => Promise<string> }> }> {
  let give!: (v: { send: (t: string) => void; read: (until: string) => Promise<string> }) => void;
  const accepted = new Promise<{ send: (t: string) => void; read: (until: string) => Promise<string> }>((r) => (give = r));
  server = net.createServer((s) => {
    let buf = '';
    let wake = () => {};
    s.on('data', (d) => {
      buf += d.toString('utf8');
      wake();
    });
    give({
      send: (t) => s.write(t),
      read: async (until) => {
        while (!buf.includes(until)) await new Promise<void>((r) => (wake = r));
        const i = buf.indexOf(until) + until.length;
        const out = buf.slice(0, i);
        buf = buf.slice(i);
        return out;
      },
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { port: (server!.address() as net.AddressInfo).port, accepted };
}

describe('outbound socket', () => {
  it('answers connect with a flat CHANNEL_DATA block, parks the call, and restricts a non-full socket', async () => {
    sim = await startSim();
    const eng = await engine();
    const uuid = await sim.outboundCall({ host: '127.0.0.1', port: eng.port, from: '13800138000', to: '4000', full: false });
    const s = await eng.accepted;
    s.send('connect\n\n');
    const data = await s.read('\n\n');
    expect(data.startsWith('Event-Name: CHANNEL_DATA\n')).toBe(true);
    expect(data).not.toContain('Content-Length');
    expect(data.endsWith('Content-Type: command/reply\nReply-Text: %2BOK%0A\nSocket-Mode: async\nControl: single-channel\n\n')).toBe(true);
    expect(data).toContain(`Channel-Unique-ID: ${uuid}\n`);
    expect(data).toContain(`Unique-ID: ${uuid}\n`);
    expect(data).toContain('Caller-Caller-ID-Number: 13800138000\n');
    s.send('api status\n\n');
    expect(await s.read('\n\n')).toBe('Content-Type: command/reply\nReply-Text: -ERR command not found\n\n');
    s.send('myevents\n\n');
    expect(await s.read('\n\n')).toBe('Content-Type: command/reply\nReply-Text: +OK Events Enabled\n\n');
    s.send('getvar start_epoch\n\n');
    expect(await s.read('\n\n')).toMatch(/^Content-Type: command\/reply\nReply-Text: \d+\n\n$/);
    // Hanging up via sendmsg without a uuid controls the socket's own channel.
    s.send('sendmsg\ncall-command: hangup\nhangup-cause: NORMAL_CLEARING\n\n');
    await s.read('Reply-Text: +OK\n\n');
    const notice = await s.read('Content-Disposition: disconnect\n');
    expect(notice).toContain(`Controlled-Session-UUID: ${uuid}\n`);
  });
});
