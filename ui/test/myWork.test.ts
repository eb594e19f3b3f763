import { describe, expect, it } from 'vitest';
import { MyWork, orderProblems, orderTotal } from '../src/lib/myWork.svelte.ts';
import { FakeApi } from './fakeApi.ts';

const cb = (id: string, dueAt: string) => ({ id, dueAt, status: 'SCHEDULED', note: null, lead: { id: 'l-' + id, phone: '+8613800138000', phoneDisplay: '138 0013 8000', name: '张伟' } });

describe('MyWork', () => {
  it('reminds of callbacks due within five minutes or overdue, soonest first', async () => {
    const api = new FakeApi().on('MyCallbacks', (v) => {
      expect(v.agentId).toBe('u1');
      return { callbacks: { nodes: [cb('later', '2026-03-01T03:00:00Z'), cb('soon', '2026-03-01T02:04:00Z'), cb('late', '2026-03-01T01:50:00Z')] } };
    });
    const work = new MyWork(api, 'u1');
    await work.loadCallbacks();
    expect(work.reminders(Date.parse('2026-03-01T02:00:00Z')).map((c) => c.id)).toEqual(['late', 'soon']);
  });

  it('re-reads the callback list when the server says one changed', async () => {
    let n = 0;
    const api = new FakeApi().on('MyCallbacks', () => ({ callbacks: { nodes: n++ ? [cb('new', '2026-03-01T03:00:00Z')] : [] } }));
    const work = new MyWork(api, 'u1');
    await work.loadCallbacks();
    work.start();
    api.push('myCallbacks', { myCallbacks: { position: 5, callbackId: 'new', eventType: 'CallbackScheduled', dueAt: '2026-03-01T03:00:00Z' } });
    await new Promise((r) => setTimeout(r, 0));
    expect(work.callbacks.map((c) => c.id)).toEqual(['new']);
  });

  it('asks the points an order would earn for the customer, and shows none (no error) when that fails', async () => {
    const api = new FakeApi().on('OrderPoints', () => ({ orderPoints: { earned: 40, balance: 1200 } }));
    const work = new MyWork(api, 'u1');
    expect(await work.orderPoints([{ sku: 'VC-60', quantity: 2 }], '+8613800138000')).toEqual({ earned: 40, balance: 1200 });
    expect(api.named('OrderPoints')[0].variables).toEqual({ lines: [{ sku: 'VC-60', quantity: 2 }], customerPhone: '+8613800138000' });
    api.on('OrderPoints', () => { throw new Error('down'); });
    expect(await work.orderPoints([{ sku: 'VC-60', quantity: 1 }], null)).toBeNull();
    expect(work.error).toBeNull();
  });

  it('validates order lines and sends prices in integer fen, gifts at zero', async () => {
    expect(orderProblems([])).toEqual(['order.empty']);
    expect(orderProblems([{ sku: 'VC', name: '维C', quantity: 0, unitPrice: 100 }])).toEqual(['order.badLine']);
    const lines = [{ sku: 'VC-60', name: '维生素C', quantity: 2, unitPrice: 19900 }, { sku: 'GIFT-CUP', name: '保温杯', quantity: 1, unitPrice: 0 }];
    expect(orderTotal(lines)).toBe(39800);

    const api = new FakeApi().on('Order', () => ({ placeOrder: { streamId: 'order-77', position: 9 } }));
    const work = new MyWork(api, 'u1');
    expect(await work.placeOrder('lead-1', lines, '', 'call-9')).toBe('order-77');
    expect(api.named('Order')[0].variables).toMatchObject({ leadId: 'lead-1', callId: 'call-9', lines, note: null });
  });

  it('does not send an invalid order', async () => {
    const api = new FakeApi();
    const work = new MyWork(api, 'u1');
    expect(await work.placeOrder('lead-1', [{ sku: '', name: 'x', quantity: 1, unitPrice: 1 }], '')).toBeNull();
    expect(api.calls).toHaveLength(0);
  });

  it('adds an unknown caller as a lead of the call’s campaign, fields included, with a command id', async () => {
    const api = new FakeApi().on('CreateLead', () => ({ createLead: { position: 7 } }));
    const work = new MyWork(api, 'u1');
    expect(await work.addCustomer('+8613900000000', '赵敏, 女士', 'c1', { 城市: '苏州', ' ': 'x' })).toBe(true);
    expect(api.named('CreateLead')[0].variables).toMatchObject({ phone: '+8613900000000', name: '赵敏, 女士', campaignId: 'c1', customFields: { 城市: '苏州' } });
    expect(api.named('CreateLead')[0].variables.commandId).toEqual(expect.any(String));
    expect(await work.addCustomer('+8613900000000', '赵敏', null)).toBe(false);
    expect(work.error).toBe('customer.needCampaign');
  });

  it('a list that cannot be read reports on the list and leaves the order form clean', async () => {
    const api = new FakeApi().on('MyCallbacks', () => { throw new Error('relation "rm.callback" does not exist'); });
    const work = new MyWork(api, 'u1');
    await work.loadCallbacks();
    expect(work.callbacksError).toMatch(/rm.callback/);
    expect(work.leadsError).toBeNull();
    expect(work.error).toBeNull();
  });

  it('refuses a callback time that is not a time', async () => {
    const api = new FakeApi();
    const work = new MyWork(api, 'u1');
    expect(await work.scheduleCallback('lead-1', new Date('nope'), '')).toBe(false);
    expect(work.error).toBe('callback.badTime');
    expect(api.calls).toHaveLength(0);
  });
});
