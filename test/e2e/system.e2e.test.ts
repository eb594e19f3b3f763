import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/db.ts';
import { buildUi, launchChromium, logIn, screenshot } from './support/browser.ts';

// The same journeys against the whole system (`startSystem` from src/main.ts: event store, projections,
// FreeSWITCH simulator with bots, API serving ui/dist). Runs by default; CALLSTREAM_SYSTEM_E2E=0 skips it.
// 2026-11-23: 24 s for the file, 8.5 s of it the agent journey (first dialer call to the human agent), down
// from 134 s / 112 s: the live dialer sees agents come back from wrap-up, and the demo floor serves people first.
const ROOT = path.resolve(import.meta.dirname, '../..');
const missing = ['src/main.ts', 'src/floor/startFloor.ts'].filter((f) => !fs.existsSync(path.join(ROOT, f)));
if (process.env.CALLSTREAM_SYSTEM_E2E === '0') missing.push('CALLSTREAM_SYSTEM_E2E unset or 1');
if (missing.length) console.warn(`system.e2e skipped: needs ${missing.join(', ')}`);

interface Login { role: string; username: string; password: string }
let system: { url: string; floor?: { logins: Login[] }; stop(): Promise<void> };
let browser: Browser;
let phone = '';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callstream-e2e-'));

async function open(role: string): Promise<Page> {
  const login = system.floor?.logins.find((l) => l.role.toUpperCase() === role && !/bot/i.test(l.username));
  if (!login) throw new Error(`no demo login for ${role}: ${JSON.stringify(system.floor?.logins)}`);
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' })).newPage();
  page.on('dialog', (d) => void d.accept('e2e 抽检'));
  await logIn(page, system.url, login.username, login.password);
  return page;
}

describe.skipIf(missing.length > 0)('console journeys (whole system)', () => {
  beforeAll(async () => {
    await buildUi();
    const db = await createTestDatabase('e2e_system');
    await db.close();
    const main = await import(path.join(ROOT, 'src/main.ts'));
    const { loadConfig } = await import(path.join(ROOT, 'src/config.ts'));
    const config = { ...loadConfig({ PORT: '0', CALLSTREAM_DATA_DIR: dataDir }), databaseUrl: db.url };
    system = await main.startSystem(config, { demo: true, log: () => {} });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('an agent receives a dialer call with screen pop, dispositions it and places an order', async () => {
    const page = await open('AGENT');
    if ((await page.getByTestId('agent-status').textContent()) === '未签入') {
      await page.getByLabel('分机号').fill('1001');
      await page.getByRole('button', { name: '签入' }).click();
    }
    const ready = page.getByRole('button', { name: '就绪', exact: true });
    await expect.poll(() => ready.isEnabled(), { timeout: 15_000 }).toBe(true);
    await ready.click();
    const pop = page.getByTestId('screen-pop');
    await pop.waitFor({ timeout: 200_000 }).catch(async (e) => {
      await screenshot(page, 'system-agent-no-call');
      throw e;
    });
    // A predictive call reaches the agent at bridge time; its number may follow a moment later (desk fetches it).
    const shown = async () => ((await page.getByTestId('call-phone').textContent()) ?? '').replace(/\s/g, '');
    await expect.poll(shown, { timeout: 15_000 }).toMatch(/^\d{11}$|^\+/).catch(async (e) => {
      await screenshot(page, 'system-agent-no-phone');
      throw e;
    });
    phone = await shown();
    await screenshot(page, 'system-agent-screen-pop');

    await page.getByRole('button', { name: '挂断' }).click();
    const dispo = page.getByTestId('disposition');
    const choices = dispo.locator('option:not([disabled])');
    if (await choices.count()) await dispo.getByRole('combobox').selectOption((await choices.first().getAttribute('value'))!);
    else await dispo.getByRole('textbox', { name: '通话结果' }).fill('成交');
    await dispo.getByRole('button', { name: '提交结果' }).click();
    await dispo.getByText('结果已保存').waitFor({ timeout: 15_000 });

    const order = page.getByTestId('order-form');
    const row = order.locator('tbody tr').first();
    await row.getByLabel('商品编码').fill('VC-60');
    await row.getByLabel('商品', { exact: true }).fill('维生素C');
    await row.getByLabel('单价（元）').fill('199');
    await order.getByRole('button', { name: '提交订单' }).click();
    await order.getByText('订单已提交').waitFor({ timeout: 15_000 });
    await screenshot(page, 'system-agent-after-order');
  }, 300_000);

  it('a supervisor sees the wallboard change live and barges', async () => {
    const page = await open('SUPERVISOR');
    // The day totals come with the page (wallboard query), before any live update.
    await expect.poll(() => page.getByTestId('tile-orders').locator('.tile-value').textContent(), { timeout: 15_000 }).not.toMatch(/^—$|^$/);
    expect(await page.getByTestId('tile-calls').locator('.tile-value').textContent()).not.toBe('—');
    const table = page.getByTestId('agent-table');
    const first = await table.textContent();
    await expect.poll(() => table.textContent(), { timeout: 60_000 }).not.toBe(first);
    const barge = table.getByRole('button', { name: '强插' }).first();
    await barge.waitFor({ timeout: 60_000 });
    await barge.click();
    await page.getByText('已执行：强插').waitFor({ timeout: 15_000 });
    await screenshot(page, 'system-supervisor-wallboard');
  });

  it('an auditor replays the lead’s history', async () => {
    expect(phone, 'the agent journey must have received a call').not.toBe('');
    const page = await open('AUDITOR');
    await page.getByLabel('电话号码').fill(phone);
    await page.getByRole('button', { name: '查看时间线' }).click();
    const timeline = page.getByTestId('timeline');
    await timeline.getByText(/订单 ¥199\.00/).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: '校验哈希链' }).click();
    await expect.poll(() => page.getByTestId('verify-result').textContent()).toContain('校验通过');
    await screenshot(page, 'system-auditor-timeline');
  });
});
