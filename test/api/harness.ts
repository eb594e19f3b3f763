import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import { createDepartment, createTeam, createUser } from '../../src/api/auth/identity.ts';
import { buildServer, type ApiDeps } from '../../src/api/server.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { createTestDatabase } from '../support/db.ts';

export const PASSWORD = 'correct horse 电池';
export const SECRET = 'test-secret-that-is-at-least-32-bytes-long!!';

export interface Harness {
  app: FastifyInstance;
  url: string;
  store: PostgresEventStore;
  pool: ApiDeps['pool'];
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<{ status: number; data?: T; errors?: any[] }>;
  login(username: string, password?: string): Promise<string>;
  /** A session per user, logged in once (login is rate limited). */
  token(username: string): Promise<string>;
  close(): Promise<void>;
}

/** A real server on a random port over a fresh database, with a small org: two departments (east has a sub-department) and their people. */
type Extra = Partial<ApiDeps> | ((d: { pool: ApiDeps['pool']; store: PostgresEventStore }) => Partial<ApiDeps>);

export async function startServer(extra: Extra = {}, label = 'api', wrapPool: (pool: ApiDeps['pool']) => ApiDeps['pool'] = (p) => p): Promise<Harness> {
  const db = await createTestDatabase(label);
  const store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 100 });
  await seedOrg(store);
  const pool = wrapPool(db.pool);
  const more = typeof extra === 'function' ? extra({ pool, store }) : extra;
  const app = await buildServer({ eventStore: store, pool, config: { ...loadConfig({}), dataDir: '/nonexistent' }, jwtSecret: SECRET, ...more });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const gql = async (query: string, variables?: Record<string, unknown>, token?: string) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as { data?: any; errors?: any[] }) };
  };
  const login = async (username: string, password = PASSWORD) => {
    const r = await gql('mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', { u: username, p: password });
    if (!r.data?.login) throw new Error(`login ${username} failed: ${JSON.stringify(r.errors)}`);
    return r.data.login.token as string;
  };
  const tokens = new Map<string, Promise<string>>();
  const token = (username: string) => {
    if (!tokens.has(username)) tokens.set(username, login(username));
    return tokens.get(username)!;
  };
  return {
    token,
    pool,
    app,
    url,
    store,
    gql,
    login,
    close: async () => {
      await app.close();
      await store.close();
      await db.close();
    },
  };
}

export async function seedOrg(store: PostgresEventStore): Promise<void> {
  await createDepartment(store, { departmentId: 'east', name: '华东' });
  await createDepartment(store, { departmentId: 'east-sh', name: '上海', parentId: 'east' });
  await createDepartment(store, { departmentId: 'west', name: '华西' });
  await createTeam(store, { departmentId: 'east', teamId: 'east-a', name: 'A组' });
  await createTeam(store, { departmentId: 'east-sh', teamId: 'sh-a', name: '上海A组' });
  await createTeam(store, { departmentId: 'west', teamId: 'west-a', name: '西A组' });
  const users = [
    { userId: 'admin', username: 'admin', role: 'admin' },
    { userId: 'auditor', username: 'auditor', role: 'auditor' },
    { userId: 'sup-east', username: 'sup-east', role: 'supervisor', departmentId: 'east' },
    { userId: 'sup-west', username: 'sup-west', role: 'supervisor', departmentId: 'west' },
    { userId: 'tl-east', username: 'tl-east', role: 'team_leader', departmentId: 'east', teamId: 'east-a' },
    { userId: 'qa-east', username: 'qa-east', role: 'qa', departmentId: 'east' },
    { userId: 'agent-east', username: 'agent-east', role: 'agent', departmentId: 'east', teamId: 'east-a' },
    { userId: 'agent-east-2', username: 'agent-east-2', role: 'agent', departmentId: 'east', teamId: 'east-a' },
    { userId: 'agent-sh', username: 'agent-sh', role: 'agent', departmentId: 'east-sh', teamId: 'sh-a' },
    { userId: 'agent-west', username: 'agent-west', role: 'agent', departmentId: 'west', teamId: 'west-a' },
  ] as const;
  for (const u of users) await createUser(store, { ...u, displayName: u.username, password: PASSWORD });
}
