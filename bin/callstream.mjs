#!/usr/bin/env node
// The `callstream` command. The CLI is TypeScript run by Node >= 24 (type stripping); on an older node
// (Debian's 20) it re-runs itself with the Node 24 that npm installed into node_modules/.bin.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const main = path.join(root, 'src', 'cli', 'main.ts');
const major = Number(process.versions.node.split('.')[0]);

if (major >= 24) {
  await import(pathToFileURL(main).href);
} else {
  const node = path.join(root, 'node_modules', '.bin', 'node');
  if (!existsSync(node)) {
    process.stderr.write(`callstream needs Node 24 or newer (this is ${process.version}); run "npm install" in ${root} first\n`);
    process.exit(1);
  }
  const child = spawn(node, [main, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
