import type { Api } from './api.ts';

export type Role = 'AGENT' | 'TEAM_LEADER' | 'SUPERVISOR' | 'QA' | 'ADMIN' | 'AUDITOR';
export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  department?: { id: string; name: string } | null;
}

const USER_FIELDS = 'id username displayName role department { id name }';
const LOGIN = `mutation Login($username: String!, $password: String!) {
  login(username: $username, password: $password) { token expiresAt user { ${USER_FIELDS} } }
}`;
const ME = `query Me { me { ${USER_FIELDS} } }`;

export type View = 'agent' | 'supervisor' | 'admin' | 'auditor';

/** Which consoles a role may open; the server enforces the same scoping again. */
export function viewsFor(role: Role): View[] {
  switch (role) {
    case 'AGENT': return ['agent'];
    case 'TEAM_LEADER': return ['agent', 'supervisor'];
    case 'SUPERVISOR':
    case 'QA': return ['supervisor'];
    case 'ADMIN': return ['admin', 'supervisor', 'auditor'];
    case 'AUDITOR': return ['auditor'];
  }
}

/** Who is logged in; the token lives in sessionStorage so a reload keeps the session but a new tab logs in again. */
export class Session {
  user = $state<User | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);
  view = $state<View>('agent');
  private api: Api;
  private storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;

  constructor(api: Api, storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null = null) {
    this.api = api;
    this.storage = storage;
  }

  get views(): View[] {
    return this.user ? viewsFor(this.user.role) : [];
  }

  async login(username: string, password: string): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      const data = await this.api.request(LOGIN, { username: username.trim(), password });
      this.api.setToken(data.login.token);
      this.storage?.setItem('callstream.token', data.login.token);
      this.enter(data.login.user);
      return true;
    } catch (e) {
      this.error = (e as Error).message;
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Resume a session after a page reload. */
  async resume(): Promise<void> {
    const token = this.storage?.getItem('callstream.token');
    if (!token) return;
    this.api.setToken(token);
    try {
      const data = await this.api.request(ME);
      if (data.me) this.enter(data.me);
      else this.forget();
    } catch {
      this.forget();
    }
  }

  async logout(): Promise<void> {
    try {
      await this.api.request('mutation { logout }');
    } catch {
      // An expired token cannot be revoked twice; the local session ends either way.
    }
    this.forget();
  }

  private enter(user: User) {
    this.user = user;
    this.view = viewsFor(user.role)[0];
  }

  private forget() {
    this.api.setToken(null);
    this.storage?.removeItem('callstream.token');
    this.user = null;
  }
}
