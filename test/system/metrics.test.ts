import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { startSystem, type RunningSystem } from '../../src/main.ts';
import { createTestDatabase } from '../support/db.ts';

// Operators scrape one endpoint: the running system's /metrics must carry the projection runner's lag and
// throughput, not only the HTTP server's own metrics.
describe('the running system serves projection metrics on /metrics', () => {
  let system: RunningSystem;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  beforeAll(async () => {
    db = await createTestDatabase('system_metrics');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'callstream-metrics-'));
    const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', CALLSTREAM_DATA_DIR: dataDir });
    system = await startSystem(config, { log: () => {}, demo: false });
  });
  afterAll(async () => {
    await system?.stop();
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists lag, position and events applied per projection beside the HTTP metrics', async () => {
    const store = await PostgresEventStore.connect(db.url);
    const { position } = await store.append('campaign-metrics-probe', [{ type: 'CampaignCreated', data: { campaignId: 'metrics-probe', name: 'probe' } }]);
    await store.close();
    const positions = (body: string) => [...body.matchAll(/^callstream_projection_position\{projection="[\w-]+"\} (\d+)/gm)].map((m) => Number(m[1]));
    let body = '';
    for (let i = 0; i < 50 && !positions(body).some((p) => p >= Number(position)); i++) {
      body = await (await fetch(`${system.url}/metrics`)).text();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(Math.max(...positions(body))).toBeGreaterThanOrEqual(Number(position));
    expect(body).toMatch(/^callstream_projection_lag_events\{projection="[\w-]+"\} \d+/m);
    expect(body).toContain('callstream_projection_events_total');
    expect(body).toContain('callstream_http_request_duration_seconds');
  });
});
