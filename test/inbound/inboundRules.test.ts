import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { inboundRoutesDecider } from '../../src/domain/inbound/decider.ts';
import type { InboundRoutes } from '../../src/domain/inbound/events.ts';
import { seedServiceLine } from '../../src/floor/seedDemo.ts';
import { SERVICE_DID, SERVICE_IVR_ID, type Inbound } from '../../src/inbound/startInbound.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';
import { routed, startRouting } from './ivrSupport.ts';

let floor: Floor;
let inbound: Inbound;
beforeAll(async () => {
  floor = await openFloor();
  // No rules given: the route sets published in the log, followed live.
  inbound = await startRouting(floor);
});
afterAll(async () => {
  await inbound.stop();
  await floor.close();
});

const DID = '+862180000077';
const routes = (queueId: string, r: Partial<InboundRoutes> = {}): InboundRoutes => ({
  dids: [DID],
  timeZone: 'Asia/Shanghai',
  blacklist: [],
  whitelist: [],
  holidays: [],
  openHours: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }],
  closed: { kind: 'voicemail' },
  byDid: { [DID]: { kind: 'queue', id: queueId } },
  byCallerPrefix: [],
  defaultDestination: { kind: 'queue', id: queueId },
  stickyToLastAgent: false,
  ...r,
});

async function publish(routesId: string, basedOnVersion: number, r: InboundRoutes) {
  const meta = { now: new Date(floor.clock.now()).toISOString(), actorId: 'admin-1', actorRole: 'admin' };
  return handleCommand(floor.store, inboundRoutesDecider, routesId, { type: 'PublishInboundRoutes', data: { routesId, basedOnVersion, routes: r }, meta });
}

describe('inbound routes published in the log', () => {
  it('route new calls from the next call on, each decision naming the version it used', async () => {
    const routesId = `line-${randomUUID()}`;
    const queueId = `q-${randomUUID()}`;
    await publish(routesId, 0, routes(queueId));
    const first = await routed(floor, floor.sim.inboundCall('13800138071', DID));
    expect(first).toMatchObject({ rule: 'did', destination: { kind: 'queue', id: queueId }, inputs: { rulesVersion: `routes-${routesId}@1` } });

    // The floor's clock says Monday 2026-11-23, 17:00 in Shanghai: declared a holiday in version 2.
    await publish(routesId, 1, routes(queueId, { holidays: ['2026-11-23'] }));
    const second = await routed(floor, floor.sim.inboundCall('13800138072', DID));
    expect(second).toMatchObject({ rule: 'holiday', destination: { kind: 'voicemail' }, inputs: { rulesVersion: `routes-${routesId}@2` } });
  });

  it('the demo seed publishes the service line: its number leads to the service menu', async () => {
    await seedServiceLine(floor.store);
    const d = await routed(floor, floor.sim.inboundCall('13800138073', SERVICE_DID));
    expect(d).toMatchObject({ rule: 'did', destination: { kind: 'ivr', id: SERVICE_IVR_ID }, inputs: { rulesVersion: 'routes-service-line@1' } });
  });

  it('a menu that cannot be entered sends the caller to the default of the routes of the number they dialled', async () => {
    await seedServiceLine(floor.store); // a catch-all set with another default
    const did = '+862180000078';
    const queueId = `q-${randomUUID()}`;
    const routesId = `line-${randomUUID()}`;
    await publish(routesId, 0, routes(queueId, { dids: [did], byDid: { [did]: { kind: 'ivr', id: `menu-${randomUUID()}` } } }));
    const id = floor.sim.inboundCall('13800138074', did);
    const events = await until('fallback', async () => {
      const es = await floor.events(callStreamId(id));
      return es.some((e) => e.type === 'CallQueued') && es;
    });
    expect(events.find((e) => e.type === 'IvrUnavailable')?.data).toMatchObject({ fallback: { kind: 'queue', id: queueId } });
    expect(events.find((e) => e.type === 'CallQueued')?.data).toMatchObject({ queueId });
  });
});
