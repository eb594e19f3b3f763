import { sql } from 'slonik';
import { z } from 'zod';
import type { RecordedEvent } from '../../../eventstore/types.ts';
import { findUser } from '../../auth/identity.ts';
import { departmentInScope, type Scope } from '../../auth/principal.ts';
import { ImportJobRow, importStream, type ImportJobs } from '../../imports/importJobs.ts';
import type { ApiContext } from '../context.ts';
import { badInput, forbidden, notFound } from '../errors.ts';
import { decodeCursor, encodeCursor, roleOut } from '../results.ts';
import { newIdFor } from '../run.ts';

const MAX_PAGE = 200;
const iso = (v: number | string | null) => (v == null ? null : new Date(v).toISOString());

const jobOut = (j: ImportJobRow) => ({
  id: j.import_id,
  filename: j.filename,
  campaignId: j.campaign_id,
  startedById: j.started_by,
  startedAt: iso(j.started_at),
  finishedAt: iso(j.finished_at),
  rowsRead: j.rows_read,
  imported: j.imported,
  duplicates: j.duplicates,
  alreadyImported: j.already_imported,
  rejected: j.rejected,
  status: j.status,
  error: j.error,
});

/** Supervisors see the imports of their departments' campaigns; admins and auditors all; agents none. */
const visible = (scope: Scope, j: ImportJobRow) => scope.all || (j.department_id !== null && departmentInScope(scope, j.department_id));
/** Who deals with imports at all (the upload route allows supervisors and admins; the auditor reads). */
const IMPORT_ROLES = new Set(['supervisor', 'admin', 'auditor']);

async function jobFor(ctx: ApiContext, jobs: ImportJobs, id: string): Promise<ImportJobRow | null> {
  if (!IMPORT_ROLES.has(ctx.principal!.role)) throw forbidden('imports');
  const j = await jobs.get(id);
  if (!j) return null;
  if (!visible(await ctx.scope(), j)) throw forbidden(`import ${id}`);
  return j;
}

/**
 * For the importProgress feed: whether the caller may see the events of an import, by the department its
 * ImportStarted names (or its job row, for imports started before the feed) — the same rule as importJob.
 * Asked for one import the caller may not see: FORBIDDEN at once.
 */
export async function importVisibility(ctx: ApiContext, importId?: string | null): Promise<(importId: string, e: RecordedEvent) => Promise<boolean>> {
  if (!IMPORT_ROLES.has(ctx.principal!.role)) throw forbidden('import progress');
  const scope = await ctx.scope();
  if (scope.all) return async () => true;
  const known = new Map<string, boolean>();
  const departmentOfJob = (id: string) =>
    ctx.pool.maybeOneFirst(sql.type(z.object({ d: z.string().nullable() }))`SELECT department_id AS d FROM api.import_jobs WHERE import_id = ${id}`);
  if (importId) {
    const d = await departmentOfJob(importId);
    if (d !== null && !departmentInScope(scope, d)) throw forbidden(`import ${importId}`);
  }
  return async (id, e) => {
    const seen = known.get(id);
    if (seen !== undefined) return seen;
    const data = e.data as { departmentId?: string | null };
    // ImportStarted (and a missed-call import's one event) names the department; otherwise the job row does.
    const departmentId = 'departmentId' in data ? data.departmentId : await departmentOfJob(id);
    const ok = !!departmentId && departmentInScope(scope, departmentId);
    known.set(id, ok);
    return ok;
  };
}

export function importResolvers(jobs: ImportJobs) {
  return {
    Query: {
      importJob: async (_: unknown, a: { id: string }, ctx: ApiContext) => {
        const j = await jobFor(ctx, jobs, a.id);
        return j && jobOut(j);
      },
      importJobs: async (_: unknown, a: { first?: number; after?: string }, ctx: ApiContext) => {
        const first = Math.min(Math.max(a.first ?? 20, 1), MAX_PAGE);
        const offset = decodeCursor(a.after);
        const scope = await ctx.scope();
        const where = scope.all ? sql.fragment`TRUE` : sql.fragment`department_id = ANY(${sql.array(scope.departmentIds, 'text')})`;
        const rows = await ctx.pool.any(
          sql.type(ImportJobRow)`SELECT * FROM api.import_jobs WHERE ${where} ORDER BY started_at DESC, import_id LIMIT ${first + 1} OFFSET ${offset}`,
        );
        const nodes = rows.slice(0, first).map(jobOut);
        return { nodes, pageInfo: { hasNextPage: rows.length > first, endCursor: nodes.length ? encodeCursor(offset + nodes.length) : null } };
      },
    },
    Mutation: {
      /** Runs the file of an import again as a retry of its batch: rows imported before are skipped, rejected rows tried again. */
      retryImport: async (_: unknown, a: { importId: string; commandId?: string }, ctx: ApiContext) => {
        const j = await jobFor(ctx, jobs, a.importId);
        if (!j) throw notFound(`import ${a.importId}`);
        if (j.status === 'running') throw badInput('导入仍在进行 / this import is still running; retry it after it ends');
        const importId = newIdFor(ctx, 'import-retry', a.commandId);
        const p = ctx.principal!;
        const repeated = (await jobs.get(importId)) !== null;
        if (!repeated) {
          await jobs.start({
            importId,
            file: j.file_path,
            filename: j.filename,
            campaignId: j.campaign_id ?? undefined,
            departmentId: j.department_id ?? undefined,
            phoneColumn: j.phone_column ?? undefined,
            nameColumn: j.name_column ?? undefined,
            startedBy: p.userId,
            actorRole: p.role,
            retryOf: j.batch_id ?? undefined,
          });
        }
        const [e] = await ctx.store.readStream(importStream(importId), { maxCount: 1 });
        const ref = { id: e.id, streamId: e.streamId, revision: e.revision, position: e.position, type: e.type };
        return { streamId: e.streamId, events: [ref], position: e.position, repeated };
      },
    },
    ImportJob: {
      startedBy: async (j: { startedById: string }, _: unknown, ctx: ApiContext) => {
        const u = await findUser(ctx.pool, j.startedById);
        return u && { id: u.user_id, username: u.username, displayName: u.display_name, role: roleOut(u.role), departmentId: u.department_id, teamId: u.team_id, disabled: u.disabled };
      },
      campaign: async (j: { campaignId: string | null }, _: unknown, ctx: ApiContext) =>
        j.campaignId && ctx.readModels.campaign ? ctx.readModels.campaign(j.campaignId, await ctx.scope()) : null,
    },
  };
}
