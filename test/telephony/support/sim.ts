import { FreeSwitchSimulator, type SimulatorOptions } from '../../../src/telephony/simulator/server.ts';
import { RawClient, eventHeader, type Frame } from './rawClient.ts';

export async function startSim(options: SimulatorOptions = {}): Promise<FreeSwitchSimulator> {
  return FreeSwitchSimulator.start({ timeScale: 100, heartbeatMs: 3_600_000, ...options });
}

export async function rawAuthed(sim: FreeSwitchSimulator, events = 'event plain ALL'): Promise<RawClient> {
  const c = await RawClient.connect(sim.port);
  await c.waitFor((f) => f.headers['Content-Type'] === 'auth/request');
  await c.command(`auth ${sim.password}\n\n`);
  if (events) await c.command(`${events}\n\n`);
  return c;
}

export function named(name: string, uuid?: string): (f: Frame) => boolean {
  return (f) => eventHeader(f, 'Event-Name') === name && (!uuid || eventHeader(f, 'Unique-ID') === uuid);
}

/** Event names for one channel, in arrival order. */
export function channelEvents(c: RawClient, uuid: string): string[] {
  return c.frames.filter((f) => f.event && eventHeader(f, 'Unique-ID') === uuid).map((f) => eventHeader(f, 'Event-Name')!);
}
