/**
 * A call floor for session tests: the FreeSWITCH simulator over real TCP, our ESL adapter,
 * a real PostgreSQL event store, and a hand-moved clock for the durable timers.
 */
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '../../support/db.ts';
import { PostgresEventStore } from '../../../src/eventstore/postgres/postgresEventStore.ts';
import type { EventStore, RecordedEvent } from '../../../src/eventstore/types.ts';
import { Scheduler } from '../../../src/scheduler/scheduler.ts';
import { EslClient } from '../../../src/telephony/esl/eslClient.ts';
import type { TelephonyFact } from '../../../src/telephony/esl/facts.ts';
import { FreeSwitchSimulator } from '../../../src/telephony/simulator/server.ts';
import { MediaServer, type MediaServerOptions } from '../../../src/telephony/session/mediaServer.ts';

export class ManualClock {
  t = Date.parse('2026-11-23T09:00:00.000Z');
  now(): number {
    return this.t;
  }
}

export interface Floor {
  sim: FreeSwitchSimulator;
  store: EventStore;
  clock: ManualClock;
  esl: EslClient;
  scheduler: Scheduler;
  server: MediaServer;
  facts: TelephonyFact[];
  errors: unknown[];
  recordingsDir: string;
  /** A second process: new ESL connection, scheduler and server on the same store and switch. */
  restartProcess(): Promise<void>;
  advance(ms: number): Promise<void>;
  events(streamId: string): Promise<RecordedEvent[]>;
  types(streamId: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

let dbPromise: ReturnType<typeof createTestDatabase> | undefined;

/** The switch's own clock: `timeScale` 50 (default) runs its rings and playbacks 50x faster than real time. */
export interface SwitchOptions {
  timeScale?: number;
}

export async function openFloor(options: Partial<MediaServerOptions> = {}, switchOptions: SwitchOptions = {}): Promise<Floor> {
  dbPromise ??= createTestDatabase('session');
  const db = await dbPromise;
  const sim = await FreeSwitchSimulator.start({ timeScale: switchOptions.timeScale ?? 50, heartbeatMs: 3_600_000, agentAnswerMs: 500 });
  const store = await PostgresEventStore.connect(db.url);
  const clock = new ManualClock();
  const recordingsDir = path.join(os.tmpdir(), `callstream-rec-${process.pid}-${sim.port}`);
  const facts: TelephonyFact[] = [];
  const errors: unknown[] = [];

  async function boot() {
    const esl = await EslClient.connect({ host: '127.0.0.1', port: sim.port, password: sim.password, commandTimeoutMs: 3000, jobTimeoutMs: 20_000 });
    esl.on('error', (e) => errors.push(e));
    esl.on('fact', (f) => facts.push(f));
    const scheduler = new Scheduler(store, clock, async () => 'applied');
    await scheduler.load();
    const server = new MediaServer({ store, esl, clock, scheduler, recordingsDir, reservationMs: 15_000, wrapUpMs: 10_000, ...options });
    server.onError = (e) => errors.push(e);
    return { esl, scheduler, server };
  }

  const floor: Floor = {
    sim, store, clock, facts, errors, recordingsDir,
    ...(await boot()),
    async restartProcess() {
      // The old process is gone: nothing it held in memory survives, its socket closes.
      floor.server.detach();
      await floor.esl.close();
      Object.assign(floor, await boot());
    },
    async advance(ms) {
      clock.t += ms;
      await floor.scheduler.tick();
      await floor.server.idle();
    },
    events: (streamId) => store.readStream(streamId),
    async types(streamId) {
      return (await store.readStream(streamId)).map((e) => e.type);
    },
    async close() {
      floor.server.detach();
      await floor.esl.close();
      await sim.stop();
      await store.close();
    },
  };
  return floor;
}
