import { describe, expect, it } from 'vitest';
import { actorLabel, Audit, type RawEvent } from '../src/lib/audit.svelte.ts';
import { buildTimeline } from '../src/lib/timeline.ts';
import { FakeApi } from './fakeApi.ts';
import { knownCustomer } from './fixtures.ts';

describe('auditor timeline', () => {
  it('puts ownership, calls, recordings, dispositions and orders in time order', () => {
    const kinds = buildTimeline(knownCustomer()).map((e) => `${e.kind}:${e.refId}`);
    expect(kinds).toEqual(['ownership:u1', 'call:call-1', 'call:call-2', 'recording:rec-2', 'order:ord-1', 'disposition:call-2']);
  });

  it('replays a number as of an instant: customer, the lead stream, and verification of that stream', async () => {
    const api = new FakeApi()
      .on('Customer', () => ({ customer: knownCustomer() }))
      .on('History', (v) => ({ history: { streamId: v.stream, version: 1, events: [{ streamId: v.stream, revision: 1, position: 3, type: 'LeadImported', data: {}, metadata: { actorId: 'u9' }, actor: { id: 'u9', displayName: '管理员孙' }, recordedAt: '2026-02-20T01:00:00Z', hash: 'abc' }] } }))
      .on('Verify', (v) => ({ verify: { ok: true, checked: 1, scope: v.stream, summary: 'ok', problem: null } }));
    const audit = new Audit(api);
    await audit.show('138 0013 8000', '', '2026-03-01T02:01:00.000Z');
    expect(api.named('Customer')[0].variables).toEqual({ phone: '138 0013 8000', asOf: { at: '2026-03-01T02:01:00.000Z' } });
    expect(api.named('History')[0].variables).toEqual({ stream: 'lead-lead-1', asOf: { at: '2026-03-01T02:01:00.000Z' } });
    expect(audit.timeline.length).toBe(6);
    expect(actorLabel(audit.events[0])).toBe('管理员孙');
    await audit.verify(audit.events[0].streamId);
    expect(audit.verification).toMatchObject({ ok: true, scope: 'lead-lead-1' });
  });

  it('starts from a call id: its phone, its receipts and its own stream', async () => {
    const api = new FakeApi()
      .on('Call', () => ({ call: { id: 'call-2', phone: '+8613800138000' } }))
      .on('Receipts', () => ({ callReceipts: { routing: [], compliance: [{ position: 7, at: '2026-03-01T02:00:00Z', check: 'dnc', passed: true, details: {} }] } }))
      .on('Customer', () => ({ customer: knownCustomer() }))
      .on('History', () => ({ history: { streamId: 'call-call-2', version: 0, events: [] } }));
    const audit = new Audit(api);
    await audit.show('', 'call-2', '');
    expect(api.named('Customer')[0].variables.phone).toBe('+8613800138000');
    expect(api.named('History')[0].variables.stream).toBe('call-call-2');
    expect(audit.receipts?.compliance[0].check).toBe('dnc');
  });

  it('reports an unknown call instead of showing someone else’s history', async () => {
    const api = new FakeApi().on('Call', () => ({ call: null }));
    const audit = new Audit(api);
    await audit.show('', 'nope', '');
    expect(audit.error).toMatch(/nope/);
    expect(api.named('Customer')).toHaveLength(0);
  });

  it('downloads the evidence bundle as of the same instant', async () => {
    const api = new FakeApi()
      .on('Customer', () => ({ customer: knownCustomer() }))
      .on('History', () => ({ history: { streamId: 'lead-lead-1', version: 0, events: [] } }))
      .on('Evidence', () => ({ evidenceBundle: { phone: '+8613800138000', calls: [] } }));
    const audit = new Audit(api);
    await audit.show('13800138000', '', '2026-03-01T02:01:00.000Z');
    const text = await audit.evidence();
    expect(JSON.parse(text!)).toEqual({ phone: '+8613800138000', calls: [] });
    expect(api.named('Evidence')[0].variables).toEqual({ phone: '+8613800138000', asOf: { at: '2026-03-01T02:01:00.000Z' } });
  });
});

describe('raw events', () => {
  it('name the person who acted, and keep the recorded id for the system or a bot', () => {
    const ev = (actorId: string, actor: RawEvent['actor']): RawEvent => ({ streamId: 's', revision: 1, position: 1, type: 'X', data: {}, metadata: { actorId }, actor, recordedAt: '', hash: '' });
    expect(actorLabel(ev('u-agent', { id: 'u-agent', displayName: '王丽' }))).toBe('王丽');
    expect(actorLabel(ev('dialer', null))).toBe('dialer');
  });
});
