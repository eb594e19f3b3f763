import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import UsersAdminView from '../src/components/admin/UsersAdmin.svelte';
import { I18n } from '../src/lib/i18n.svelte.ts';
import { UsersAdmin } from '../src/lib/usersAdmin.svelte.ts';
import { FakeApi } from './fakeApi.ts';

const text = (html: string) => html.replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const ok = (name: string) => () => ({ [name]: { position: 1 } });

function admin() {
  const api = new FakeApi()
    .on('AdminUsers', () => ({
      users: { nodes: [
        { id: 'u1', username: 'agent1', displayName: '王丽', role: 'AGENT', disabled: false, department: { id: 'hz', name: '杭州' }, team: null },
        { id: 'u2', username: 'old', displayName: '老张', role: 'AGENT', disabled: true, department: null, team: null },
        { id: 'u3', username: 'tl', displayName: '陈组长', role: 'TEAM_LEADER', disabled: false, department: { id: 'hz', name: '杭州' }, team: null },
      ] },
    }))
    .on('AdminDepartments', () => ({
      departments: [{ id: 'hz', name: '杭州', parent: null, teams: [{ id: 't1', name: 'A班', leader: { id: 'u3', displayName: '陈组长' } }] }],
    }))
    .on('MoveUser', ok('moveUser')).on('EnableUser', ok('enableUser')).on('ResetPassword', ok('resetPassword'))
    .on('CreateDepartment', ok('createDepartment')).on('CreateTeam', ok('createTeam')).on('SetTeamLeader', ok('setTeamLeader'));
  return { api, m: new UsersAdmin(api) };
}

describe('users, departments and teams admin', () => {
  it('moves a user to a team, enables a disabled one, and re-reads the lists after each command', async () => {
    const { api, m } = admin();
    await m.load();
    expect(m.teamsOf('hz').map((t) => t.name)).toEqual(['A班']);
    expect(await m.move('u1', 'hz', 't1')).toBe(true);
    expect(api.named('MoveUser')[0].variables).toMatchObject({ userId: 'u1', departmentId: 'hz', teamId: 't1', commandId: expect.any(String) });
    expect(await m.enable('u2')).toBe(true);
    expect(api.named('AdminUsers')).toHaveLength(3);
  });

  it('refuses a short new password without sending it', async () => {
    const { api, m } = admin();
    expect(await m.resetPassword('u1', '1234567', '密码太短')).toBe(false);
    expect(m.outcome).toEqual({ ok: false, text: '密码太短' });
    expect(api.named('ResetPassword')).toHaveLength(0);
    expect(await m.resetPassword('u1', '12345678', '密码太短')).toBe(true);
    expect(api.named('ResetPassword')[0].variables).toMatchObject({ userId: 'u1', newPassword: '12345678' });
  });

  it('creates sub-departments and teams with a leader', async () => {
    const { api, m } = admin();
    await m.createDepartment(' 杭州二组 ', 'hz');
    expect(api.named('CreateDepartment')[0].variables).toMatchObject({ name: '杭州二组', parentId: 'hz' });
    await m.createTeam('hz', 'B班', 'u3');
    expect(api.named('CreateTeam')[0].variables).toMatchObject({ departmentId: 'hz', name: 'B班', leaderId: 'u3' });
    await m.setTeamLeader('hz', 't1', null);
    expect(api.named('SetTeamLeader')[0].variables).toMatchObject({ departmentId: 'hz', teamId: 't1', leaderId: null });
  });

  it('shows disabled users with Enable, teams with their leader, in Chinese and English', async () => {
    const { api, m } = admin();
    await m.load();
    const zh = text(render(UsersAdminView, { props: { i18n: new I18n(), api, model: m } }).body);
    expect(zh).toContain('老张 已停用');
    expect(zh).toContain('启用');
    expect(zh).toContain('重置密码');
    expect(zh).toContain('杭州 A班');
    expect(zh).toContain('新建小组');
    const en = new I18n();
    en.locale = 'en';
    expect(text(render(UsersAdminView, { props: { i18n: en, api, model: m } }).body)).toContain('New team');
  });
});
