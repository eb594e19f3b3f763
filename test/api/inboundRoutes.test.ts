import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Harness } from './harness.ts';

const PUBLISH = `mutation($id: ID!, $v: Int!, $i: InboundRoutesInput!, $d: ID) {
  publishInboundRoutes(id: $id, basedOnVersion: $v, input: $i, departmentId: $d) { streamId events { type } }
}`;
const LIST = '{ inboundRoutes { id version versionTag departmentId dids holidays agentWaitOffer { timeoutSeconds onNoChoice promptFile } byDid { did destination { kind id } } defaultDestination { kind id } openHours { days start end } } }';

const input = (over: Record<string, unknown> = {}) => ({
  dids: ['+862180000001'],
  timeZone: 'Asia/Shanghai',
  holidays: ['2026-10-01'],
  openHours: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }],
  closed: { kind: 'voicemail' },
  byDid: [{ did: '+862180000001', destination: { kind: 'ivr', id: 'menu-east' } }],
  defaultDestination: { kind: 'queue', id: 'q-east' },
  ...over,
});

describe('inbound routes over GraphQL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({}, 'api_inbound_routes');
  });
  afterAll(async () => h?.close());

  it('an admin publishes versions; a stale edit and bad fields are refused with the reason', async () => {
    const admin = await h.token('admin');
    const first = await h.gql(PUBLISH, { id: 'east-line', v: 0, i: input(), d: 'east' }, admin);
    expect(first.errors).toBeUndefined();
    expect(first.data.publishInboundRoutes.events).toEqual([{ type: 'InboundRoutesPublished' }]);
    const offer = { timeoutSeconds: 8, onNoChoice: 'queue' };
    expect((await h.gql(PUBLISH, { id: 'east-line', v: 1, i: input({ holidays: ['2026-10-01', '2026-10-02'], agentWaitOffer: offer }) }, admin)).errors).toBeUndefined();

    const stale = await h.gql(PUBLISH, { id: 'east-line', v: 1, i: input() }, admin);
    expect(stale.errors?.[0].extensions.code).toBe('ROUTES_VERSION_STALE');
    const badDid = await h.gql(PUBLISH, { id: 'west-line', v: 0, i: input({ dids: ['021-8000-0001'] }), d: 'west' }, admin);
    expect(badDid.errors?.[0].extensions.code).toBe('DID_NOT_E164');
    const badHours = await h.gql(PUBLISH, { id: 'west-line', v: 0, i: input({ openHours: [{ days: [1], start: '18:00', end: '09:00' }] }), d: 'west' }, admin);
    expect(badHours.errors?.[0].extensions.code).toBe('OPEN_HOURS_INVALID');
    expect(badHours.errors?.[0].message).toMatch(/营业时段/);
    const badOffer = await h.gql(PUBLISH, { id: 'west-line', v: 0, i: input({ agentWaitOffer: { onNoChoice: 'hangup' } }), d: 'west' }, admin);
    expect(badOffer.errors?.[0].extensions.code).toBe('AGENT_WAIT_OFFER_INVALID');

    const list = await h.gql(LIST, {}, admin);
    expect(list.data.inboundRoutes).toEqual([
      expect.objectContaining({
        id: 'east-line', version: 2, versionTag: 'routes-east-line@2', departmentId: 'east', holidays: ['2026-10-01', '2026-10-02'],
        agentWaitOffer: { timeoutSeconds: 8, onNoChoice: 'queue', promptFile: null },
        byDid: [{ did: '+862180000001', destination: { kind: 'ivr', id: 'menu-east' } }],
      }),
    ]);
  });

  it('supervisors read their department’s routes only and may not publish; agents may not read', async () => {
    const admin = await h.token('admin');
    const west = input({ dids: ['+862180000002'], byDid: [], defaultDestination: { kind: 'queue', id: 'q-west' } });
    expect((await h.gql(PUBLISH, { id: 'west-line', v: 0, i: west, d: 'west' }, admin)).errors).toBeUndefined();

    const east = await h.gql(LIST, {}, await h.token('sup-east'));
    expect(east.data.inboundRoutes.map((r: { id: string }) => r.id)).toEqual(['east-line']);
    const westSeen = await h.gql(LIST, {}, await h.token('sup-west'));
    expect(westSeen.data.inboundRoutes.map((r: { id: string }) => r.id)).toEqual(['west-line']);
    expect((await h.gql(PUBLISH, { id: 'east-line', v: 2, i: input() }, await h.token('sup-east'))).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await h.gql(LIST, {}, await h.token('agent-east'))).errors?.[0].extensions.code).toBe('FORBIDDEN');
  });
});
