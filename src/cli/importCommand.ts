import path from 'node:path';
import { importLeads, type ImportReport } from '../import/importLeads.ts';
import type { CliContext } from './context.ts';
import { progressBar } from './progress.ts';

export interface ImportFlags {
  campaign?: string;
  phoneColumn?: string;
  nameColumn?: string;
  retry?: string;
  json?: boolean;
}

export async function runImport(ctx: CliContext, file: string, flags: ImportFlags): Promise<ImportReport> {
  const bar = progressBar('importing', 0);
  let report: ImportReport;
  try {
    report = await importLeads({
      store: ctx.store,
      file: path.resolve(file),
      campaignId: flags.campaign,
      columns: { phone: flags.phoneColumn, name: flags.nameColumn },
      retryOf: flags.retry,
      actorId: 'cli',
      actorRole: 'system',
      onProgress: (p) => bar.update(p.rows, undefined, `rows · ${p.imported} new · ${p.duplicates} merged · ${p.rejected} rejected`),
    });
  } finally {
    bar.stop();
  }
  if (flags.json) {
    const out = { imported: report.imported, duplicates: report.duplicates, rejected: report.rejections.map(({ row, value, reason }) => ({ row, value, reason })) };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return report;
  }
  const lines = [
    `${path.basename(file)}: ${report.rows} rows (batch ${report.batchId})`,
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
