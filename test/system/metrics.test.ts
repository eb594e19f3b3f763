import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/system.ts';

// Operators scrape one endpoint: the running system's /metrics must carry the projection runner's lag and
// throughput, not only the HTTP server's own metrics.
describe('the running system serves projection metrics on /metrics', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem('system_metrics', { demo: false });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('lists lag, position and events applied per projection beside the HTTP metrics', async () => {
    const { position } = await system.store.append('campaign-metrics-probe', [
      { type: 'CampaignCreated', data: { campaignId: 'metrics-probe', name: 'probe' } },
    ]);
    const positions = (body: string) =>
      [...body.matchAll(/^callstream_projection_position\{projection="[\w-]+"\} (\d+)/gm)].map((m) => Number(m[1]));
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
