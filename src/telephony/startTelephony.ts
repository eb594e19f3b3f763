import path from 'node:path';
import type { EventStore, Subscription } from '../eventstore/types.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { EslClient } from './esl/eslClient.ts';
import { reconcileOnReconnect, recover } from './recovery/reconcile.ts';
import { followAgents } from './session/followAgents.ts';
import { MediaServer } from './session/mediaServer.ts';

export interface Telephony {
  esl: EslClient;
  media: MediaServer;
  stop(): Promise<void>;
}

/**
 * Connects the call session to the switch (FreeSWITCH or the simulator): ESL client, durable timers,
 * the media server with its live calls and agents restored from the log and reconciled against the
 * switch's channel list, and reconciled again after every reconnect.
 */
export async function startTelephony(deps: {
  store: EventStore;
  esl: { host: string; port: number; password: string };
  dataDir: string;
  log: (line: string) => void;
}): Promise<Telephony> {
  const { store, log } = deps;
  const esl = await EslClient.connect(deps.esl);
  esl.on('error', (e) => log(`esl: ${e.message}`));
  const clock = { now: () => Date.now() };
  const scheduler = new Scheduler(store, clock, async () => 'applied');
  const media = new MediaServer({ store, esl, clock, scheduler, recordingsDir: path.join(deps.dataDir, 'recordings') });
  media.onError = (e) => log(`call session: ${(e as Error).message}`);
  const report = await recover(media);
  if (report.restoredCalls.length || report.restoredAgents.length) {
    log(`recovered ${report.restoredCalls.length} calls and ${report.restoredAgents.length} agents from the log`);
  }
  const stopReconcile = reconcileOnReconnect(media);
  scheduler.start();
  // People log in and go ready in the console; the session hears of it from the log.
  const following: Subscription = await followAgents(media);
  return {
    esl,
    media,
    stop: async () => {
      await following.stop();
      stopReconcile();
      await scheduler.stop();
      media.detach();
      await esl.close();
    },
  };
}
