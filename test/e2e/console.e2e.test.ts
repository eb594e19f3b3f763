import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi, launchChromium, logIn, screenshot } from './support/browser.ts';
import { PASSWORD } from './support/scenario.ts';
import { startScenarioServer, type ScenarioServer } from './support/scenarioServer.ts';

// The console in a real Chromium against the committed GraphQL schema served by an in-memory floor
// (support/scenario.ts plays the dialer). The same journeys against the whole system are in system.e2e.test.ts.

let server: ScenarioServer;
let browser: Browser;
const pages: Page[] = [];

async function open(username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept('班长抽检'));
  page.on('pageerror', (e) => console.error(`[${username}] page error: ${e.message}`));
  pages.push(page);
  await logIn(page, server.url, username, PASSWORD);
  return page;
}

beforeAll(async () => {
  await buildUi();
  server = await startScenarioServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('console journeys (scenario API)', () => {
  it('an agent logs in, gets a dialer call with screen pop, dispositions it and places an order', async () => {
    const page = await open('agent1');
    await expect.poll(() => page.getByTestId('who').textContent()).toContain('王丽 · 坐席');
    await page.getByLabel('分机号').fill('8001');
    await page.getByRole('button', { name: '签入' }).click();
    await expect.poll(() => page.getByTestId('agent-status').textContent()).toBe('小休');
    await page.getByRole('button', { name: '就绪', exact: true }).click();
    await expect.poll(() => page.getByTestId('agent-status').textContent()).toBe('就绪');

    server.scenario.deliverCall();
    const pop = page.getByTestId('screen-pop');
    await pop.getByText('张伟').waitFor();
    expect(await pop.textContent()).toContain('杭州');
    expect(await page.getByTestId('call-phone').textContent()).toBe('138 0013 8000');
    await expect.poll(() => page.getByTestId('agent-status').textContent()).toBe('通话中');
    await page.getByTestId('script').getByRole('searchbox').fill('退货');
    await page.getByText('七天无理由退货').waitFor();
    await screenshot(page, 'agent-screen-pop');

    await page.getByRole('button', { name: '挂断' }).click();
    await expect.poll(() => page.getByTestId('agent-status').textContent()).toBe('话后处理');
    const dispo = page.getByTestId('disposition');
    await dispo.getByRole('combobox').selectOption('成交');
    await dispo.getByLabel('备注').fill('要两盒');
    await dispo.getByRole('button', { name: '提交结果' }).click();
    await dispo.getByText('结果已保存').waitFor();
    expect(server.scenario.calls[0]).toMatchObject({ disposition: '成交', dispositionNote: '要两盒' });

    const order = page.getByTestId('order-form');
    const row = order.locator('tbody tr');
    // The campaign's product fills the line; the agent sets the quantity.
    await row.nth(0).getByTestId('order-pick').selectOption({ label: '维生素C · ¥199.00' });
    expect(await row.nth(0).getByLabel('商品编码').inputValue()).toBe('VC-60');
    expect(await row.nth(0).getByLabel('单价（元）').inputValue()).toBe('199.00');
    await row.nth(0).getByLabel('数量').fill('2');
    await order.getByRole('button', { name: '添加赠品' }).click();
    await row.nth(1).getByLabel('商品编码').fill('GIFT-CUP');
    await row.nth(1).getByLabel('商品', { exact: true }).fill('保温杯');
    await expect.poll(() => order.getByTestId('order-total').textContent()).toBe('¥398.00');
    // Points from the products, not the gift, with the customer's balance.
    await expect.poll(() => order.getByTestId('order-points').textContent()).toBe('预计积分 40 · 客户现有积分 1,200');
    await order.getByRole('button', { name: '提交订单' }).click();
    await order.getByText('订单已提交').waitFor();
    // The screen pop's order list shows the points the new order earned.
    await expect.poll(() => page.getByTestId('pop-orders').locator('tr').first().textContent()).toContain('40 积分');
    expect(server.scenario.orders[0].lines).toEqual([
      { sku: 'VC-60', name: '维生素C', quantity: 2, unitPrice: 19900 },
      { sku: 'GIFT-CUP', name: '保温杯', quantity: 1, unitPrice: 0 },
    ]);
    await screenshot(page, 'agent-after-order');
  });

  it('a supervisor sees the wallboard change live and barges into the call', async () => {
    const page = await open('super1');
    const row = page.locator('tr[data-agent="u-agent"]');
    await expect.poll(() => row.textContent()).toContain('就绪');
    // Day totals are on the board from the first load (the wallboard query), not "—" until a live update.
    await expect.poll(() => page.getByTestId('tile-calls').locator('.tile-value').textContent()).toMatch(/^\d+$/);
    expect(await page.getByTestId('tile-orders').locator('.tile-value').textContent()).not.toBe('—');
    const onCallTile = page.getByTestId('tile-onCall');
    const before = Number((await onCallTile.locator('.tile-value').textContent()) ?? 'NaN');

    const callId = server.scenario.deliverCall();
    await expect.poll(() => row.textContent()).toContain('通话中');
    await expect.poll(async () => Number(await onCallTile.locator('.tile-value').textContent())).toBe(before + 1);
    await row.getByRole('button', { name: '强插' }).click();
    await page.getByText('已执行：强插').waitFor();
    expect(server.scenario.interventions).toEqual([{ callId, mode: 'BARGE', by: 'u-super' }]);
    await screenshot(page, 'supervisor-wallboard');
    server.scenario.endCall(callId);
    await expect.poll(() => row.textContent()).toContain('话后处理');

    // QA: find the recording, play it (fetched with the bearer token), score it with an annotation.
    const recs = page.getByTestId('recordings');
    // The agent is picked by name; another agent's filter finds none of 王丽's recordings.
    await recs.getByLabel('坐席', { exact: true }).selectOption({ label: '机器人一号' });
    await recs.getByRole('button', { name: '搜索' }).click();
    await expect.poll(() => server.scenario.recordingSearches.at(-1)?.agentId).toBe('u-bot1');
    expect(await recs.getByRole('button', { name: '播放' }).count()).toBe(0);
    await recs.getByLabel('坐席', { exact: true }).selectOption({ label: '王丽' });
    await recs.getByRole('button', { name: '搜索' }).click();
    await recs.getByRole('button', { name: '播放' }).first().click();
    await recs.locator('audio').waitFor();
    expect(server.scenario.recordingReads[0]).toEqual({ path: `/recordings/rec-${callId}?reason=qa-review`, user: 'u-super' });
    await recs.getByLabel('评分项（名称=分数，每行一项）').fill('开场白=10\n产品介绍：18');
    await recs.getByLabel('批注').fill('介绍清楚，结尾略急');
    await recs.getByRole('button', { name: '提交评分' }).click();
    await recs.getByText('评分已保存').waitFor();
    expect(server.scenario.qaScores).toEqual([{ callId, items: { 开场白: 10, 产品介绍: 18 }, comment: '介绍清楚，结尾略急', fatal: false, by: 'u-super' }]);
    await screenshot(page, 'supervisor-qa');

    // A note pinned to where the player is; its moment seeks the player; removed with a reason, it leaves the list.
    await recs.getByRole('button', { name: '在此处添加批注' }).click();
    await recs.getByPlaceholder('批注内容（最多 2000 字）').fill('结尾语速过快');
    await recs.getByPlaceholder('类别（可选）').fill('服务');
    await recs.getByRole('button', { name: '保存', exact: true }).click();
    const notes = recs.getByTestId('recording-notes');
    await notes.getByText('结尾语速过快').waitFor();
    expect(server.scenario.annotations).toMatchObject([{ recordingId: `rec-${callId}`, note: '结尾语速过快', category: '服务', authorId: 'u-super', removed: null }]);
    expect(await notes.textContent()).toContain('00:00');
    await notes.getByRole('button', { name: '00:00' }).click();
    await notes.getByRole('button', { name: '删除批注' }).click();
    await notes.getByPlaceholder('删除原因').fill('重复记录');
    await notes.getByRole('button', { name: '删除批注' }).click();
    await notes.getByText('暂无批注').waitFor();
    expect(server.scenario.annotations[0].removed).toEqual({ by: 'u-super', reason: '重复记录' });
  });

  it('an auditor replays the lead’s history and verifies its chain', async () => {
    const page = await open('audit1');
    await page.getByLabel('电话号码').fill('138 0013 8000');
    await page.getByRole('button', { name: '查看时间线' }).click();
    const timeline = page.getByTestId('timeline');
    await timeline.getByText('订单 ¥398.00').waitFor();
    expect(await timeline.textContent()).toContain('结果 成交');
    expect(await page.getByTestId('raw-events').textContent()).toContain('LeadOrderPlaced');
    // Who did it, by name: the agent placed the order, the admin imported the lead.
    const orderRow = page.getByTestId('raw-events').locator('tr', { hasText: 'LeadOrderPlaced' });
    expect(await orderRow.textContent()).toContain('王丽');
    expect(await orderRow.textContent()).not.toContain('u-agent');
    expect(await page.getByTestId('raw-events').locator('tr', { hasText: 'LeadImported' }).textContent()).toContain('管理员孙');
    await page.getByRole('button', { name: '校验哈希链' }).click();
    await expect.poll(() => page.getByTestId('verify-result').textContent()).toMatch(/校验通过：\d+ 个事件完整/);
    await screenshot(page, 'auditor-timeline');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载证据包' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('evidence-+8613800138000.json');
    const bundle = JSON.parse(fs.readFileSync((await file.path())!, 'utf8'));
    expect(bundle.orders).toEqual(['ord-1']);

    await page.getByRole('button', { name: '查看该时刻的监控大屏' }).click();
    await page.getByTestId('wallboard').getByText('王丽').waitFor();
    expect(await page.getByTestId('agent-table').textContent()).not.toContain('强插');
    // The blacklist is there to read, with no add or remove.
    await page.getByTestId('blacklist').waitFor();
    expect(await page.getByTestId('blacklist').getByRole('button').count()).toBe(0);

    await page.getByTestId('lang').selectOption('en');
    await page.getByText('Audit replay').waitFor();
    expect(await timeline.textContent()).toContain('Order ¥398.00');
    await screenshot(page, 'auditor-timeline-en');
  });

  it('an admin creates a campaign and imports leads with column mapping and an error report', async () => {
    const page = await open('admin1');
    const admin = page.getByTestId('campaigns-admin');
    await admin.getByLabel('名称').fill('秋季回访');
    await admin.getByLabel('外呼模式').selectOption('PROGRESSIVE');
    await admin.getByLabel('放弃率上限 (%)').fill('120');
    await admin.getByRole('button', { name: '新建活动' }).click();
    await admin.getByText('请检查：放弃率上限').waitFor();
    expect(await admin.getByLabel('名称').inputValue()).toBe('秋季回访');
    expect(server.scenario.extraCampaigns).toEqual([]);
    await admin.getByLabel('放弃率上限 (%)').fill('2');
    await admin.getByRole('button', { name: '新建活动' }).click();
    await admin.locator('tbody').getByText('秋季回访').waitFor();
    expect(server.scenario.extraCampaigns[0]).toMatchObject({ name: '秋季回访', dialMode: 'PROGRESSIVE', maxAbandonRate: 0.02, callingWindows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00' }] });
    await screenshot(page, 'admin-campaigns');

    await page.getByRole('button', { name: '名单导入' }).click();
    const form = page.getByTestId('import');
    await form.locator('input[type=file]').setInputFiles({ name: 'leads.csv', mimeType: 'text/csv', buffer: Buffer.from('客户姓名,手机号码,城市\n张三,13800000001,杭州\n李四,12345,苏州\n') });
    await expect.poll(() => form.getByLabel('电话列').inputValue()).toBe('手机号码');
    expect(await form.getByLabel('姓名列').inputValue()).toBe('客户姓名');
    await form.getByLabel('导入到活动').selectOption({ label: '秋季回访' });
    await form.getByRole('button', { name: '开始导入' }).click();
    await form.getByText('导入完成').waitFor();
    expect(await form.textContent()).toContain('导入 1');
    await form.getByText('不是有效的手机号码').waitFor();
    expect(server.scenario.uploads[0]).toMatchObject({ params: { filename: 'leads.csv', campaignId: 'c-1', phoneColumn: 'phone' }, body: 'name,phone,城市\n张三,13800000001,杭州\n李四,12345,苏州\n' });
    await screenshot(page, 'admin-import');
  });
});
