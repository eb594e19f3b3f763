import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { RecordedEvent } from '../../src/eventstore/types.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { startSystem, type RunningSystem } from '../../src/main.ts';
import { createTestDatabase } from '../support/db.ts';

// A person who goes ready on the demo floor (bots already working beside them, real time) must get a
// dialer call soon: the whole-system browser journey waited 112 s, then 67 s, for the first one.
describe('a newly ready agent on the live floor', () => {
  let system: RunningSystem;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  beforeAll(async () => {
    db = await createTestDatabase('first_call');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'callstream-first-call-'));
    const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', CALLSTREAM_DATA_DIR: dataDir });
    system = await startSystem(config, { log: () => {}, bots: 8, leads: 400 });
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gets its first bridged dialer call within 30 s while the bots keep working', async () => {
    const floor = system.floor!;
    const human = floor.logins.find((l) => l.username === 'agent')!.userId;
    const store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 50 });
    try {
      // Let the bots settle into work first: the human joins a floor in full swing, as in the browser journey.
      await expect.poll(async () => (await store.readAll({ maxCount: 100_000, filter: { eventTypes: ['CallBridged'] } })).length, { timeout: 60_000, interval: 500 }).toBeGreaterThan(2);
      expect(await floor.media.agentCommand(human, { type: 'LOGIN', extension: '1001' })).toBeUndefined();
      const after = await store.headPosition();
      const readyAt = Date.now();
      expect(await floor.media.agentCommand(human, { type: 'READY' })).toBeUndefined();
      let bridgedAt: number | undefined;
      const seen: RecordedEvent[] = [];
      const sub = store.subscribe(
        (events) => {
          for (const e of events) {
            seen.push(e);
            if (e.type === 'CallBridged' && e.data.agentId === human) bridgedAt ??= Date.now();
          }
        },
        { after, filter: { eventTypes: ['CallDialAttempted', 'CallAnswered', 'CallBridged', 'CallAbandoned'] } },
      );
      try {
        await expect.poll(() => bridgedAt, { timeout: 45_000, interval: 100 }).toBeDefined();
      } finally {
        await sub.stop();
        const count = (t: string) => seen.filter((e) => e.type === t).length;
        console.log(`first call to the new agent after ${bridgedAt ? bridgedAt - readyAt : 'none'} ms; meanwhile dials ${count('CallDialAttempted')}, answers ${count('CallAnswered')}, bridged ${count('CallBridged')}, abandoned ${count('CallAbandoned')}`);
      }
      expect(bridgedAt! - readyAt).toBeLessThan(30_000);
    } finally {
      await store.close();
    }
  }, 180_000);
});
