// Starts the built services (services/<name>/dist/main.js) as real processes for end-to-end tests:
// each on a free port, waiting until its /readyz answers 200, with its output kept for diagnostics.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '@drive-deposits/core';
import { testAuthEnv } from './auth';
import { uniqueName } from './names';

export const REPO_ROOT = repoRoot();

export type ServiceName = 'command-api' | 'calculator' | 'projector' | 'query-api' | 'dashboard';

export interface ServiceProcess {
  name: ServiceName;
  port: number;
  url: string;
  child: ChildProcess;
  /** everything the process wrote to stdout and stderr so far */
  output(): string;
  /** resolves with the exit code (null when killed by a signal) */
  exited: Promise<number | null>;
  /** SIGTERM, then waits for the exit; SIGKILL past `timeoutMs` */
  stop(timeoutMs?: number): Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
  });
}

let built = false;
/**
 * `tsc -b` once per test worker, then the dashboard's page (services/dashboard/build-web.mjs):
 * incremental and a few seconds, so cheap when scripts/test.sh has just built.
 */
export function buildServices(): void {
  if (built) return;
  execFileSync(join(REPO_ROOT, 'node_modules/.bin/tsc'), ['-b'], { cwd: REPO_ROOT, stdio: 'pipe' });
  execFileSync(process.execPath, [join(REPO_ROOT, 'services/dashboard/build-web.mjs')], {
    cwd: REPO_ROOT,
    stdio: 'pipe',
  });
  built = true;
}

export async function startServiceProcess(
  name: ServiceName,
  env: Record<string, string>,
  { readyTimeoutMs = 60_000 } = {},
): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(REPO_ROOT, 'services', name, 'dist/main.js')], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...testAuthEnv(), ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    name,
    port,
    url,
    child,
    output: () => chunks.join(''),
    exited,
    async stop(timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };

  const deadline = Date.now() + readyTimeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited with code ${child.exitCode} before it was ready:\n${service.output()}`);
    }
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) return service;
      last = `${res.status} ${await res.text()}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await service.stop(2_000);
  throw new Error(
    `${name} not ready after ${readyTimeoutMs} ms (last /readyz: ${last}):\n${service.output()}`,
  );
}

/**
 * What isolates one test's system from every other on the shared servers: a unique topic prefix,
 * database and consumer groups. `env(service)` is that service's environment.
 */
export function isolatedEnv(prefix: string, { partitions = 3 } = {}) {
  const name = uniqueName(prefix);
  const shared = {
    KAFKA_TOPIC_PREFIX: `${name}.`,
    KAFKA_TOPIC_PARTITIONS: String(partitions),
    MONGO_DB: name.replace(/-/g, '_'),
  };
  const env = (service: ServiceName): Record<string, string> =>
    service === 'calculator' || service === 'projector'
      ? { ...shared, CONSUMER_GROUP: `${name}-${service}` }
      : shared;
  return { name, env };
}
