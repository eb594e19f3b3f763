import path from 'node:path';
import { importFromCalls, type CallSource } from '../import/importCalls.ts';
import { importLeads, type ImportReport, type RowRejection } from '../import/importLeads.ts';
import type { CliContext } from './context.ts';
import { progressBar } from './progress.ts';

export interface ImportFlags {
  campaign?: string;
  phoneColumn?: string;
  nameColumn?: string;
  retry?: string;
  map?: string[];
  skipColumn?: string[];
  json?: boolean;
}

/** "header=field" pairs; the header may itself contain "=" only before the last one. */
export function parseMap(pairs: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.lastIndexOf('=');
    if (i <= 0 || i === p.length - 1) throw new Error(`--map wants header=field, got "${p}"`);
    out[p.slice(0, i).trim()] = p.slice(i + 1).trim();
  }
  return out;
}

export async function runImport(ctx: CliContext, file: string, flags: ImportFlags): Promise<ImportReport> {
  const bar = progressBar('importing', 0);
  let report: ImportReport;
  try {
    report = await importLeads({
      store: ctx.store,
      file: path.resolve(file),
      campaignId: flags.campaign,
      columns: { phone: flags.phoneColumn, name: flags.nameColumn, rename: parseMap(flags.map), ignore: flags.skipColumn },
      retryOf: flags.retry,
      actorId: 'cli',
      actorRole: 'system',
      onProgress: (p) => bar.update(p.rows, undefined, `rows · ${p.imported} new · ${p.duplicates} merged · ${p.rejected} rejected`),
    });
  } finally {
    bar.stop();
  }
  if (flags.json) {
    printJson(report.imported, report.duplicates, report.rejections);
    return report;
  }
  const lines = [
    `${path.basename(file)}: ${report.rows} rows (batch ${report.batchId}; after fixing rejected rows: --retry ${report.batchId})`,
    `  导入 imported:            ${report.imported}`,
    `  合并 duplicates merged:   ${report.duplicates}`,
    `  拒绝 rejected:            ${report.rejected}`,
  ];
  if (report.alreadyImported) lines.push(`  已导入 already imported: ${report.alreadyImported} (this file was imported before; nothing written again)`);
  for (const r of report.rejections.slice(0, 50)) lines.push(`    row ${r.row}: "${r.value}" — ${r.reason}`);
  if (report.rejections.length > 50) lines.push(`    … ${report.rejections.length - 50} more (use --json for the full list)`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return report;
}

function printJson(imported: number, duplicates: number, rejections: RowRejection[]): void {
  const out = { imported, duplicates, rejected: rejections.map(({ row, value, reason }) => ({ row, value, reason })) };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

export async function runCallImport(ctx: CliContext, source: CallSource, since: Date | undefined, json: boolean): Promise<void> {
  const bar = progressBar(source === 'missed_call' ? 'missed calls' : 'call log', 0);
  try {
    const r = await importFromCalls({
      store: ctx.store,
      source,
      since,
      actorId: 'cli',
      actorRole: 'system',
      onProgress: (p) => bar.update(p.rows, undefined, `calls · ${p.imported} new · ${p.duplicates} merged`),
    });
    bar.stop();
    if (json) return printJson(r.imported, r.duplicates, r.rejections);
    const lines = [`${r.calls} calls${since ? ` since ${since.toISOString()}` : ''}: ${r.imported} new leads, ${r.duplicates} merged into known leads, ${r.rejected} rejected`];
    if (r.alreadyImported) lines.push(`${r.alreadyImported} calls were imported before: nothing written again`);
    for (const x of r.rejections.slice(0, 50)) lines.push(`  call #${x.row}: "${x.value}" — ${x.reason}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    bar.stop();
  }
}
