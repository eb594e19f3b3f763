import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi, launchChromium, openLoggedIn, screenshot } from './support/browser.ts';
import { PASSWORD } from './support/scenario.ts';
import { startScenarioServer, type ScenarioServer } from './support/scenarioServer.ts';

// The agent's desk beyond the first dialer call (console.e2e covers that): callback reminders arriving live,
// hold / resume / transfer on a call, and the "add customer" form for a number nobody knows.

let server: ScenarioServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  await buildUi();
  server = await startScenarioServer();
  browser = await launchChromium();
  page = await openLoggedIn(browser, server.url, 'agent1', PASSWORD);
  await page.getByLabel('分机号').fill('8001');
  await page.getByRole('button', { name: '签入' }).click();
  await page.getByTestId('agent-status').filter({ hasText: /^小休$/ }).waitFor();
  await page.getByRole('button', { name: '就绪', exact: true }).click();
  await page.getByTestId('agent-status').filter({ hasText: /^就绪$/ }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('agent desk (scenario API)', () => {
  it('a callback that falls due while the agent works shows a reminder; done clears it', async () => {
    const callbacks = page.getByTestId('callbacks');
    expect(await callbacks.getByRole('status').count()).toBe(0);
    const s = server.scenario;
    const agent = s.users.find((u) => u.id === 'u-agent');
    s.callbacks.push({ id: 'cb-1', lead: s.lead, agent, scope: 'AGENT', dueAt: new Date(Date.now() + 60_000).toISOString(), note: '周三下午再联系', status: 'SCHEDULED', campaign: s.campaign });
    s.pubsub.publish('myCallbacks', { myCallbacks: { position: ++s.position, at: new Date().toISOString(), callbackId: 'cb-1', leadId: s.lead.id, eventType: 'CallbackScheduled', dueAt: s.callbacks[0].dueAt, data: {} } });
    await callbacks.getByRole('status').getByText('1 个回访即将到期').waitFor();
    const item = callbacks.locator('li', { hasText: '张伟' });
    expect(await item.textContent()).toContain('周三下午再联系');
    expect(await item.locator('.badge').textContent()).toBe('到期');
    await screenshot(page, 'agent-callback-reminder');
    await item.getByRole('button', { name: '完成' }).click();
    await expect.poll(() => callbacks.getByRole('status').count()).toBe(0);
    expect(s.callbacks[0].status).toBe('COMPLETED');
    expect(s.events.some((e) => e.streamId === 'callback-cb-1' && e.type === 'CallbackCompleted')).toBe(true);
  });

  it('holds, resumes and transfers a call to a queue', async () => {
    const callId = server.scenario.deliverCall();
    const phone = page.getByTestId('softphone');
    await page.getByTestId('screen-pop').getByText('张伟').waitFor();
    await phone.getByRole('button', { name: '保持' }).click();
    await phone.getByRole('button', { name: '恢复' }).waitFor();
    await phone.getByRole('button', { name: '恢复' }).click();
    await phone.getByRole('button', { name: '保持' }).waitFor();
    const types = () => server.scenario.events.filter((e) => e.streamId === `call-${callId}`).map((e) => e.type);
    await expect.poll(types).toEqual(expect.arrayContaining(['CallHeld', 'CallResumed']));
    expect(await phone.getByRole('button', { name: '转接' }).isDisabled()).toBe(true);
    await phone.getByLabel('转接到（坐席ID / 队列ID / 号码）').fill('q:q-aftersales');
    await phone.getByRole('button', { name: '转接' }).click();
    await expect.poll(() => server.scenario.transfers).toMatchObject([{ callId, toQueueId: 'q-aftersales', by: 'u-agent' }]);
    await expect.poll(() => phone.getByLabel('转接到（坐席ID / 队列ID / 号码）').inputValue()).toBe('');
    await screenshot(page, 'agent-call-controls');
    await phone.getByRole('button', { name: '挂断' }).click();
    const dispo = page.getByTestId('disposition');
    await dispo.getByRole('combobox').selectOption('考虑中');
    await dispo.getByRole('button', { name: '提交结果' }).click();
    await dispo.getByText('结果已保存').waitFor();
  });

  it('an unknown caller gets an "add customer" form that files the number with its fields', async () => {
    await expect.poll(() => page.getByTestId('agent-status').textContent()).toBe('就绪');
    server.scenario.deliverCall('u-agent', { phone: '+8613912345678', display: '139 1234 5678', direction: 'INBOUND' });
    const form = page.getByTestId('add-customer');
    await form.waitFor();
    expect(await page.getByTestId('call-phone').textContent()).toBe('139 1234 5678');
    expect(await page.getByTestId('softphone').textContent()).toContain('呼入');
    // Nothing of the previous call carries over: no "saved" note on the new call's disposition form.
    expect(await page.getByTestId('disposition').getByText('结果已保存').count()).toBe(0);
    await form.getByRole('button', { name: '保存' }).click();
    expect(server.scenario.createdLeads).toEqual([]); // the name is required: nothing sent
    await form.getByLabel('姓名').fill('刘洋');
    await form.getByRole('button', { name: '添加字段' }).click();
    await form.getByPlaceholder('字段名').fill('城市');
    await form.getByPlaceholder('值').fill('上海');
    await form.getByRole('button', { name: '保存' }).click();
    await form.getByText('客户已添加').waitFor();
    expect(server.scenario.createdLeads).toEqual([{ phone: '+8613912345678', name: '刘洋', campaignId: 'c-spring', customFields: { 城市: '上海' } }]);
    await screenshot(page, 'agent-add-customer');
  });

  it('finishes wrap-up with 完成整理 and answers a ringing call with 接听', async () => {
    const phone = page.getByTestId('softphone');
    const status = () => page.getByTestId('agent-status').textContent();
    await phone.getByRole('button', { name: '挂断' }).click(); // the unknown caller's call
    await expect.poll(status).toBe('话后处理');
    await page.getByRole('button', { name: '完成整理' }).click();
    await expect.poll(status).toBe('就绪');
    expect(server.scenario.agents.get('u-agent')?.status).toBe('AVAILABLE');

    const callId = server.scenario.deliverCall('u-agent', { ringing: true, direction: 'INBOUND' });
    await expect.poll(status).toBe('振铃');
    expect(await phone.getByRole('button', { name: '保持' }).isDisabled()).toBe(true);
    await screenshot(page, 'agent-ringing');
    await phone.getByRole('button', { name: '接听' }).click();
    await expect.poll(status).toBe('通话中');
    expect(await phone.getByRole('button', { name: '保持' }).isDisabled()).toBe(false);
    expect(await phone.getByRole('button', { name: '接听' }).count()).toBe(0);
    expect(server.scenario.events.filter((e) => e.streamId === `call-${callId}`).map((e) => e.type)).toEqual(['CallOffered', 'CallBridged']);

    // The campaign's questionnaire: a required question left blank is named and nothing is sent.
    const qn = page.getByTestId('questionnaire');
    await qn.getByText('问卷 · 健康需求调查').waitFor();
    await qn.getByRole('button', { name: '提交问卷' }).click();
    await qn.getByRole('alert').getByText('请回答：您的年龄段').waitFor();
    expect(server.scenario.answers.has(callId)).toBe(false);
    await qn.getByLabel('40岁及以上').check();
    await qn.getByLabel('鱼油').check();
    await qn.getByRole('button', { name: '提交问卷' }).click();
    await qn.getByRole('status').getByText('问卷已记录').waitFor();
    expect(server.scenario.answers.get(callId)).toEqual([{ questionId: 'age', value: 'ge40' }, { questionId: 'interest', value: ['oil'] }]);
    await screenshot(page, 'agent-questionnaire');
  });

  it('preview dialing: 下一位客户 shows the held lead with its reason and pop, 跳过 asks again, 拨打 dials it', async () => {
    const phone = page.getByTestId('softphone');
    const status = () => page.getByTestId('agent-status').textContent();
    await phone.getByRole('button', { name: '挂断' }).click(); // the questionnaire call
    await page.getByRole('button', { name: '完成整理' }).click();
    await expect.poll(status).toBe('就绪');
    const panel = page.getByTestId('preview');
    await panel.getByRole('button', { name: '下一位客户' }).click();
    await panel.getByTestId('preview-reason').getByText('您预约的回访已到期').waitFor();
    await panel.getByTestId('pop-name').getByText('张伟').waitFor();
    expect(await panel.getByTestId('preview-hold').textContent()).toMatch(/还剩 [12]:\d\d/);
    await screenshot(page, 'agent-preview-lead');
    await panel.getByRole('button', { name: '跳过' }).click();
    await panel.getByTestId('preview-reason').getByText('新客户，未拨打过').waitFor();
    await panel.getByTestId('unknown-number').waitFor();
    await panel.getByRole('button', { name: '拨打' }).click();
    await expect.poll(() => server.scenario.dials).toEqual([{ phone: '+8613700137000', leadId: null, campaignId: 'c-revisit', by: 'u-agent' }]);
    await expect.poll(() => page.getByTestId('call-phone').textContent()).toBe('137 0013 7000');
    await expect.poll(() => panel.getByTestId('preview-lead').count()).toBe(0); // cleared once the dial is accepted
  });
});
