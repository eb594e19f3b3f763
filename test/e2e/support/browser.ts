import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ARTIFACTS = path.resolve(import.meta.dirname, '../../../artifacts');

/** Debian's Chromium, never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export async function logIn(page: Page, url: string, username: string, password: string) {
  await page.goto(url);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('form.login button[type=submit]').click();
  await page.getByTestId('who').waitFor();
}

/** A fresh desktop-sized zh-CN page, logged in as `username`; page errors go to the test log. */
export async function openLoggedIn(browser: Browser, url: string, username: string, password: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' })).newPage();
  page.on('pageerror', (e) => console.error(`[${username}] page error: ${e.message}`));
  await logIn(page, url, username, password);
  return page;
}

/** ui/dist built from the current sources, so the browser tests never run a stale console. */
export async function buildUi() {
  const { build } = await import('vite');
  await build({ configFile: path.resolve(import.meta.dirname, '../../../ui/vite.config.ts'), logLevel: 'warn' });
}
