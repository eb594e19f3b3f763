/**
 * A campaign floor for dialer tests: a real store on a fresh database, agents and leads written as the system
 * writes them, campaigns through the campaign decider, and the campaign dialers over a stand-in switch (the
 * only double: receipts go to the real store, then the switch is asked to originate).
 */
import { afterEach, beforeEach } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { campaignDecider } from '../../src/domain/campaign/decider.ts';
import { leadDecider } from '../../src/domain/lead/decider.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { CampaignDialers } from '../../src/floor/campaignDialers.ts';
import type { MediaServer } from '../../src/telephony/session/mediaServer.ts';
import { createTestDatabase } from '../support/db.ts';
import { openFloor, type Floor } from '../telephony/session/harness.ts';

export const ALL_DAY = { windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }], timeZonePolicy: 'lead' as const, timeZone: 'Asia/Shanghai' };

/** Open this hour and the next in Shanghai: never these hours in New York (12 or 13 hours apart). */
export function thisHourInShanghai(offsetHours = 0) {
  const h = (new Date(Date.now() + 8 * 3600_000).getUTCHours() + offsetHours) % 24;
  const pad = (n: number) => String(n).padStart(2, '0');
  return { windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: `${pad(h)}:00`, end: h === 23 ? '24:00' : `${pad(h + 1)}:59` }], timeZonePolicy: 'lead' as const, timeZone: 'Asia/Shanghai' };
}

export interface PlacedDial {
  callId: string;
  campaignId?: string;
  leadId?: string;
}

export interface CampaignFloor {
  store: PostgresEventStore;
  /** Dials the stand-in switch was asked to place. */
  placed: PlacedDial[];
  /** Agents the stand-in desk reports ready (what a dialer started now counts at once). */
  readyOnDesk: string[];
  media: MediaServer;
  dialers?: CampaignDialers;
  agentsIn(departmentId: string, ...userIds: string[]): Promise<void>;
  importLeads(listId: string, departmentId: string, phones: string[], fields?: (phone: string) => Record<string, string> | undefined): Promise<void>;
  /** Runs campaign commands in order ([type, data] pairs); a refusal throws. */
  campaign(campaignId: string, ...commands: [string, Record<string, unknown>][]): Promise<void>;
  startDialers(): Promise<CampaignDialers>;
  close(): Promise<void>;
}

export async function openCampaignFloor(label: string): Promise<CampaignFloor> {
  const db = await createTestDatabase(label);
  const store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 20 });
  const placed: PlacedDial[] = [];
  const readyOnDesk: string[] = [];
  const media = { dial: async (r: PlacedDial) => void placed.push(r), agents: { readyAgents: () => readyOnDesk.map((agentId) => ({ agentId })) }, readyAgents: () => readyOnDesk.map((agentId) => ({ agentId })) } as unknown as MediaServer;
  let seq = 0;
  const meta = () => ({ now: new Date().toISOString(), commandId: `${label}-${++seq}`, actorId: 'admin-1', actorRole: 'admin' });
  const floor: CampaignFloor = {
    store,
    placed,
    readyOnDesk,
    media,
    async agentsIn(departmentId, ...userIds) {
      for (const userId of userIds) await store.append(`user-${userId}`, [{ type: 'UserCreated', data: { userId, username: userId, role: 'agent', departmentId } }]);
    },
    async importLeads(listId, departmentId, phones, fields) {
      for (const [i, phone] of phones.entries()) {
        await handleCommand(store, leadDecider, phone, { type: 'ImportLead', data: { phone, source: 'file', batchId: listId, row: i + 1, departmentId, fields: fields?.(phone) }, meta: meta() });
      }
    },
    async campaign(campaignId, ...commands) {
      for (const [type, data] of commands) await handleCommand(store, campaignDecider, campaignId, { type, data, meta: meta() } as never);
    },
    async startDialers() {
      floor.dialers = new CampaignDialers({ store, media, dialString: (n) => `sofia/gateway/t/${n.slice(1)}`, tickMs: 20 });
      await floor.dialers.start();
      return floor.dialers;
    },
    async close() {
      await floor.dialers?.stop();
      await store.close();
      await db.close();
    },
  };
  return floor;
}

/** Phones +8613800<block><nn>: distinct per test file. */
export const phonesOf = (block: string, n: number) => Array.from({ length: n }, (_, i) => `+8613800${block}${String(i).padStart(2, '0')}`);

/** A live floor for each test (store, simulator over ESL, session) and the campaign dialers a test starts on it. */
export interface LiveFloor {
  floor: Floor;
  dialers?: CampaignDialers;
}

/** Opens a live floor before each test; after it, stops the dialers the test started and closes the floor. */
export function liveFloorEachTest(): LiveFloor {
  const live = {} as LiveFloor;
  beforeEach(async () => {
    live.floor = await openFloor();
  });
  afterEach(async () => {
    await live.dialers?.stop();
    live.dialers = undefined;
    await live.floor?.close();
  });
  return live;
}
