import type { DatabasePool } from 'slonik';
import type { Config } from '../config.ts';
import type { EventStore } from '../eventstore/types.ts';
import type { MediaServer } from '../telephony/session/mediaServer.ts';
import type { FreeSwitchSimulator } from '../telephony/simulator/server.ts';
import { BotAgents } from './botAgents.ts';
import { startInboundFloor } from './inboundFloor.ts';
import { peopleFirst } from './peopleFirst.ts';
import { DEMO_CAMPAIGN, seedDemo, type DemoLogin } from './seedDemo.ts';

export interface Floor {
  logins: DemoLogin[];
  media: MediaServer;
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
  // The campaign's dialer is run by the system's CampaignDialers (main.ts), like any started campaign.
  const undoPeopleFirst = peopleFirst(media.agents, seed.botAgentIds);
  const bots = new BotAgents(store, media, seed.botAgentIds);
  bots.onError = (e) => log(`bot: ${(e as Error).message}`);
  await bots.start();
  // Simulated customers ring the service line; the call session takes them through the menu into the
  // queues of the same agents (blended), and the dialer holds back for them.
  const inbound = deps.simulator ? startInboundFloor({ media, simulator: deps.simulator, log }) : undefined;
  log(`demo floor: ${seed.botAgentIds.length} bot agents, ${seed.leads.length} leads, predictive campaign ${DEMO_CAMPAIGN}`);

  return {
    logins: seed.logins,
    media,
    bots,
    stop: async () => {
      inbound?.stop();
      await bots.stop();
      undoPeopleFirst();
    },
  };
}
