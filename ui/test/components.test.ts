import { createRawSnippet } from 'svelte';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import TrendChart from '../src/components/common/TrendChart.svelte';
import AgentTable from '../src/components/supervisor/AgentTable.svelte';
import WallboardPanel from '../src/components/supervisor/WallboardPanel.svelte';
import WallboardTiles from '../src/components/supervisor/WallboardTiles.svelte';
import ScreenPop from '../src/components/agent/ScreenPop.svelte';
import Softphone from '../src/components/agent/Softphone.svelte';
import StatusBar from '../src/components/agent/StatusBar.svelte';
import Timeline from '../src/components/auditor/Timeline.svelte';
import App from '../src/App.svelte';
import CampaignsAdmin from '../src/components/admin/CampaignsAdmin.svelte';
import OrderForm from '../src/components/agent/OrderForm.svelte';
import { MyWork } from '../src/lib/myWork.svelte.ts';
import { AgentDesk } from '../src/lib/agentDesk.svelte.ts';
import { I18n } from '../src/lib/i18n.svelte.ts';
import { Session } from '../src/lib/session.svelte.ts';
import { buildTimeline } from '../src/lib/timeline.ts';
import { Wallboard } from '../src/lib/wallboard.svelte.ts';
import { FakeApi } from './fakeApi.ts';
import { knownCustomer, unknownCustomer } from './fixtures.ts';

const zh = () => new I18n();
function en() {
  const i = new I18n();
  i.locale = 'en';
  return i;
}
/** Visible text only, whitespace collapsed (the markup carries comments and attributes). */
const text = (html: string) => html.replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('screen pop', () => {
  it('shows the known customer: name, custom fields, owner, last agent, history and orders in yuan', () => {
    const { body } = render(ScreenPop, { props: { i18n: zh(), phone: '+8613800138000', customer: knownCustomer() } });
    const t = text(body);
    expect(t).toContain('客户信息 · 138 0013 8000');
    expect(t).toContain('张伟');
    expect(t).toContain('城市 杭州');
    expect(t).toContain('会员等级 金卡');
    expect(t).toContain('归属坐席 王丽');
    expect(t).toContain('上次服务坐席 李娜');
    expect(t).toContain('维生素C×2');
    expect(t).toContain('¥398.00');
    expect(t).toContain('40 积分'); // the loyalty points the order earned
    expect(t).toContain('2026/03/01 10:00:00');
    expect(t).toContain('跟进中 · 考虑中');
    expect(t).toContain('无人接听');
    expect(t).toContain('已审核');
  });

  it('offers the add-customer form for an unknown number', () => {
    const unknown = createRawSnippet(() => ({ render: () => '<form data-testid="add-customer">add</form>' }));
    const { body } = render(ScreenPop, { props: { i18n: zh(), phone: '+8613900000000', customer: unknownCustomer(), unknown } });
    expect(text(body)).toContain('未知号码，新客户');
    expect(body).toContain('data-testid="add-customer"');
  });

  it('warns when the number is on the do-not-call list', () => {
    const c = { ...knownCustomer(), dnc: { scope: 'GLOBAL', reason: '客户投诉', addedAt: '2026-01-01T00:00:00Z' } };
    expect(text(render(ScreenPop, { props: { i18n: en(), phone: c.phone, customer: c } }).body)).toContain('Do not call: 客户投诉');
  });
});

describe('wallboard', () => {
  const totals = { position: 1, at: '', agentsLoggedIn: 12345, agentsAvailable: 3, agentsOnCall: 5, agentsPaused: 1, agentsWrapUp: 0, callsWaiting: 4, longestWaitSeconds: 75,
    callsToday: 200, connectsToday: 150, abandonedToday: 6, ordersToday: 12, ordersAmountToday: 1234550 };

  it('shows tiles in Chinese number style and in English', () => {
    const z = text(render(WallboardTiles, { props: { i18n: zh(), totals } }).body);
    expect(z).toContain('签入坐席 1.2万');
    expect(z).toContain('最长等待 1:15');
    expect(z).toContain('今日放弃 6 (3%)');
    expect(z).toContain('今日成交额 ¥12,345.50');
    const e = text(render(WallboardTiles, { props: { i18n: en(), totals } }).body);
    expect(e).toContain('Logged in 12.3K');
    expect(e).toContain('Sales today ¥12,345.50');
  });

  it('offers listen/whisper/barge only on agents with a live call, and no actions when read-only', () => {
    const board = new Wallboard(new FakeApi());
    board.agents = [
      { id: 'a1', name: '王丽', status: 'AVAILABLE', pauseReason: null, since: '2026-03-01T01:59:00Z', callId: null, phone: null },
      { id: 'a2', name: '李娜', status: 'ON_CALL', pauseReason: null, since: '2026-03-01T01:58:30Z', callId: 'call-5', phone: '+8613800138000' },
    ];
    const now = Date.parse('2026-03-01T02:00:00Z');
    const html = render(AgentTable, { props: { i18n: zh(), board, now } }).body;
    const rows = html.split('<tr data-agent=').slice(1).map(text);
    expect(rows[0]).toContain('李娜');
    expect(rows[0]).toContain('1:30');
    expect(rows[0]).toContain('强插');
    expect(rows[1]).toContain('王丽');
    expect(rows[1]).not.toContain('强插');
    expect(rows[1]).toContain('强制签出');
    const ro = text(render(AgentTable, { props: { i18n: zh(), board, now, readOnly: true } }).body);
    expect(ro).not.toContain('强插');
    expect(ro).not.toContain('强制签出');
  });
});

describe('trend chart', () => {
  it('draws a single sample as a level across the plot, not an invisible dot', () => {
    const { body } = render(TrendChart, { props: { series: [{ waiting: 1, onCall: 2 }], labels: ['排队来电', '通话中'] } });
    const lines = [...body.matchAll(/points="([^"]*)"/g)].map((m) => m[1]);
    expect(lines).toEqual(['0.0,65.0 320.0,65.0', '0.0,32.0 320.0,32.0']);
  });

  it('scales the samples into the plot band below the legend', () => {
    const { body } = render(TrendChart, { props: { series: [{ waiting: 0, onCall: 4 }, { waiting: 2, onCall: 4 }, { waiting: 4, onCall: 0 }], labels: ['排队来电', '通话中'] } });
    const lines = [...body.matchAll(/points="([^"]*)"/g)].map((m) => m[1]);
    expect(lines).toEqual(['0.0,98.0 160.0,65.0 320.0,32.0', '0.0,32.0 160.0,32.0 320.0,98.0']);
    expect(text(body)).toContain('排队来电');
  });
});

describe('agent status bar', () => {
  it('asks a logged-out agent for the extension, and a ready one offers pause reasons', () => {
    const desk = new AgentDesk(new FakeApi(), 'u1');
    expect(text(render(StatusBar, { props: { i18n: zh(), desk, now: Date.now() } }).body)).toContain('未签入');
    desk.status = 'AVAILABLE';
    desk.since = '2026-03-01T01:55:00Z';
    const t = text(render(StatusBar, { props: { i18n: en(), desk, now: Date.parse('2026-03-01T02:00:00Z') } }).body);
    expect(t).toContain('Ready');
    expect(t).toContain('for 5:00');
    expect(t).toContain('Meal');
  });

  it('offers 完成整理 / Finish wrap-up only in wrap-up', () => {
    const desk = new AgentDesk(new FakeApi(), 'u1');
    desk.status = 'ON_CALL';
    expect(text(render(StatusBar, { props: { i18n: zh(), desk, now: Date.now() } }).body)).not.toContain('完成整理');
    desk.status = 'WRAP_UP';
    expect(text(render(StatusBar, { props: { i18n: zh(), desk, now: Date.now() } }).body)).toContain('完成整理');
    expect(text(render(StatusBar, { props: { i18n: en(), desk, now: Date.now() } }).body)).toContain('Finish wrap-up');
  });
});

describe('softphone', () => {
  it('shows the Answer button while the call rings, and hold once it is answered', () => {
    const desk = new AgentDesk(new FakeApi(), 'u1');
    desk.call = { id: 'call-9', phone: '+8613800138000', leadId: null, campaignId: null, direction: 'INBOUND', stage: 'ringing', startedAt: '2026-03-01T02:00:00Z' };
    const now = Date.parse('2026-03-01T02:00:05Z');
    expect(text(render(Softphone, { props: { i18n: zh(), desk, now } }).body)).toContain('接听');
    expect(text(render(Softphone, { props: { i18n: en(), desk, now } }).body)).toContain('Answer');
    desk.call = { ...desk.call, stage: 'talking' };
    const t = text(render(Softphone, { props: { i18n: en(), desk, now } }).body);
    expect(t).not.toMatch(/\bAnswer\b/);
    expect(t).toContain('Hold');
  });
});

describe('auditor timeline and app shell', () => {
  it('lists the number’s history with amounts in yuan', () => {
    const t = text(render(Timeline, { props: { i18n: zh(), entries: buildTimeline(knownCustomer()) } }).body);
    expect(t).toContain('归属 王丽');
    expect(t).toContain('订单 ¥398.00');
    expect(t).toContain('录音 sha256 ab12cd34ef56');
    expect(t.indexOf('归属 王丽')).toBeLessThan(t.indexOf('订单'));
  });

  it('shows the login form until someone logs in', () => {
    const api = new FakeApi();
    const t = text(render(App, { props: { api, i18n: zh(), session: new Session(api), download: () => {} } }).body);
    expect(t).toContain('用户名');
    expect(t).toContain('密码');
    expect(t).not.toContain('退出');
  });
});

describe('wallboard panel', () => {
  it('says so when the floor has no queues or campaigns, instead of empty tables', () => {
    const board = new Wallboard(new FakeApi());
    const { body } = render(WallboardPanel, { props: { i18n: zh(), board, now: Date.now() } });
    const queues = text(body.slice(body.indexOf('data-testid="queues"'), body.indexOf('data-testid="campaigns"')));
    expect(queues).toContain('暂无');
    expect(text(body.slice(body.indexOf('data-testid="campaigns"')))).toContain('暂无');
  });

  it('shows campaign orders in Chinese number format under a cumulative heading', () => {
    const board = new Wallboard(new FakeApi());
    board.campaigns = [{ id: 'c1', name: '春季', status: 'RUNNING', dialMode: 'PREDICTIVE', maxAbandonRate: 0.03, leadsTotal: 120000, leadsRemaining: 20000, abandonRate: 0.01, orders: 12345 } as any];
    const { body } = render(WallboardPanel, { props: { i18n: zh(), board, now: Date.now() } });
    const campaigns = text(body.slice(body.indexOf('data-testid="campaigns"')));
    expect(campaigns).toContain('12,345');
    expect(campaigns).not.toContain('今日订单');
  });
});

describe('order form: the campaign’s products', () => {
  const products = [
    { id: 'fish-oil', sku: 'FO-1', name: '深海鱼油', price: 25_900, discontinued: false },
    { id: 'old-tea', sku: 'T-1', name: '老茶', price: 5_000, discontinued: true },
  ];
  it('offers the products still on sale, with their prices, to fill a line', () => {
    const work = new MyWork(new FakeApi(), 'u1');
    const t = text(render(OrderForm, { props: { i18n: zh(), work, leadId: '+8613800138000', callId: 'call-1', products } }).body);
    expect(t).toContain('选择产品');
    expect(t).toContain('深海鱼油 · ¥259.00');
    expect(t).not.toContain('老茶');
    const en1 = new I18n();
    en1.locale = 'en';
    expect(text(render(OrderForm, { props: { i18n: en1, work, leadId: null, callId: null, products } }).body)).toContain('Pick a product');
  });

  it('without campaign products the agent types the line, as before', () => {
    const t = text(render(OrderForm, { props: { i18n: zh(), work: new MyWork(new FakeApi(), 'u1'), leadId: null, callId: null } }).body);
    expect(t).not.toContain('选择产品');
  });
});

describe('campaign form', () => {
  it('shows the retry rule of each outcome, the caller id and the products, in Chinese and English', () => {
    const props = (i18n: I18n) => ({ i18n, api: new FakeApi(), campaigns: [], reload: () => {} });
    const zhText = text(render(CampaignsAdmin, { props: props(zh()) }).body);
    for (const s of ['重拨规则（按结果）', '占线', '无人接听', '答录机', '预约回访', '间隔（分钟）', '主叫号码', '推荐产品', '问卷']) expect(zhText).toContain(s);
    const enText = text(render(CampaignsAdmin, { props: props(en()) }).body);
    for (const s of ['Retry rules by outcome', 'Busy', 'No answer', 'Answering machine', 'Caller id', 'Products offered']) expect(enText).toContain(s);
    const html = render(CampaignsAdmin, { props: props(zh()) }).body;
    // The defaults a new campaign gets: busy 10, no answer 60, machine 240 minutes.
    expect(html).toMatch(/data-outcome="busy"[\s\S]*?value="10"/);
    expect(html).toMatch(/data-outcome="machine"[\s\S]*?value="240"/);
  });
});
