import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import PreviewPanel from '../src/components/agent/PreviewPanel.svelte';
import { AgentDesk } from '../src/lib/agentDesk.svelte.ts';
import { ApiError } from '../src/lib/api.ts';
import { I18n } from '../src/lib/i18n.svelte.ts';
import { holdSecondsLeft, PreviewDialer } from '../src/lib/preview.svelte.ts';
import { FakeApi } from './fakeApi.ts';
import { knownCustomer } from './fixtures.ts';

const text = (html: string) => html.replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const NOW = Date.parse('2026-03-02T02:00:00Z');
const held = (phone: string, reason = 'callback_owner') => ({
  phone, reason, attempts: 2, lastDialAt: '2026-03-01T02:00:00Z', callbackDueAt: '2026-03-02T01:55:00Z', heldUntil: '2026-03-02T02:01:30Z',
});

function floor(next: (n: number) => unknown) {
  let asked = 0;
  const api = new FakeApi()
    .on('PreviewCampaigns', () => ({ campaigns: { nodes: [
      { id: 'c-pred', name: '预测活动', dialMode: 'PREDICTIVE' },
      { id: 'c-prev', name: '老客户回访', dialMode: 'PREVIEW' },
    ] } }))
    .on('NextPreviewLead', () => next(++asked))
    .on('Customer', () => ({ customer: knownCustomer() }))
    .on('Dial', () => ({ dial: { position: 9, events: [] } }))
    .on('AgentState', () => ({ agentState: null }));
  return { api, preview: new PreviewDialer(api), desk: new AgentDesk(api, 'u1') };
}

describe('preview dialing on the agent desk', () => {
  it('offers only running preview campaigns and shows the held lead with its screen pop', async () => {
    const { api, preview } = floor(() => ({ nextPreviewLead: held('+8613800138000') }));
    await preview.loadCampaigns();
    expect(api.named('PreviewCampaigns')[0].query).toContain('RUNNING');
    expect(preview.campaigns).toEqual([{ id: 'c-prev', name: '老客户回访' }]);
    expect(preview.campaignId).toBe('c-prev');

    await preview.next();
    expect(api.named('NextPreviewLead')[0].variables).toEqual({ campaignId: 'c-prev' });
    expect(api.named('Customer')[0].variables).toEqual({ phone: '+8613800138000' });
    expect(preview.customer?.leads[0].name).toBe('张伟');
  });

  it('Skip asks again and shows the next lead; nothing due says so', async () => {
    const { preview } = floor((n) => ({ nextPreviewLead: n === 1 ? held('+8613800138000') : n === 2 ? held('+8613900139000', 'new') : null }));
    await preview.loadCampaigns();
    await preview.next();
    await preview.skip();
    expect(preview.lead?.phone).toBe('+8613900139000');
    await preview.skip();
    expect(preview.lead).toBeNull();
    expect(preview.empty).toBe(true);
  });

  it('Dial places the call on the campaign with the agent leg first (the dial mutation) and clears the card', async () => {
    const { api, preview, desk } = floor(() => ({ nextPreviewLead: held('+8613800138000') }));
    await preview.loadCampaigns();
    await preview.next();
    // The lead the pop found is the campaign's own lead (knownCustomer's lead-1 is in c1, not c-prev): no lead id is guessed.
    expect(await preview.dial(desk)).toBe(true);
    expect(api.named('Dial')[0].variables).toMatchObject({ phone: '+8613800138000', campaignId: 'c-prev', leadId: undefined });
    expect(preview.lead).toBeNull();
  });

  it('keeps the lead when the dial is refused, and says why', async () => {
    const { api, preview, desk } = floor(() => ({ nextPreviewLead: held('+8613800138000') }));
    api.on('Dial', () => { throw new ApiError('COMPLIANCE_REJECTED', '号码在黑名单中'); });
    await preview.loadCampaigns();
    await preview.next();
    expect(await preview.dial(desk)).toBe(false);
    expect(preview.lead?.phone).toBe('+8613800138000');
    expect(desk.error).toBe('号码在黑名单中');
  });

  it('names the typed refusals in the agent language', async () => {
    for (const [code, zh, en] of [
      ['CAMPAIGN_NOT_PREVIEW', '该活动不是预览式，由拨号器自动拨打', 'not a preview campaign'],
      ['CAMPAIGN_NOT_RUNNING', '该活动未在运行', 'not running'],
      ['FORBIDDEN', '您无权处理该活动的客户', 'may not work'],
    ]) {
      const { preview, desk } = floor(() => { throw new ApiError(code, 'server sentence'); });
      await preview.loadCampaigns();
      await preview.next();
      expect(preview.error).toEqual({ key: expect.stringMatching(/^preview\.err\./) });
      const i18n = new I18n();
      expect(text(render(PreviewPanel, { props: { i18n, preview, desk, now: NOW } }).body)).toContain(zh);
      i18n.locale = 'en';
      expect(text(render(PreviewPanel, { props: { i18n, preview, desk, now: NOW } }).body)).toContain(en);
    }
  });

  it('shows the reason in words, attempts, callback time and the hold countdown', async () => {
    const { preview, desk } = floor(() => ({ nextPreviewLead: held('+8613800138000') }));
    await preview.loadCampaigns();
    await preview.next();
    desk.status = 'AVAILABLE';
    const zh = text(render(PreviewPanel, { props: { i18n: new I18n(), preview, desk, now: NOW } }).body);
    expect(zh).toContain('推荐原因 您预约的回访已到期');
    expect(zh).toContain('拨打次数 2');
    expect(zh).toContain('还剩 1:30');
    expect(zh).toContain('跳过');
    expect(zh).toContain('张伟'); // the screen pop of the held number
    const en = new I18n();
    en.locale = 'en';
    expect(text(render(PreviewPanel, { props: { i18n: en, preview, desk, now: NOW + 100_000 } }).body)).toContain('Hold lapsed');
    expect(holdSecondsLeft(preview.lead!, NOW)).toBe(90);
  });
});
