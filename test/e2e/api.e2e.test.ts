import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionReadModels } from '../../src/api/projectionReadModels.ts';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import type { LeadCommand } from '../../src/domain/lead/commands.ts';
import { leadDecider } from '../../src/domain/lead/decider.ts';
import { rebuild } from '../../src/projections/index.ts';
import { PASSWORD, startServer, type Harness } from '../api/harness.ts';
import { buildUi, launchChromium, logIn, screenshot } from './support/browser.ts';

// The built console served by the real API server (buildServer over a fresh database, the API tests'
// small org): real argon2 login, JWT on fetch and on the graphql-ws socket, the real hash-chain verification.

let api: Harness;
let browser: Browser;

beforeAll(async () => {
  await buildUi();
  api = await startServer(({ pool, store }) => ({ readModels: projectionReadModels(pool, store) }), 'e2e_api');
  // A lead claimed by an agent and one answered call, appended the way the dialer and switch would.
  const now = new Date().toISOString();
  await handleCommand(api.store, leadDecider, '+8613800138101', { type: 'ImportLead', data: { phone: '13800138101', name: '李先生', source: 'file', departmentId: 'east' }, meta: { now, actorRole: 'system' } } as LeadCommand);
  await api.gql('mutation { claimLead(leadId: "+8613800138101") { position } }', {}, await api.token('agent-east'));
  await api.store.append('call-e2e1', [
    { type: 'CallDialAttempted', data: { callId: 'e2e1', phone: '+8613800138101', agentId: 'agent-east', direction: 'outbound', attempt: 1, at: now, compliance: { allowed: true, reasons: [], inputs: {} } } },
    { type: 'CallAnswered', data: { callId: 'e2e1', answeredBy: 'human', at: now } },
    { type: 'CallBridged', data: { callId: 'e2e1', agentId: 'agent-east', at: now } },
    { type: 'CallEnded', data: { callId: 'e2e1', cause: 'NORMAL_CLEARING', hangupBy: 'agent', at: now } },
  ]);
  await rebuild('all', { pool: api.pool, store: api.store });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

describe('console on the real API server', () => {
  it('refuses a wrong password with the server’s reason and keeps the form', async () => {
    const page = await browser.newPage();
    await page.goto(api.url);
    await page.locator('input[name=username]').fill('auditor');
    await page.locator('input[name=password]').fill('wrong password');
    await page.locator('form.login button[type=submit]').click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/^登录失败：.+/);
    expect(await page.locator('input[name=username]').inputValue()).toBe('auditor');
    await page.close();
  });

  it('an auditor logs in, verifies the whole log, and stays logged in across a reload in the chosen language', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await logIn(page, api.url, 'auditor', PASSWORD);
    expect(await page.getByTestId('who').textContent()).toContain('审计员');
    await page.getByRole('button', { name: '校验哈希链' }).click();
    await expect.poll(() => page.getByTestId('verify-result').textContent(), { timeout: 15_000 }).toMatch(/校验通过：\d+ 个事件完整/);
    await page.getByTestId('lang').selectOption('en');
    await page.reload();
    await page.getByText('Audit replay').waitFor();
    expect(await page.getByTestId('who').textContent()).toContain('Auditor');
    await screenshot(page, 'real-api-auditor');
    await page.close();
  });

  it('an auditor replays a lead’s history from the projections and the event log', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await logIn(page, api.url, 'auditor', PASSWORD);
    await page.getByTestId('lang').selectOption('zh-CN');
    await page.getByLabel('电话号码').fill('138-0013-8101');
    await page.getByRole('button', { name: '查看时间线' }).click();
    const timeline = page.getByTestId('timeline');
    await timeline.getByText('归属 agent-east').waitFor({ timeout: 15_000 });
    expect(await timeline.textContent()).toContain('通话 已接通');
    const events = await page.getByTestId('raw-events').textContent();
    expect(events).toContain('lead-+8613800138101@1');
    await page.getByRole('button', { name: '校验哈希链' }).click();
    await expect.poll(() => page.getByTestId('verify-result').textContent()).toContain('lead-+8613800138101');
    expect(await page.getByTestId('verify-result').textContent()).toMatch(/校验通过/);
    await screenshot(page, 'real-api-auditor-timeline');
    await page.close();
  });
});
