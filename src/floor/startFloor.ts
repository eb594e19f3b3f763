import type { DatabasePool } from 'slonik';
import type { Config } from '../config.ts';
import { createPacer } from '../dialer/pacing/index.ts';
import type { EventStore } from '../eventstore/types.ts';
import type { MediaServer } from '../telephony/session/mediaServer.ts';
import type { FreeSwitchSimulator } from '../telephony/simulator/server.ts';
import { BotAgents } from './botAgents.ts';
import { CampaignLeads } from './campaignLeads.ts';
import { startInboundFloor } from './inboundFloor.ts';
import { LiveDialer } from './liveDialer.ts';
import { peopleFirst } from './peopleFirst.ts';
import { DEMO_CAMPAIGN, seedDemo, type DemoLogin } from './seedDemo.ts';

export interface Floor {
  logins: DemoLogin[];
  media: MediaServer;
  dialer: LiveDialer;
  bots: BotAgents;
  stop(): Promise<void>;
}

export interface FloorDeps {
  store: EventStore;
  pool: DatabasePool;
  media: MediaServer;
  config: Config;
  log: (line: string) => void;
  bots?: number;
  /** The simulator, when the floor runs on it: simulated callers ring the service line. */
  simulator?: FreeSwitchSimulator;
  leads?: number;
}

/** The live demo floor: seeded tenant, bot agents on the call session, the predictive dialer working the list. */
export async function startFloor(deps: FloorDeps): Promise<Floor> {
  const { store, log } = deps;
  const seed = await seedDemo(store, { bots: deps.bots, leads: deps.leads });
  const { media } = deps;
  const clockForPacer = { now: () => Date.now() };
  const leads = new CampaignLeads(store, DEMO_CAMPAIGN);
  const dialer = new LiveDialer({
    store,
    media,
    pacer: createPacer({ mode: 'callstream' }, clockForPacer),
    campaignId: DEMO_CAMPAIGN,
    rules: {
      version: 'demo-rules-1',
      callingHours: { windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' }], timeZonePolicy: 'lead', timeZone: 'Asia/Shanghai' },
      maxAttempts: 3,
      abandonRateTarget: 0.03,
    },
    // The campaign's own policy from the log: callbacks due first, retry delays per outcome, max attempts.
    nextLead: async (busy) => {
      await leads.catchUp();
      return leads.next(new Date().toISOString(), busy);
    },
    dialString: (e164) => `sofia/gateway/demo/${e164.replace(/^\+/, '')}`,
    // Blended floor: an inbound caller already waiting takes the next free agent, so dial that many fewer.
    holdBack: () => media.inboundWaiting(),
    onError: (e) => log(`dialer: ${(e as Error).message}`),
  });
  // The dialer follows the log from now on, so it sees the bots log in and go ready.
  await dialer.start();
  const undoPeopleFirst = peopleFirst(media.agents, seed.botAgentIds);
  const bots = new BotAgents(store, media, seed.botAgentIds);
  bots.onError = (e) => log(`bot: ${(e as Error).message}`);
  await bots.start();
  // Callers of the service line are queued for the same agents (blended); the dialer holds back for them.
  const inbound = startInboundFloor({ store, media, simulator: deps.simulator, log });
  log(`demo floor: ${seed.botAgentIds.length} bot agents, ${seed.leads.length} leads, predictive campaign ${DEMO_CAMPAIGN}`);

  return {
    logins: seed.logins,
    media,
    dialer,
    bots,
    stop: async () => {
      inbound.stop();
      await dialer.stop();
      await bots.stop();
      undoPeopleFirst();
    },
  };
}
