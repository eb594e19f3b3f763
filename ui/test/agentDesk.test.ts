import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/lib/api.ts';
import { AgentDesk, statusAfter } from '../src/lib/agentDesk.svelte.ts';
import { FakeApi } from './fakeApi.ts';
import { callEvent, knownCustomer } from './fixtures.ts';

function floor() {
  const api = new FakeApi()
    .on('AgentState', () => ({ agentState: { status: 'AVAILABLE', pauseReason: null, since: '2026-03-01T01:00:00Z', extension: '8001', currentCall: null } }))
    .on('Customer', () => ({ customer: knownCustomer() }))
    .on('Campaign', () => ({ campaign: { id: 'c1', name: '春季保健品', dispositions: ['成交', '考虑中'], script: '开场白', questionnaireId: null } }));
  const desk = new AgentDesk(api, 'u1');
  desk.start();
  return { api, desk };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('AgentDesk: screen pop from the myCalls subscription', () => {
  it('pops the customer and the campaign script when a dialer call reaches the agent', async () => {
    const { api, desk } = floor();
    api.push('MyCalls', callEvent(11, 'CallOffered'));
    expect(desk.call).toMatchObject({ id: 'call-9', phone: '+8613800138000', stage: 'ringing', direction: 'OUTBOUND' });
    expect(desk.status).toBe('RINGING');
    await settle();
    expect(api.named('Customer')[0].variables).toEqual({ phone: '+8613800138000' });
    expect(desk.customer?.leads[0].name).toBe('张伟');
    expect(desk.campaign?.dispositions).toEqual(['成交', '考虑中']);

    api.push('MyCalls', callEvent(12, 'CallBridged'));
    expect(desk.call?.stage).toBe('talking');
    expect(desk.status).toBe('ON_CALL');
    expect(api.named('Customer')).toHaveLength(1);
  });

  it('drops the old pause reason once a call is on the desk', async () => {
    const { api, desk } = floor();
    desk.pauseReason = 'break';
    api.push('MyCalls', callEvent(11, 'CallBridged'));
    expect(desk.pauseReason).toBeNull();
  });

  it('asks for the number when the first event it sees does not carry it (predictive call at bridge time)', async () => {
    const { api, desk } = floor();
    api.on('CallPhone', (v) => ({ call: { phone: v.id === 'call-9' ? '+8613800138000' : null, lead: { id: 'lead-1' }, campaign: { id: 'c1' } } }));
    api.push('MyCalls', callEvent(11, 'CallBridged', { phone: null, leadId: null, campaignId: null, data: {} }));
    await settle();
    await settle();
    expect(desk.call).toMatchObject({ id: 'call-9', phone: '+8613800138000', leadId: 'lead-1', campaignId: 'c1', stage: 'talking' });
    expect(api.named('Customer')[0].variables).toEqual({ phone: '+8613800138000' });
    expect(desk.campaign?.id).toBe('c1');
  });

  it('asks again while the calls read model has not caught up, then pops the customer', async () => {
    const { api, desk } = floor();
    desk.retryMs = 0;
    let reads = 0;
    api.on('CallPhone', () => (++reads < 3 ? { call: null } : { call: { phone: '+8613800138000', lead: { id: 'lead-1' }, campaign: { id: 'c1' } } }));
    api.push('MyCalls', callEvent(11, 'CallBridged', { phone: null, leadId: null, campaignId: null, data: {} }));
    await expect.poll(() => desk.call?.phone).toBe('+8613800138000');
    expect(reads).toBe(3);
    await expect.poll(() => api.named('Customer').length).toBe(1);
    expect(desk.call).toMatchObject({ leadId: 'lead-1', campaignId: 'c1' });
  });

  it('gives up asking after a bounded number of reads', async () => {
    const { api, desk } = floor();
    desk.retryMs = 0;
    api.on('CallPhone', () => ({ call: null }));
    api.push('MyCalls', callEvent(11, 'CallBridged', { phone: null, leadId: null, campaignId: null, data: {} }));
    await expect.poll(() => api.named('CallPhone').length).toBe(21);
    await new Promise((r) => setTimeout(r, 20));
    expect(api.named('CallPhone')).toHaveLength(21);
    expect(desk.call?.phone).toBe('');
  });

  it('asks for the campaign when the event names the number but not the campaign', async () => {
    const { api, desk } = floor();
    api.on('CallPhone', () => ({ call: { phone: '+8613800138000', lead: null, campaign: { id: 'c1' } } }));
    api.push('MyCalls', callEvent(11, 'CallBridged', { campaignId: null }));
    await settle();
    await settle();
    expect(desk.call?.campaignId).toBe('c1');
    expect(desk.campaign?.dispositions).toEqual(['成交', '考虑中']);
    expect(api.named('Customer')).toHaveLength(1);
  });

  it('goes to wrap-up when the call ends and keeps the pop for the disposition', async () => {
    const { api, desk } = floor();
    api.push('MyCalls', callEvent(11, 'CallBridged'));
    api.push('MyCalls', callEvent(12, 'CallEnded'));
    expect(desk.call?.stage).toBe('ended');
    expect(desk.busy).toBe(false);
    expect(desk.status).toBe('WRAP_UP');
  });

  it('ignores events replayed after a reconnect', () => {
    const { api, desk } = floor();
    api.push('MyCalls', callEvent(11, 'CallBridged'));
    api.push('MyCalls', callEvent(12, 'CallHeld'));
    api.push('MyCalls', callEvent(11, 'CallBridged'));
    expect(desk.call?.stage).toBe('held');
    expect(desk.status).toBe('ON_HOLD');
  });

  it('replaces the pop when the next call arrives', async () => {
    const { api, desk } = floor();
    api.push('MyCalls', callEvent(11, 'CallBridged'));
    api.push('MyCalls', callEvent(12, 'CallEnded'));
    api.push('MyCalls', callEvent(13, 'CallOffered', { callId: 'call-10', phone: '+8613900000000' }));
    expect(desk.call).toMatchObject({ id: 'call-10', stage: 'ringing' });
    await settle();
    expect(api.named('Customer').at(-1)?.variables).toEqual({ phone: '+8613900000000' });
  });
});

describe('AgentDesk: commands', () => {
  it('sends the disposition for the popped call with a command id, then re-reads the phone state', async () => {
    const { api, desk } = floor();
    api.on('SetDisposition', () => ({ setDisposition: { position: 20 } }));
    api.push('MyCalls', callEvent(11, 'CallBridged'));
    expect(await desk.dispose('成交', '要两盒')).toBe(true);
    const sent = api.named('SetDisposition')[0].variables;
    expect(sent).toMatchObject({ callId: 'call-9', disposition: '成交', note: '要两盒' });
    expect(typeof sent.commandId).toBe('string');
    expect(api.named('AgentState').length).toBeGreaterThan(0);
    expect(desk.status).toBe('AVAILABLE');
  });

  it('shows the domain’s reason when a command is refused and keeps the call', async () => {
    const { api, desk } = floor();
    api.on('Hold', () => { throw new ApiError('CALL_NOT_ANSWERED', '通话尚未接通，无法保持'); });
    api.push('MyCalls', callEvent(11, 'CallOffered'));
    expect(await desk.hold()).toBe(false);
    expect(desk.error).toBe('通话尚未接通，无法保持');
    expect(desk.call?.id).toBe('call-9');
  });

  it('pauses with the chosen reason and dials in preview with the lead', async () => {
    const { api, desk } = floor();
    api.on('PauseAgent', () => ({ pauseAgent: { position: 1 } })).on('Dial', () => ({ dial: { position: 2 } }));
    await desk.pause('meal');
    expect(api.named('PauseAgent')[0].variables).toMatchObject({ reason: 'meal' });
    await desk.dial('+8613800138000', 'lead-1', 'c1');
    expect(api.named('Dial')[0].variables).toMatchObject({ phone: '+8613800138000', leadId: 'lead-1', campaignId: 'c1' });
  });

  it('restores a call already in progress after a page reload', async () => {
    const api = new FakeApi()
      .on('AgentState', () => ({ agentState: { status: 'ON_CALL', pauseReason: null, since: '2026-03-01T01:00:00Z', extension: '8001',
        currentCall: { id: 'call-7', phone: '+8613800138000', direction: 'INBOUND', startedAt: '2026-03-01T01:00:00Z', lead: { id: 'lead-1' }, campaign: null } } }))
      .on('Customer', () => ({ customer: knownCustomer() }));
    const desk = new AgentDesk(api, 'u1');
    await desk.load();
    expect(desk.call).toMatchObject({ id: 'call-7', stage: 'talking', direction: 'INBOUND' });
    await settle();
    expect(desk.customer?.leads[0].id).toBe('lead-1');
  });

  it('follows its own commands when the server has no agent-state read model yet', async () => {
    const api = new FakeApi()
      .on('AgentState', () => { throw new ApiError('NOT_AVAILABLE', '尚未开放 / Query.agentState is not available on this server yet'); })
      .on('AgentLogin', () => ({ agentLogin: { position: 1, events: [{ type: 'AgentLoggedIn' }] } }))
      .on('SetAgentAvailable', () => ({ setAgentAvailable: { position: 2, events: [{ type: 'AgentReady' }] } }))
      .on('PauseAgent', () => ({ pauseAgent: { position: 3, events: [{ type: 'AgentNotReady' }] } }));
    const desk = new AgentDesk(api, 'u1');
    await desk.load();
    expect(desk.error).toBeNull();
    await desk.login('8001');
    expect([desk.status, desk.extension]).toEqual(['PAUSED', '8001']);
    await desk.ready();
    expect(desk.status).toBe('AVAILABLE');
    await desk.pause('meal');
    expect([desk.status, desk.pauseReason]).toEqual(['PAUSED', 'meal']);
    expect(desk.error).toBeNull();
  });

  it('keeps its own command’s state while the state read model still shows the state before it', async () => {
    let served = { status: 'LOGGED_OUT', pauseReason: null, since: '2026-03-01T01:00:00Z', extension: null, currentCall: null };
    const api = new FakeApi()
      .on('AgentState', () => ({ agentState: served }))
      .on('SetAgentAvailable', () => ({ setAgentAvailable: { position: 2, events: [{ type: 'AgentReady' }] } }));
    const desk = new AgentDesk(api, 'u1');
    await desk.load();
    expect(desk.status).toBe('LOGGED_OUT');
    await desk.ready(); // the read right after the command still says LOGGED_OUT
    expect(desk.status).toBe('AVAILABLE');
    await desk.load();
    expect(desk.status).toBe('AVAILABLE');
    desk.trustOwnCommandMs = 0; // later, the server is the authority again (e.g. a supervisor forced a pause)
    served = { ...served, status: 'PAUSED', since: '2026-03-01T01:05:00Z' };
    await desk.load();
    expect(desk.status).toBe('PAUSED');
  });

  it('answers the ringing call by its id, and only while it rings', async () => {
    const { api, desk } = floor();
    api.on('AnswerCall', () => ({ answerCall: { position: 30, events: [] } }));
    expect(await desk.answer()).toBe(false);
    api.push('MyCalls', callEvent(11, 'CallOffered'));
    expect(await desk.answer()).toBe(true);
    expect(api.named('AnswerCall')[0].variables).toMatchObject({ callId: 'call-9' });
    api.push('MyCalls', callEvent(12, 'CallBridged'));
    expect(await desk.answer()).toBe(false);
    expect(api.named('AnswerCall')).toHaveLength(1);
  });

  it('shows why answering was refused (the offer moved on)', async () => {
    const { api, desk } = floor();
    api.on('AnswerCall', () => { throw new ApiError('NOTHING_OFFERED', '没有呼入分配给您'); });
    api.push('MyCalls', callEvent(11, 'CallOffered'));
    expect(await desk.answer()).toBe(false);
    expect(desk.error).toBe('没有呼入分配给您');
  });

  it('is ready again once wrap-up is finished, even before the state read model has it', async () => {
    const { api, desk } = floor();
    api.on('AgentState', () => ({ agentState: { status: 'WRAP_UP', pauseReason: null, since: '2026-03-01T01:00:00Z', extension: '8001', currentCall: null } }));
    api.on('FinishWrapUp', () => ({ finishWrapUp: { position: 31, events: [] } }));
    api.push('MyCalls', callEvent(11, 'CallBridged'));
    api.push('MyCalls', callEvent(12, 'CallEnded'));
    expect(desk.status).toBe('WRAP_UP');
    expect(await desk.finishWrapUp()).toBe(true);
    expect(desk.status).toBe('AVAILABLE');
  });

  it('stays in wrap-up when finishing it is refused, with the reason', async () => {
    const { api, desk } = floor();
    api.on('FinishWrapUp', () => { throw new ApiError('NOT_IN_WRAP_UP', '坐席不在话后整理中'); });
    api.push('MyCalls', callEvent(12, 'CallEnded'));
    expect(await desk.finishWrapUp()).toBe(false);
    expect([desk.status, desk.error]).toEqual(['WRAP_UP', '坐席不在话后整理中']);
  });

  it('reads the resulting state from the appended events, last one wins', () => {
    expect(statusAfter([{ type: 'AgentLoggedIn' }, { type: 'AgentReady' }])).toBe('AVAILABLE');
    expect(statusAfter([{ type: 'AgentCallEnded' }, { type: 'AgentLoggedOut' }])).toBe('LOGGED_OUT');
    expect(statusAfter([{ type: 'CallHeld' }])).toBeNull();
  });
});
