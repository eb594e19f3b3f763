import { describe, expect, it } from 'vitest';
import { routeInbound, type InboundRules } from '../../src/acd/index.ts';

const rules: InboundRules = {
  version: 'ivr-routing-4',
  timeZone: 'Asia/Shanghai',
  blacklist: ['+8617000000000', '+86170*'],
  whitelist: ['+8613900000001'],
  holidays: ['2026-10-01'],
  openHours: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }],
  closed: { kind: 'voicemail', id: 'after-hours' },
  byDid: { '4008001234': { kind: 'ivr', id: 'main-menu' } },
  byCallerPrefix: [
    { prefix: '+852', destination: { kind: 'queue', id: 'cantonese' } },
    { prefix: '+85291', destination: { kind: 'queue', id: 'hk-mobile' } },
  ],
  defaultDestination: { kind: 'queue', id: 'general' },
  stickyToLastAgent: true,
};
// Monday 2026-11-23 10:00 Shanghai.
const open = '2026-11-23T02:00:00Z';

describe('routing before the IVR', () => {
  it('refuses blacklisted callers, by number or prefix', () => {
    expect(routeInbound({ from: '+8617012345678', did: '4008001234', at: open }, rules)).toMatchObject({ rule: 'blacklist', destination: { kind: 'reject' } });
  });

  it('sends calls on holidays and outside hours to the closed destination, with the local time', () => {
    expect(routeInbound({ from: '+8613800138000', did: '4008001234', at: '2026-10-01T02:00:00Z' }, rules)).toMatchObject({ rule: 'holiday', destination: rules.closed });
    const evening = routeInbound({ from: '+8613800138000', did: '4008001234', at: '2026-11-23T11:30:00Z' }, rules);
    expect(evening).toMatchObject({ rule: 'closed_hours', reason: 'closed at 19:30 local time' });
    expect(evening.inputs).toEqual({ rulesVersion: 'ivr-routing-4', localTime: '2026-11-23T19:30', timeZone: 'Asia/Shanghai', whitelisted: false });
  });

  it('routes by DID, then by the longest matching caller prefix, then the default', () => {
    expect(routeInbound({ from: '+8613800138000', did: '4008001234', at: open }, rules)).toMatchObject({ rule: 'did', destination: { kind: 'ivr', id: 'main-menu' } });
    expect(routeInbound({ from: '+85291234567', did: '000', at: open }, rules).destination).toEqual({ kind: 'queue', id: 'hk-mobile' });
    expect(routeInbound({ from: '+85221234567', did: '000', at: open }, rules).destination).toEqual({ kind: 'queue', id: 'cantonese' });
    expect(routeInbound({ from: '+8613800138000', did: '000', at: open }, rules).rule).toBe('default');
  });

  it('gives whitelisted callers VIP priority', () => {
    expect(routeInbound({ from: '+8613900000001', did: '4008001234', at: open }, rules).priority).toBe(10);
    expect(routeInbound({ from: '+8613900000002', did: '4008001234', at: open }, rules).priority).toBe(0);
  });

  it('sends a known customer to their last agent when free, else offers to wait for them', () => {
    expect(routeInbound({ from: '+8613800138000', did: '4008001234', at: open, knownCustomer: { lastAgentId: 'li', lastAgentFree: true } }, rules)).toMatchObject({
      rule: 'sticky_agent',
      destination: { kind: 'agent', id: 'li' },
    });
    expect(routeInbound({ from: '+8613800138000', did: '4008001234', at: open, knownCustomer: { lastAgentId: 'li', lastAgentFree: false } }, rules)).toMatchObject({
      rule: 'did',
      offerToWaitFor: 'li',
    });
  });
});
