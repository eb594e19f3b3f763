/** Standalone simulator: `npm run simulator -- --port 8021 --password SECRET [--time-scale 1] [--seed 1]`. */
import { Command } from 'commander';
import { FreeSwitchSimulator } from './server.ts';

const program = new Command()
  .name('callstream-simulator')
  .description('FreeSWITCH Event Socket simulator with a seeded customer population')
  .option('--port <n>', 'TCP port', '8021')
  .option('--host <ip>', 'listen address', '127.0.0.1')
  .option('--password <pw>', 'ESL password', 'ClueCon')
  .option('--time-scale <x>', 'simulated seconds per real second', '1')
  .option('--seed <n>', 'customer model seed', '1')
  .option('--answer <p>', 'answer probability', '0.35')
  .option('--machine <p>', 'share of answers that are machines', '0.2')
  .option('--max-sessions <n>', 'max concurrent sessions', '1000')
  .option('--sps <n>', 'sessions per second', '30')
  .option('--recordings <dir>', 'where uuid_record writes files')
  .parse();

const o = program.opts();
const sim = await FreeSwitchSimulator.start({
  port: Number(o.port),
  host: o.host,
  password: o.password,
  timeScale: Number(o.timeScale),
  maxSessions: Number(o.maxSessions),
  sps: Number(o.sps),
  recordingsDir: o.recordings,
  customers: { seed: Number(o.seed), answerProbability: Number(o.answer), machineShare: Number(o.machine) },
});
console.log(`FreeSWITCH simulator listening on ${o.host}:${sim.port} (Core-UUID ${sim.coreUuid})`);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => void sim.stop().then(() => process.exit(0)));
}
