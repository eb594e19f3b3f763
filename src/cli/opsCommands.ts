import { createUser } from '../api/auth/identity.ts';
import type { Role } from '../domain/identity/events.ts';
import { verifyAll, verifyStream, type VerifyReport } from '../eventstore/verify.ts';
import type { CliContext } from './context.ts';
import { progressBar } from './progress.ts';

export async function runVerify(ctx: CliContext, stream: string | undefined, json: boolean): Promise<VerifyReport> {
  let report: VerifyReport;
  if (stream) {
    report = await verifyStream(ctx.store, stream);
  } else {
    const bar = progressBar('verifying', await ctx.store.headPosition());
    try {
      report = await verifyAll(ctx.store, (checked) => bar.update(checked, undefined, 'events'));
    } finally {
      bar.stop();
    }
  }
  process.stdout.write(json ? `${JSON.stringify(report)}\n` : `${report.ok ? 'OK' : 'BROKEN'}: ${report.summary}\n`);
  return report;
}

/** The import jobs' rows (api.import_jobs) are a projection too, folded from the `import-<id>` streams. */
export const IMPORT_JOBS = 'import-jobs';

/**
 * Rebuilds read models: `all` (the default) is every projection and the import jobs; `import-jobs` only the
 * import jobs; any other name one projection.
 */
export async function runRebuild(ctx: CliContext, projection: string | undefined, json: boolean): Promise<void> {
  const target = projection ?? 'all';
  const importJobs = async () => {
    const { ImportJobs } = await import('../api/imports/importJobs.ts');
    const started = Date.now();
    const events = await new ImportJobs(ctx.store, ctx.db.pool).rebuild();
    return { events, ms: Date.now() - started };
  };
  if (target === IMPORT_JOBS) {
    const r = await importJobs();
    const out = { projections: [IMPORT_JOBS], events: r.events, ms: r.ms };
    process.stdout.write(json ? `${JSON.stringify(out)}\n` : `rebuilt ${IMPORT_JOBS}: ${r.events} events in ${r.ms} ms\n`);
    return;
  }
  // Loaded on demand: only this command needs the read-model definitions.
  const { rebuild, rebuildProgressBar } = await import('../projections/index.ts');
  const bar = rebuildProgressBar();
  try {
    const r = await rebuild(target, { pool: ctx.db.pool, store: ctx.store, onProgress: bar.onProgress });
    bar.stop();
    const jobs = target === 'all' ? await importJobs() : undefined;
    const out = jobs ? { ...r, projections: [...r.projections, IMPORT_JOBS], importJobEvents: jobs.events } : r;
    process.stdout.write(
      json ? `${JSON.stringify(out)}\n` : `rebuilt ${out.projections.join(', ')}: ${r.events} events up to position ${r.position} in ${r.ms} ms${jobs ? ` (+${jobs.events} import job events)` : ''}\n`,
    );
  } finally {
    bar.stop();
  }
}

export interface UserAddFlags {
  role: string;
  name?: string;
  department?: string;
  team?: string;
  json?: boolean;
}

/** The password comes from CALLSTREAM_PASSWORD or the first line of stdin, never from argv (shell history, ps). */
export async function readPassword(): Promise<string> {
  if (process.env.CALLSTREAM_PASSWORD) return process.env.CALLSTREAM_PASSWORD;
  if (process.stdin.isTTY) throw new Error('give the password on stdin (echo … | callstream user add …) or in CALLSTREAM_PASSWORD');
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.split(/\r?\n/)[0];
}

export async function runUserAdd(ctx: CliContext, username: string, flags: UserAddFlags): Promise<void> {
  const password = await readPassword();
  const r = await createUser(ctx.store, {
    username,
    displayName: flags.name ?? username,
    password,
    role: flags.role as Role,
    departmentId: flags.department,
    teamId: flags.team,
  });
  process.stdout.write(flags.json ? `${JSON.stringify({ userId: r.userId, username, role: flags.role })}\n` : `user ${username} (${flags.role}) created: ${r.userId}\n`);
}
