/**
 * The composition root of `npm start`: the one place that opens connections, starts servers and wires the
 * pieces together. Everything else is a factory taking its ports.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectionReadModels } from './api/projectionReadModels.ts';
import { buildServer } from './api/server.ts';
import { loadConfig, type Config } from './config.ts';
import { openEventStore } from './eventstore/openEventStore.ts';
import { openDatabase } from './infra/postgres/openDatabase.ts';
import { InProcessPubSub } from './projections/live/pubsub.ts';
import { allProjections } from './projections/readModels/index.ts';
import { createProjectionMetrics } from './projections/runtime/metrics.ts';
import { ProjectionRunner } from './projections/runtime/runner.ts';
import { FreeSwitchSimulator } from './telephony/simulator/server.ts';
import { DialHistory } from './dialer/compliance/dialHistory.ts';
import { CampaignDialers } from './floor/campaignDialers.ts';
import { inboundHoldBack } from './inbound/queueInbound.ts';
import { startFloor, type Floor } from './floor/startFloor.ts';
import { Registry } from 'prom-client';
import { callControlPort } from './telephony/callControlPort.ts';
import { startTelephony } from './telephony/startTelephony.ts';

export interface RunningSystem {
  url: string;
  config: Config;
  floor?: Floor;
  /** The live dialers of the started campaigns. */
  dialers: CampaignDialers;
  stop(): Promise<void>;
}

export interface StartOptions {
  log?: (line: string) => void;
  /** Seed the demo tenant and start the simulated floor (default: true when ESL_HOST is unset). */
  demo?: boolean;
  /** Simulated seconds per real second on the built-in simulator (tests speed the floor up). */
  simulatorTimeScale?: number;
  /** Size of the demo floor. */
  bots?: number;
  leads?: number;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function startSystem(config: Config = loadConfig(), opts: StartOptions = {}): Promise<RunningSystem> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e) => log(`shutdown: ${(e as Error).message}`));
  };
  try {
    const db = await openDatabase(config, log);
    stops.push(() => db.close());
    const store = await openEventStore(config, db.url);
    stops.push(() => store.close());

    const pubsub = new InProcessPubSub();
    const metricsRegistry = new Registry();
    const metrics = createProjectionMetrics(metricsRegistry);
    const runner = new ProjectionRunner({ pool: db.pool, store, projections: allProjections, pubsub, metrics, onError: (e) => log(`projection: ${(e as Error).message}`) });
    await runner.start();
    stops.push(() => runner.stop());

    let esl = config.esl;
    let simulator: FreeSwitchSimulator | undefined;
    if (!esl) {
      // Short demo conversations keep the floor lively: a newcomer sees calls within a minute.
      const sim = await FreeSwitchSimulator.start({
        port: 0,
        password: 'ClueCon',
        recordingsDir: path.join(config.dataDir, 'recordings'),
        timeScale: opts.simulatorTimeScale,
        customers: { answerProbability: 0.4, ringMs: [3_000, 12_000], talkMs: [15_000, 90_000] },
      });
      stops.push(() => sim.stop());
      simulator = sim;
      esl = { host: '127.0.0.1', port: sim.port, password: 'ClueCon' };
      log(`FreeSWITCH simulator on 127.0.0.1:${sim.port}`);
    }

    const gateway = process.env.CALLSTREAM_GATEWAY ?? 'demo';
    const customerDial = (e164: string) => `sofia/gateway/${gateway}/${e164.replace(/^\+/, '')}`;
    const telephony = await startTelephony({ store, esl, dataDir: config.dataDir, log, customerDial });
    stops.push(() => telephony.stop());
    // One compliance history for the floor (dialers, manual dials, preview): one fold of the log, not three.
    const dialHistory = new DialHistory(store);
    const telephonyPort = callControlPort({ store, media: telephony.media, customerDial, history: dialHistory });
    // Every started progressive/predictive campaign dials, with or without the demo floor; inbound callers
    // already waiting take the next free agents first (blended).
    const dialers = new CampaignDialers({ store, media: telephony.media, dialString: customerDial, holdBack: (campaign) => inboundHoldBack(telephony.media, campaign), history: dialHistory, log });
    await dialers.start();
    stops.push(() => dialers.stop());

    const app = await buildServer({ telephony: telephonyPort, dialHistory, eventStore: store, pool: db.pool, config, pubsub, metricsRegistry, readModels: projectionReadModels(db.pool, store), uiDir: path.join(ROOT, 'ui', 'dist') });
    await app.listen({ port: config.port, host: config.host });
    stops.push(() => app.close());
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;

    let floor: Floor | undefined;
    if (opts.demo ?? !config.esl) {
      floor = await startFloor({ store, pool: db.pool, media: telephony.media, config, log, bots: opts.bots, leads: opts.leads, simulator });
      stops.push(() => floor!.stop());
    }
    return { url, config, floor, dialers, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

if (import.meta.main) {
  const system = await startSystem();
  console.log(`\nCallstream is running: open ${system.url}`);
  for (const u of system.floor?.logins ?? []) console.log(`  ${u.role.padEnd(11)} ${u.username} / ${u.password}`);
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (stopping) process.exit(1);
      stopping = true;
      void system.stop().then(() => process.exit(0));
    });
  }
}
