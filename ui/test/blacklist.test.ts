import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import BlacklistAdmin from '../src/components/admin/BlacklistAdmin.svelte';
import { ApiError } from '../src/lib/api.ts';
import { Blacklist, blacklistAccess } from '../src/lib/blacklist.svelte.ts';
import { I18n } from '../src/lib/i18n.svelte.ts';
import type { Role } from '../src/lib/session.svelte.ts';
import { FakeApi } from './fakeApi.ts';

const text = (html: string) => html.replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

function server() {
  const listed = [
    { phone: '+8613800138000', reason: '多次投诉', by: 'u-sup', at: '2026-03-02T02:00:00Z' },
    { phone: '+8613900139000', reason: '恶意骚扰', by: 'u-gone', at: '2026-03-01T02:00:00Z' },
  ];
  const api = new FakeApi()
    .on('Blacklist', () => ({ blacklist: listed }))
    .on('BlacklistUsers', () => ({ users: { nodes: [{ id: 'u-sup', displayName: '陈班长' }] } }))
    .on('BlacklistNumber', (v) => {
      listed.unshift({ phone: '+86' + String(v.phone).replace(/\D/g, ''), reason: v.reason, by: 'u-sup', at: '2026-03-03T02:00:00Z' });
      return { blacklistNumber: { position: 7 } };
    })
    .on('UnblacklistNumber', () => { throw new ApiError('NOT_ALLOWED', '无权限 / admins only'); });
  return { api, list: new Blacklist(api) };
}

describe('blacklist page', () => {
  it('lists who listed each number, why and when; a user it cannot name stays as the recorded id', async () => {
    const { list } = server();
    await list.load();
    expect(list.rows.map((r) => [r.phone, r.reason, r.by])).toEqual([['+8613800138000', '多次投诉', '陈班长'], ['+8613900139000', '恶意骚扰', 'u-gone']]);
  });

  it('adds a number with its reason and shows it at once; a refusal says why', async () => {
    const { api, list } = server();
    expect(await list.add(' 137 0013 7000 ', ' 诈骗电话 ')).toBe(true);
    expect(api.named('BlacklistNumber')[0].variables).toMatchObject({ phone: '137 0013 7000', reason: '诈骗电话', commandId: expect.any(String) });
    expect(list.rows[0]).toMatchObject({ phone: '+8613700137000', reason: '诈骗电话', by: '陈班长' });
    expect(await list.remove('+8613700137000', '误加')).toBe(false);
    expect(list.outcome).toEqual({ ok: false, text: '无权限 / admins only' });
  });

  it('admins add and remove, supervisors only add, auditors only read, others never see it', async () => {
    expect(blacklistAccess('ADMIN')).toEqual({ view: true, add: true, remove: true });
    expect(blacklistAccess('SUPERVISOR')).toEqual({ view: true, add: true, remove: false });
    expect(blacklistAccess('AUDITOR')).toEqual({ view: true, add: false, remove: false });
    const { api, list } = server();
    await list.load();
    const page = (role: Role, i18n = new I18n()) => text(render(BlacklistAdmin, { props: { i18n, api, role, list } }).body);
    const admin = page('ADMIN');
    expect(admin).toContain('138 0013 8000 多次投诉 陈班长 2026/03/02 10:00:00 移出黑名单');
    expect(admin).toContain('加入黑名单');
    const sup = page('SUPERVISOR');
    expect(sup).toContain('加入黑名单');
    expect(sup).not.toContain('移出黑名单');
    const aud = page('AUDITOR');
    expect(aud).toContain('多次投诉');
    expect(aud).not.toContain('加入黑名单');
    for (const role of ['AGENT', 'QA', 'TEAM_LEADER'] as const) expect(page(role).trim()).toBe('');
    const en = new I18n();
    en.locale = 'en';
    expect(page('ADMIN', en)).toContain('Listed by');
  });
});
