import { commandId, type Api } from './api.ts';
import type { Role } from './session.svelte.ts';

export interface BlacklistRow {
  phone: string;
  reason: string;
  /** Who listed it: a name when the users list could tell, else the recorded user id. */
  by: string | null;
  at: string;
}

/** What a role may do with the blacklist; the server checks the same (blacklist / blacklistNumber / unblacklistNumber). */
export function blacklistAccess(role: Role): { view: boolean; add: boolean; remove: boolean } {
  return { view: ['SUPERVISOR', 'ADMIN', 'AUDITOR'].includes(role), add: role === 'SUPERVISOR' || role === 'ADMIN', remove: role === 'ADMIN' };
}

const LIST = `query Blacklist { blacklist { phone reason by at } }`;
// Names for the "who" column; a supervisor sees only their department's users, so ids of others stay as ids.
const NAMES = `query BlacklistUsers { users(first: 200) { nodes { id displayName } } }`;
const ADD = `mutation BlacklistNumber($phone: String!, $reason: String!, $commandId: ID) { blacklistNumber(phone: $phone, reason: $reason, commandId: $commandId) { position } }`;
const REMOVE = `mutation UnblacklistNumber($phone: String!, $reason: String!, $commandId: ID) { unblacklistNumber(phone: $phone, reason: $reason, commandId: $commandId) { position } }`;

/** The operator's blacklist page: who listed which number, why and when; add with a reason; admins remove. */
export class Blacklist {
  rows = $state.raw<BlacklistRow[]>([]);
  outcome = $state.raw<{ ok: boolean; text: string } | null>(null);
  private api: Api;
  private names = new Map<string, string>();

  constructor(api: Api) {
    this.api = api;
  }

  async load(): Promise<void> {
    try {
      const [list] = await Promise.all([this.api.request(LIST), this.loadNames()]);
      this.rows = (list.blacklist as BlacklistRow[]).map((r) => ({ ...r, by: r.by ? (this.names.get(r.by) ?? r.by) : null }));
    } catch (e) {
      this.outcome = { ok: false, text: (e as Error).message };
    }
  }

  /** Returns whether the number was listed, so the form can clear itself. */
  add(phone: string, reason: string): Promise<boolean> {
    return this.command(ADD, { phone: phone.trim(), reason: reason.trim() });
  }

  remove(phone: string, reason: string): Promise<boolean> {
    return this.command(REMOVE, { phone, reason: reason.trim() });
  }

  private async loadNames() {
    if (this.names.size) return;
    try {
      const d = await this.api.request(NAMES);
      for (const u of d.users.nodes as { id: string; displayName: string }[]) this.names.set(u.id, u.displayName);
    } catch {
      // Without the names the page still shows who by id.
    }
  }

  private async command(query: string, variables: Record<string, unknown>): Promise<boolean> {
    try {
      await this.api.request(query, { ...variables, commandId: commandId() });
      this.outcome = { ok: true, text: '✓' };
    } catch (e) {
      this.outcome = { ok: false, text: (e as Error).message };
      return false;
    }
    await this.load();
    return true;
  }
}
