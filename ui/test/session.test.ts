import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/lib/api.ts';
import { Session, viewsFor } from '../src/lib/session.svelte.ts';
import { FakeApi } from './fakeApi.ts';

const alice = { id: 'u1', username: 'alice', displayName: '王丽', role: 'AGENT', department: null };

describe('Session', () => {
  it('logs in, keeps the token for the socket and opens the role’s first console', async () => {
    const api = new FakeApi().on('Login', (v) => ({ login: { token: `tok-${v.username}`, expiresAt: '2026-01-01T00:00:00Z', user: { ...alice, role: 'SUPERVISOR' } } }));
    const s = new Session(api);
    expect(await s.login(' alice ', 'pw')).toBe(true);
    expect(api.named('Login')[0].variables).toEqual({ username: 'alice', password: 'pw' });
    expect(api.token).toBe('tok-alice');
    expect(s.view).toBe('supervisor');
  });

  it('shows the server’s reason when the password is wrong and stays logged out', async () => {
    const api = new FakeApi().on('Login', () => { throw new ApiError('UNAUTHENTICATED', '用户名或密码错误'); });
    const s = new Session(api);
    expect(await s.login('alice', 'bad')).toBe(false);
    expect(s.user).toBeNull();
    expect(s.error).toBe('用户名或密码错误');
    expect(api.token).toBeNull();
  });

  it('resumes from the stored token and forgets a token the server no longer accepts', async () => {
    const store = new Map<string, string>([['callstream.token', 'old']]);
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) };
    const ok = new Session(new FakeApi().on('Me', () => ({ me: alice })), storage);
    await ok.resume();
    expect(ok.user?.displayName).toBe('王丽');

    const api = new FakeApi().on('Me', () => { throw new ApiError('UNAUTHENTICATED', 'expired'); });
    const gone = new Session(api, storage);
    await gone.resume();
    expect(gone.user).toBeNull();
    expect(store.has('callstream.token')).toBe(false);
    expect(api.token).toBeNull();
  });

  it('gives each role only its consoles', () => {
    expect(viewsFor('AGENT')).toEqual(['agent']);
    expect(viewsFor('AUDITOR')).toEqual(['auditor']);
    expect(viewsFor('ADMIN')).toContain('admin');
    expect(viewsFor('SUPERVISOR')).not.toContain('admin');
  });
});
