import path from 'node:path';
import type { InboundRules } from '../acd/inboundRouting.ts';
import type { EventStore, Subscription } from '../eventstore/types.ts';
import { defaultPromptsDir, startInbound, type Inbound } from '../inbound/startInbound.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { EslClient } from './esl/eslClient.ts';
import { reconcileOnReconnect, recover } from './recovery/reconcile.ts';
import { followAgents } from './session/followAgents.ts';
import { MediaServer } from './session/mediaServer.ts';

export interface Telephony {
  esl: EslClient;
  media: MediaServer;
  /** Inbound callers: routing, IVR menus, queues. */
  inbound: Inbound;
  stop(): Promise<void>;
}

/**
 * Connects the call session to the switch (FreeSWITCH or the simulator): ESL client, durable timers,
 * the media server with its live calls and agents restored from the log and reconciled against the
 * switch's channel list, and reconciled again after every reconnect; inbound callers are received,
 * routed and taken through the IVR menus of the log on any switch, not only on the demo floor.
 */
export async function startTelephony(deps: {
  store: EventStore;
  esl: { host: string; port: number; password: string };
  dataDir: string;
  log: (line: string) => void;
  /** Routing before the IVR (default: the service line's rules). */
  inboundRules?: () => InboundRules;
  /** Dial string of a customer (E.164), e.g. through the configured gateway: callbacks dial it (default sofia/gateway/demo). */
  customerDial?: (e164: string) => string;
}): Promise<Telephony> {
  const { store, log } = deps;
  const esl = await EslClient.connect(deps.esl);
  esl.on('error', (e) => log(`esl: ${e.message}`));
  const clock = { now: () => Date.now() };
  const scheduler = new Scheduler(store, clock, async () => 'applied');
  const media = new MediaServer({ store, esl, clock, scheduler, recordingsDir: path.join(deps.dataDir, 'recordings'), customerDial: deps.customerDial });
  media.onError = (e) => log(`call session: ${(e as Error).message}`);
  const report = await recover(media);
  if (report.restoredCalls.length || report.restoredAgents.length) {
    log(`recovered ${report.restoredCalls.length} calls and ${report.restoredAgents.length} agents from the log`);
  }
  const stopReconcile = reconcileOnReconnect(media);
  scheduler.start();
  // People log in and go ready in the console; the session hears of it from the log.
  const following: Subscription = await followAgents(media);
  const inbound = await startInbound(media, { rules: deps.inboundRules, promptsDir: defaultPromptsDir(deps.dataDir), log });
  return {
    esl,
    media,
    inbound,
    stop: async () => {
      await inbound.stop();
      await following.stop();
      stopReconcile();
      await scheduler.stop();
      media.detach();
      await esl.close();
    },
  };
}
