import type { Api } from './api.ts';
import { runCommand, type Outcome } from './runCommand.ts';

export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  disabled: boolean;
  department: { id: string; name: string } | null;
  team: { id: string; name: string } | null;
}

export interface AdminTeam {
  id: string;
  name: string;
  leader: { id: string; displayName: string } | null;
}

export interface AdminDepartment {
  id: string;
  name: string;
  parent: { id: string } | null;
  teams: AdminTeam[];
}

// Disabled users stay listed so an admin can enable them again. Two documents: together they pass the cost limit.
const USERS = `query AdminUsers { users(filter: { includeDisabled: true }, first: 80) { nodes { id username displayName role disabled department { id name } team { id name } } } }`;
const DEPARTMENTS = `query AdminDepartments { departments { id name parent { id } teams { id name leader { id displayName } } } }`;
const m = (name: string, params: string, args: string) =>
  `mutation ${name[0].toUpperCase() + name.slice(1)}(${params}, $commandId: ID) { ${name}(${args}, commandId: $commandId) { position } }`;
const CREATE_USER = m('createUser', '$input: CreateUserInput!', 'input: $input');
const CHANGE_ROLE = m('changeUserRole', '$userId: ID!, $role: Role!', 'userId: $userId, role: $role');
const MOVE = m('moveUser', '$userId: ID!, $departmentId: ID, $teamId: ID', 'userId: $userId, departmentId: $departmentId, teamId: $teamId');
const RESET = m('resetPassword', '$userId: ID!, $newPassword: String!', 'userId: $userId, newPassword: $newPassword');
const DISABLE = m('disableUser', '$userId: ID!, $reason: String!', 'userId: $userId, reason: $reason');
const ENABLE = m('enableUser', '$userId: ID!', 'userId: $userId');
const CREATE_DEPT = m('createDepartment', '$name: String!, $parentId: ID', 'name: $name, parentId: $parentId');
const CREATE_TEAM = m('createTeam', '$departmentId: ID!, $name: String!, $leaderId: ID', 'departmentId: $departmentId, name: $name, leaderId: $leaderId');
const SET_LEADER = m('setTeamLeader', '$departmentId: ID!, $teamId: ID!, $leaderId: ID', 'departmentId: $departmentId, teamId: $teamId, leaderId: $leaderId');

export const MIN_PASSWORD = 8;

/** Users, roles, departments and teams: every command re-reads the lists, the outcome shows beside the forms. */
export class UsersAdmin {
  users = $state.raw<AdminUser[]>([]);
  departments = $state.raw<AdminDepartment[]>([]);
  outcome = $state.raw<Outcome | null>(null);
  private api: Api;

  constructor(api: Api) {
    this.api = api;
  }

  async load(): Promise<void> {
    try {
      const [u, d] = await Promise.all([this.api.request(USERS), this.api.request(DEPARTMENTS)]);
      this.users = u.users.nodes;
      this.departments = d.departments;
    } catch (e) {
      this.outcome = { ok: false, text: (e as Error).message };
    }
  }

  /** Teams of a department, for the team picker of a user in it. */
  teamsOf(departmentId: string | null | undefined): AdminTeam[] {
    return this.departments.find((d) => d.id === departmentId)?.teams ?? [];
  }

  createUser(input: { username: string; displayName: string; password: string; role: string; departmentId: string | null }) {
    return this.command(CREATE_USER, { input });
  }
  changeRole(userId: string, role: string) {
    return this.command(CHANGE_ROLE, { userId, role });
  }
  /** A new department drops the old team (teams belong to one department). */
  move(userId: string, departmentId: string | null, teamId: string | null = null) {
    return this.command(MOVE, { userId, departmentId, teamId });
  }
  /** Refused here when too short, so a typo is not sent as someone's password. */
  resetPassword(userId: string, newPassword: string, tooShort: string) {
    if (newPassword.length < MIN_PASSWORD) {
      this.outcome = { ok: false, text: tooShort };
      return Promise.resolve(false);
    }
    return this.command(RESET, { userId, newPassword });
  }
  disable(userId: string, reason: string) {
    return this.command(DISABLE, { userId, reason });
  }
  enable(userId: string) {
    return this.command(ENABLE, { userId });
  }
  createDepartment(name: string, parentId: string | null) {
    return this.command(CREATE_DEPT, { name: name.trim(), parentId });
  }
  createTeam(departmentId: string, name: string, leaderId: string | null) {
    return this.command(CREATE_TEAM, { departmentId, name: name.trim(), leaderId });
  }
  setTeamLeader(departmentId: string, teamId: string, leaderId: string | null) {
    return this.command(SET_LEADER, { departmentId, teamId, leaderId });
  }

  private async command(query: string, variables: Record<string, unknown>): Promise<boolean> {
    this.outcome = await runCommand(this.api, query, variables);
    await this.load();
    return this.outcome.ok;
  }
}
