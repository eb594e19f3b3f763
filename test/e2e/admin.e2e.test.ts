import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi, launchChromium, openLoggedIn, screenshot } from './support/browser.ts';
import { PASSWORD } from './support/scenario.ts';
import { silentWav, startScenarioServer, type ScenarioServer } from './support/scenarioServer.ts';

// The admin screens in a real Chromium against the committed schema served by the in-memory floor:
// XLSX import, queues and strategies, IVR menus and prompts, users and departments, DNC.

let server: ScenarioServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  await buildUi();
  server = await startScenarioServer();
  browser = await launchChromium();
  page = await openLoggedIn(browser, server.url, 'admin1', PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function workbook(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('客户名单');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('admin screens (scenario API)', () => {
  it('imports an XLSX workbook: columns read in the browser, mapped, progress, error report', async () => {
    await page.getByRole('button', { name: '名单导入' }).click();
    const form = page.getByTestId('import');
    const xlsx = await workbook([['序号', '联系人', '联系电话', '城市'], [1, '赵六', '13800000007', '南京'], [2, '钱七', '0571-1234', '宁波'], [3, '孙八', '13900000008', '无锡']]);
    await form.locator('input[type=file]').setInputFiles({ name: '秋季名单.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx });
    await expect.poll(() => form.getByLabel('电话列').inputValue()).toBe('联系电话');
    expect(await form.getByLabel('电话列').locator('option').allTextContents()).toEqual(['序号', '联系人', '联系电话', '城市']);
    // 联系人 is not guessed as a name column: the admin maps it by hand.
    await form.getByLabel('姓名列').selectOption('联系人');
    await form.getByLabel('导入到活动').selectOption({ label: '春季保健品' });
    await form.getByRole('button', { name: '开始导入' }).click();
    await form.getByText('导入完成').waitFor();
    expect((await form.getByRole('status').textContent())!.replace(/\s+/g, ' ')).toMatch(/已读取 3 行 · 导入 2 · 重复 0 · 错误 1 导入完成/);
    await form.getByText('0571-1234').waitFor();
    expect(server.scenario.uploads.at(-1)).toMatchObject({ params: { filename: '秋季名单.xlsx', campaignId: 'c-spring', phoneColumn: '联系电话', nameColumn: '联系人' }, body: `xlsx:${xlsx.length}` });
    expect(server.scenario.uploads.at(-1)!.rows[1]).toEqual(['1', '赵六', '13800000007', '南京']);
    await screenshot(page, 'admin-import-xlsx');
  });

  it('refuses an old .xls before uploading anything', async () => {
    const before = server.scenario.uploads.length;
    const form = page.getByTestId('import');
    await form.locator('input[type=file]').setInputFiles({ name: '老名单.xls', mimeType: 'application/vnd.ms-excel', buffer: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) });
    await form.getByRole('alert').getByText('另存为 .xlsx').waitFor();
    expect(await form.getByRole('button', { name: '开始导入' }).isDisabled()).toBe(true);
    expect(server.scenario.uploads.length).toBe(before);
  });

  it('creates a queue and changes its strategy, labels in Chinese', async () => {
    await page.getByRole('button', { name: '队列与策略' }).click();
    const admin = page.getByTestId('queues-admin');
    await admin.getByLabel('队列名称').fill('售后热线');
    await admin.getByLabel('分配策略', { exact: true }).selectOption({ label: '轮流分配' });
    await admin.getByRole('button', { name: '新建队列' }).click();
    await admin.locator('tbody').getByText('售后热线').waitFor();
    expect(server.scenario.queues).toMatchObject([{ name: '售后热线', strategy: 'ROUND_ROBIN', maxWaitSeconds: 120 }]);
    await admin.getByLabel('售后热线 分配策略').selectOption({ label: '最长空闲优先' });
    await expect.poll(() => server.scenario.queues[0].strategy).toBe('LONGEST_IDLE');
    expect(await admin.getByLabel('售后热线 分配策略').inputValue()).toBe('LONGEST_IDLE');
    await screenshot(page, 'admin-queues');

    // A campaign picks its inbound queue from the list instead of typing an id.
    await page.getByRole('button', { name: '外呼活动' }).click();
    const campaigns = page.getByTestId('campaigns-admin');
    await campaigns.getByLabel('名称', { exact: true }).fill('售后回访');
    await campaigns.getByLabel('转入队列').selectOption({ label: '售后热线' });
    await campaigns.getByRole('button', { name: '新建活动' }).click();
    await expect.poll(() => server.scenario.extraCampaigns.map((c) => [c.name, c.queueId])).toEqual([['售后回访', 'q-1']]);
  });

  it("sets a queue's priority and an overflow to an outside number and reads them back; a bad number shows the API's reason", async () => {
    await page.getByRole('button', { name: '队列与策略' }).click();
    const admin = page.getByTestId('queues-admin');
    const row = admin.locator('tr[data-queue="q-1"]');
    await admin.getByRole('button', { name: '售后热线 编辑' }).click();
    await admin.getByLabel('优先级（1–10）', { exact: true }).fill('8');
    await admin.getByLabel('溢出', { exact: true }).selectOption({ label: '转外部号码' });
    await admin.getByLabel('等待超过（秒）', { exact: true }).fill('60');
    await admin.getByLabel('外部号码', { exact: true }).fill('12');
    await admin.getByRole('button', { name: '保存队列' }).click();
    await admin.getByRole('alert').getByText('溢出转接号码无效').waitFor();
    expect(server.scenario.queues[0]).toMatchObject({ priority: 5, overflow: null });

    // The form keeps what the admin typed: only the number is corrected.
    await admin.getByLabel('外部号码', { exact: true }).fill('010 6552 9988');
    await admin.getByRole('button', { name: '保存队列' }).click();
    await row.locator('[data-col="overflow"]').getByText('60 秒后 → 转外部号码 +861065529988').waitFor();
    expect(await row.locator('[data-col="priority"]').textContent()).toBe('8');
    expect(server.scenario.queues[0]).toMatchObject({ priority: 8, maxWaitSeconds: 120, overflow: { afterSeconds: 60, kind: 'NUMBER', targetId: '+861065529988' } });

    // Changing the strategy in the table sends the strategy alone: priority and overflow stay.
    await admin.getByLabel('售后热线 分配策略').selectOption({ label: '轮流分配' });
    await expect.poll(() => server.scenario.queues[0].strategy).toBe('ROUND_ROBIN');
    expect(server.scenario.queues[0]).toMatchObject({ priority: 8, overflow: { kind: 'NUMBER', targetId: '+861065529988' } });
    await screenshot(page, 'admin-queue-overflow');
  });

  it('uploads a prompt and saves an IVR menu that plays it; a bad key map is refused and kept', async () => {
    await page.getByRole('button', { name: 'IVR 菜单与语音' }).click();
    const ivr = page.getByTestId('ivr-admin');
    await ivr.locator('input[type=file]').setInputFiles({ name: '欢迎语.wav', mimeType: 'audio/wav', buffer: silentWav() });
    await ivr.getByText('语音已上传').waitFor();
    await ivr.getByLabel('菜单名称').fill('主菜单');
    await ivr.getByLabel('语音ID').selectOption({ label: '欢迎语.wav' });
    await ivr.getByLabel('按键动作（JSON）').fill('{ "1": { "queue": "q-1" ');
    await ivr.getByRole('button', { name: '保存菜单' }).click();
    await ivr.getByText('按键动作必须是 JSON 对象').waitFor();
    expect(server.scenario.ivrMenus).toEqual([]);
    expect(await ivr.getByLabel('菜单名称').inputValue()).toBe('主菜单');
    await ivr.getByLabel('按键动作（JSON）').fill('{ "1": { "queue": "q-1" }, "0": { "agent": "operator" } }');
    await ivr.getByRole('button', { name: '保存菜单' }).click();
    await ivr.locator('ul').getByText('主菜单').waitFor();
    expect(server.scenario.ivrMenus).toMatchObject([{ id: 'main', name: '主菜单', promptId: 'p-1', options: { 1: { queue: 'q-1' }, 0: { agent: 'operator' } }, timeoutSeconds: 5 }]);
    await screenshot(page, 'admin-ivr');
  });

  it('creates a department and a user in it; a short password is refused before sending', async () => {
    await page.getByRole('button', { name: '用户与部门' }).click();
    const users = page.getByTestId('users-admin');
    await users.getByPlaceholder('部门名称').fill('杭州二组');
    await users.getByRole('button', { name: '新建部门' }).click();
    await expect.poll(() => server.scenario.departments.map((d) => d.name)).toEqual(['杭州二组']);
    await users.getByLabel('用户名').fill('agent9');
    await users.getByLabel('显示名').fill('李娜');
    await users.getByLabel('初始密码（至少8位）').fill('1234567');
    await users.locator('form.form-grid').getByLabel('角色').selectOption({ label: '坐席' });
    await users.locator('form.form-grid').getByLabel('部门').selectOption({ label: '杭州二组' });
    await users.getByLabel('初始密码（至少8位）').evaluate((el: HTMLInputElement) => el.removeAttribute('minlength'));
    await users.getByRole('button', { name: '新建用户' }).click();
    await users.locator('p.error').waitFor();
    expect(server.scenario.users.some((u) => u.username === 'agent9')).toBe(false);
    await users.getByLabel('初始密码（至少8位）').fill('12345678');
    await users.getByRole('button', { name: '新建用户' }).click();
    await users.locator('tbody').getByText('李娜').waitFor();
    expect(server.scenario.users.find((u) => u.username === 'agent9')).toMatchObject({ role: 'AGENT', department: { name: '杭州二组' } });

    // A team in the department, led by the supervisor, and the new agent put in it.
    const teamForm = users.locator('form', { has: page.getByPlaceholder('小组名称') });
    await teamForm.getByLabel('所属部门').selectOption({ label: '杭州二组' });
    await teamForm.getByPlaceholder('小组名称').fill('二组A班');
    await teamForm.getByLabel('组长').selectOption({ label: '陈班长' });
    await teamForm.getByRole('button', { name: '新建小组' }).click();
    await users.getByTestId('teams').getByText('二组A班').waitFor();
    expect(await users.getByLabel('二组A班 组长').inputValue()).toBe('u-super');
    await users.getByLabel('agent9 小组').selectOption({ label: '二组A班' });
    await expect.poll(() => server.scenario.users.find((u) => u.username === 'agent9')?.team).toMatchObject({ name: '二组A班' });
    await screenshot(page, 'admin-users');
  });

  it('adds a number to the DNC list and finds it by prefix', async () => {
    await page.getByRole('button', { name: '免打扰名单' }).click();
    const dnc = page.getByTestId('dnc-admin');
    const add = dnc.locator('form').nth(1);
    await add.getByPlaceholder('号码').fill('+8613700001111');
    await add.getByPlaceholder('原因').fill('客户投诉');
    await add.getByRole('button', { name: '加入免打扰' }).click();
    await dnc.locator('tbody').getByText('客户投诉').waitFor();
    expect(await dnc.locator('tbody').textContent()).toContain('137 0000 1111');
    expect(server.scenario.dnc).toMatchObject([{ phone: '+8613700001111', reason: '客户投诉' }]);
    await screenshot(page, 'admin-dnc');
  });

  it('blacklist: lists a number with who and why, and removes it with a reason', async () => {
    await page.getByRole('button', { name: '黑名单', exact: true }).click();
    const bl = page.getByTestId('blacklist');
    await bl.getByLabel('号码').fill('137 0000 2222');
    await bl.getByLabel('原因').fill('恶意骚扰');
    await bl.getByRole('button', { name: '加入黑名单' }).click();
    const row = bl.locator('tbody tr', { hasText: '137 0000 2222' });
    await row.waitFor();
    expect(await row.textContent()).toContain('恶意骚扰');
    expect(await row.textContent()).toContain('管理员孙');
    await screenshot(page, 'admin-blacklist');
    page.once('dialog', (d) => void d.accept('客户已道歉'));
    await row.getByRole('button', { name: '移出黑名单' }).click();
    await expect.poll(() => server.scenario.blacklist).toEqual([]);
    expect(server.scenario.events.filter((e) => e.type === 'NumberUnblacklisted').map((e) => e.data)).toEqual([{ phone: '+8613700002222', reason: '客户已道歉' }]);
  });

  it('a campaign with list recycling: passes out of range are pointed at, a good rule is sent', async () => {
    await page.getByRole('button', { name: '外呼活动' }).click();
    const campaigns = page.getByTestId('campaigns-admin');
    await campaigns.getByLabel('名称', { exact: true }).fill('未接通回收');
    const recycle = campaigns.getByTestId('campaign-recycle');
    await recycle.getByLabel('名单回收').check();
    await recycle.getByLabel('回收等待（分钟）').fill('120');
    await recycle.getByLabel('回收轮数（1–20）').fill('30');
    await recycle.getByLabel('答录机').check();
    // Per-outcome retry: none after an answering machine, busy twice at most; a caller id; a product from the catalogue.
    const retry = campaigns.getByTestId('campaign-retry');
    await retry.getByLabel('答录机 重拨').uncheck();
    await retry.getByLabel('占线 最多次数').fill('2');
    await campaigns.getByLabel('主叫号码').fill('021 6000 1234');
    await campaigns.getByTestId('campaign-products').getByLabel('钙片').check();
    await campaigns.getByTestId('campaign-questionnaire').selectOption('health');
    await campaigns.getByRole('button', { name: '新建活动' }).click();
    await campaigns.getByText('请检查：回收轮数（1–20）').waitFor();
    expect(server.scenario.extraCampaigns.map((c) => c.name)).not.toContain('未接通回收');
    await recycle.getByLabel('回收轮数（1–20）').fill('2');
    await campaigns.getByRole('button', { name: '新建活动' }).click();
    await expect.poll(() => server.scenario.extraCampaigns.find((c) => c.name === '未接通回收')?.recycle)
      .toEqual({ afterMinutes: 120, maxPasses: 2, dispositions: ['NO_ANSWER', 'BUSY', 'MACHINE'] });
    expect(server.scenario.extraCampaigns.find((c) => c.name === '未接通回收')).toMatchObject({
      retryRules: { busy: { delayMinutes: 10, maxAttempts: 2 }, noAnswer: { delayMinutes: 60, maxAttempts: null }, machine: null, callback: { delayMinutes: 0, maxAttempts: null } },
      callerId: '021 6000 1234', productIds: ['ca-100'], questionnaireId: 'health',
    });
    await screenshot(page, 'admin-campaign-recycle');

    // Edit it in place: the form comes back filled, and saving sends updateCampaign with the changed rule.
    await campaigns.locator('tbody tr', { hasText: '未接通回收' }).getByRole('button', { name: '编辑' }).click();
    await campaigns.getByText('编辑活动：未接通回收').waitFor();
    expect(await recycle.getByLabel('回收轮数（1–20）').inputValue()).toBe('2');
    await recycle.getByLabel('回收轮数（1–20）').fill('3');
    await campaigns.getByLabel('最大拨打次数').fill('5');
    await campaigns.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => server.scenario.extraCampaigns.find((c) => c.name === '未接通回收')).toMatchObject({ maxAttempts: 5, recycle: { maxPasses: 3 } });
    await campaigns.getByText('新建活动', { exact: true }).first().waitFor();
  });
});
