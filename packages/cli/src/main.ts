#!/usr/bin/env node
// The drive-deposits executable: wires the process to runCli.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runCli } from './cli';

process.exitCode = runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFileSync(path === '-' ? 0 : path, 'utf8'),
  now: () => new Date().toISOString(),
  randomId: () => randomUUID(),
});
