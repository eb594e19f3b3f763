import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { DEMO_PASSWORD } from '../../src/floor/seedDemo.ts';
import { startSystem, type RunningSystem, type StartOptions } from '../../src/main.ts';
import { createTestDatabase } from './db.ts';

export interface TestSystem {
  /** What `startSystem` returned: url, config, floor (when the demo runs), dialers. */
  system: RunningSystem;
  url: string;
  databaseUrl: string;
  dataDir: string;
  /** A second connection to the same log, for the test's own reads (closed by stop). */
  store: PostgresEventStore;
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<{ status: number; data?: T; errors?: any[] }>;
  /** A bearer token over the login mutation (demo users share DEMO_PASSWORD). */
  login(username: string, password?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The whole system as `npm start` brings it up (event store, projections, FreeSWITCH simulator, dialers, API,
 * demo floor unless `demo: false`) over a fresh database and data directory, on a random port.
 */
export async function startTestSystem(label: string, opts: StartOptions = {}): Promise<TestSystem> {
  const db = await createTestDatabase(label);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `callstream-${label.replace(/\W/g, '-')}-`));
  const cleanups: (() => Promise<unknown> | void)[] = [
    () => db.close(),
    () => rmSync(dataDir, { recursive: true, force: true }),
  ];
  const stop = async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  };
  try {
    const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', CALLSTREAM_DATA_DIR: dataDir });
    const system = await startSystem(config, { log: () => {}, ...opts });
    cleanups.push(() => system.stop());
    const store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 50 });
    cleanups.push(() => store.close());
    const gql = async (query: string, variables?: Record<string, unknown>, token?: string) => {
      const res = await fetch(`${system.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, ...((await res.json()) as { data?: any; errors?: any[] }) };
    };
    const login = async (username: string, password = DEMO_PASSWORD) => {
      const r = await gql('mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', {
        u: username,
        p: password,
      });
      if (!r.data?.login) throw new Error(`login ${username} failed: ${JSON.stringify(r.errors)}`);
      return r.data.login.token as string;
    };
    return { system, url: system.url, databaseUrl: db.url, dataDir, store, gql, login, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
