import { describe, expect, it } from 'vitest';
import { given } from '../testing/spec.ts';
import type { PublishInboundRoutes } from './commands.ts';
import { inboundRoutesDecider } from './decider.ts';
import type { InboundRoutes, InboundRoutesPublished } from './events.ts';

const at = '2026-11-23T02:00:00.000Z';
const routes: InboundRoutes = {
  dids: ['+862180000000'],
  timeZone: 'Asia/Shanghai',
  blacklist: ['+86170*'],
  whitelist: ['+8613900000001'],
  holidays: ['2026-10-01'],
  openHours: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }],
  closed: { kind: 'voicemail' },
  byDid: { '+862180000000': { kind: 'ivr', id: 'main-menu' } },
  byCallerPrefix: [{ prefix: '+852', destination: { kind: 'queue', id: 'cantonese' } }],
  defaultDestination: { kind: 'queue', id: 'service' },
  stickyToLastAgent: true,
};
const publish = (r: Partial<InboundRoutes> = {}, basedOnVersion = 0): PublishInboundRoutes => ({
  type: 'PublishInboundRoutes',
  data: { routesId: 'service-line', basedOnVersion, routes: { ...routes, ...r }, departmentId: 'dept-service' },
  meta: { now: at, actorId: 'admin-1', actorRole: 'admin' },
});
const v1: InboundRoutesPublished = {
  type: 'InboundRoutesPublished',
  data: { routesId: 'service-line', at, version: 1, routes, publishedBy: 'admin-1', departmentId: 'dept-service' },
};

describe('inbound routes', () => {
  it('publishes version 1, then each edit as the next version, keeping the first department', () => {
    given(inboundRoutesDecider).when(publish()).then([v1]);
    const holidays = ['2026-10-01', '2026-10-02'];
    given(inboundRoutesDecider, [v1])
      .when({ ...publish({ holidays }, 1), data: { ...publish({ holidays }, 1).data, departmentId: 'dept-other' } })
      .then([{ type: 'InboundRoutesPublished', data: { ...v1.data, version: 2, routes: { ...routes, holidays } } }]);
  });

  it('refuses an edit of a version that is no longer live', () => {
    given(inboundRoutesDecider, [v1]).when(publish({}, 0)).thenRejects('ROUTES_VERSION_STALE', /version 1 is live/);
  });

  it('refuses called numbers that are not E.164, wherever they appear', () => {
    given(inboundRoutesDecider).when(publish({ dids: ['021 8000 0000'] })).thenRejects('DID_NOT_E164');
    given(inboundRoutesDecider).when(publish({ byDid: { '4008001234': { kind: 'queue', id: 'q' } } })).thenRejects('DID_NOT_E164');
  });

  it('refuses destinations of unknown kind or without the id they need, and a default that rejects everyone', () => {
    given(inboundRoutesDecider).when(publish({ closed: { kind: 'fax' as never } })).thenRejects('ROUTE_DESTINATION_INVALID', /closed/);
    given(inboundRoutesDecider).when(publish({ byDid: { '+862180000000': { kind: 'agent' } } })).thenRejects('ROUTE_DESTINATION_INVALID', /agent destination names its id/);
    given(inboundRoutesDecider).when(publish({ defaultDestination: { kind: 'reject' } })).thenRejects('ROUTE_DESTINATION_INVALID', /default/);
    given(inboundRoutesDecider).when(publish({ byCallerPrefix: [{ prefix: '852', destination: { kind: 'queue', id: 'q' } }] })).thenRejects('ROUTE_NUMBER_INVALID');
  });

  it('refuses hours that are not HH:MM to a later HH:MM on weekdays 1 to 7; 24:00 closes the day', () => {
    given(inboundRoutesDecider).when(publish({ openHours: [{ days: [1], start: '9:00', end: '18:00' }] })).thenRejects('OPEN_HOURS_INVALID');
    given(inboundRoutesDecider).when(publish({ openHours: [{ days: [1], start: '18:00', end: '09:00' }] })).thenRejects('OPEN_HOURS_INVALID');
    given(inboundRoutesDecider).when(publish({ openHours: [{ days: [0, 1], start: '09:00', end: '18:00' }] })).thenRejects('OPEN_HOURS_INVALID', /weekdays 1/);
    given(inboundRoutesDecider).when(publish({ openHours: [] })).thenRejects('OPEN_HOURS_INVALID');
    given(inboundRoutesDecider).when(publish({ openHours: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }] })).then((e) => expect(e).toHaveLength(1));
  });

  it('refuses holidays that are not real dates, unknown time zones and bad list entries', () => {
    given(inboundRoutesDecider).when(publish({ holidays: ['2026-02-30'] })).thenRejects('HOLIDAY_INVALID');
    given(inboundRoutesDecider).when(publish({ holidays: ['10/01/2026'] })).thenRejects('HOLIDAY_INVALID');
    given(inboundRoutesDecider).when(publish({ timeZone: 'Mars/Olympus' })).thenRejects('TIME_ZONE_INVALID');
    given(inboundRoutesDecider).when(publish({ blacklist: ['13800138000'] })).thenRejects('ROUTE_NUMBER_INVALID', /blacklist/);
    given(inboundRoutesDecider).when(publish({ agentWaitSeconds: 600 })).thenRejects('AGENT_WAIT_INVALID');
  });

  it('keeps the offer to wait for the last agent: key timeout 1 to 30 s, no choice waits or queues, an uploaded .wav prompt', () => {
    const agentWaitOffer = { timeoutSeconds: 8, onNoChoice: 'queue' as const, promptFile: 'a1b2c3.wav' };
    given(inboundRoutesDecider).when(publish({ agentWaitOffer })).then([{ ...v1, data: { ...v1.data, routes: { ...routes, agentWaitOffer } } }]);
    given(inboundRoutesDecider).when(publish({ agentWaitOffer: { timeoutSeconds: 0 } })).thenRejects('AGENT_WAIT_OFFER_INVALID', /1 to 30/);
    given(inboundRoutesDecider).when(publish({ agentWaitOffer: { onNoChoice: 'hangup' as never } })).thenRejects('AGENT_WAIT_OFFER_INVALID', /wait or queue/);
    given(inboundRoutesDecider).when(publish({ agentWaitOffer: { promptFile: '../etc/passwd.wav' } })).thenRejects('AGENT_WAIT_OFFER_INVALID', /\.wav/);
  });
});
