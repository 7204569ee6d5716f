// Start-up against racing and busy dependencies (issue 12): the four built services started at the
// same moment on empty topics and fresh registry subjects all become ready, three times over (the
// registry answers the loser of two concurrent compatibility updates 409); a service whose registry
// is busy answers /healthz 200 and /readyz 503 naming what it waits for, and becomes ready by itself
// once the registry answers; past STARTUP_TIMEOUT_MS it exits 1 saying what it waited for.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import {
  buildServices,
  freePort,
  isolatedEnv,
  REPO_ROOT,
  schemaRegistryUrl,
  startServiceProcess,
  type ServiceName,
} from '@drive-deposits/testing';
import { eventually, logLines } from './operations.support';

const SERVICES: ServiceName[] = ['command-api', 'calculator', 'projector', 'query-api'];

beforeAll(() => buildServices());

describe('four services started at the same moment on fresh topics and subjects', () => {
  it.each([1, 2, 3])(
    'all become ready (round %i)',
    async () => {
      const { name, env } = isolatedEnv('startup-race');
      const started = await Promise.allSettled(SERVICES.map((s) => startServiceProcess(s, env(s))));
      const running = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      try {
        const failures = started.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
        expect(failures).toEqual([]);
        // The state every service wanted: the subjects exist with BACKWARD compatibility.
        for (const topic of ['portfolio-submitted', 'portfolio-calculated', 'portfolio-deleted']) {
          const res = await fetch(`${schemaRegistryUrl()}/config/${name}.${topic}-value`);
          expect({ topic, status: res.status, body: await res.json() }).toEqual({
            topic,
            status: 200,
            body: { compatibilityLevel: 'BACKWARD' },
          });
        }
      } finally {
        const codes = await Promise.all(running.map((s) => s.stop()));
        expect(codes).toEqual(running.map(() => 0));
      }
    },
    120_000,
  );
});

/** A pass-through proxy to the real registry that answers 503 while `busy`. */
async function busyRegistry(): Promise<{
  url: string;
  busy: boolean;
  requests: number;
  close(): Promise<void>;
}> {
  const target = new URL(schemaRegistryUrl());
  const state = { busy: true, requests: 0 };
  const server: Server = createServer((req, res) => {
    state.requests++;
    if (state.busy) {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"busy"}');
      return;
    }
    const forward = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

interface Spawned {
  url: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

async function spawnService(service: ServiceName, env: Record<string, string>): Promise<Spawned> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(REPO_ROOT, 'services', service, 'dist/main.js')], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { url: `http://127.0.0.1:${port}`, child, output: () => output, exited };
}

describe('a busy schema registry at start', () => {
  it('is waited for: /healthz 200, /readyz 503 naming the step, then ready once the registry answers', async () => {
    const registry = await busyRegistry();
    const { env } = isolatedEnv('startup-busy', { partitions: 1 });
    const calculator = await spawnService('calculator', {
      ...env('calculator'),
      SCHEMA_REGISTRY_URL: registry.url,
    });
    try {
      const waiting = await eventually(async () => {
        const res = await fetch(`${calculator.url}/readyz`);
        const body = (await res.json()) as { code: string; detail: string; errors: { path: string }[] };
        expect({ status: res.status, code: body.code }).toEqual({
          status: 503,
          code: 'DD_DEPENDENCY_UNAVAILABLE',
        });
        expect(body.detail).toMatch(/^Not ready: startup \(starting: registering event schemas \(attempt/);
        return body;
      }, 30_000);
      expect(waiting.errors.map((e) => e.path)).toEqual(['startup']);
      expect((await fetch(`${calculator.url}/healthz`)).status).toBe(200);
      const api = await fetch(`${calculator.url}/anything`);
      expect({ status: api.status, retryAfter: api.headers.get('retry-after') }).toEqual({
        status: 503,
        retryAfter: '1',
      });

      registry.busy = false;
      await eventually(async () => {
        expect((await fetch(`${calculator.url}/readyz`)).status).toBe(200);
      }, 30_000);
      const retries = logLines(calculator.output()).filter((l) =>
        String(l.msg).startsWith('start: registering event schemas failed'),
      );
      expect(retries.length).toBeGreaterThan(0);
      expect(calculator.child.exitCode).toBeNull();
    } finally {
      calculator.child.kill('SIGTERM');
      expect(await calculator.exited).toBe(0);
      await registry.close();
    }
  }, 90_000);

  it('past STARTUP_TIMEOUT_MS, exits 1 with one fatal line saying what it waited for', async () => {
    const registry = await busyRegistry();
    const { env } = isolatedEnv('startup-deadline', { partitions: 1 });
    const started = Date.now();
    const calculator = await spawnService('calculator', {
      ...env('calculator'),
      SCHEMA_REGISTRY_URL: registry.url,
      STARTUP_TIMEOUT_MS: '4000',
    });
    try {
      const code = await calculator.exited;
      const ms = Date.now() - started;
      expect(code).toBe(1);
      expect(ms).toBeGreaterThanOrEqual(4000);
      expect(ms).toBeLessThan(20_000);
      const fatal = logLines(calculator.output()).filter((l) => l.level === 'fatal' || l.level === 60);
      expect(fatal).toHaveLength(1);
      expect(String(fatal[0]!.msg)).toMatch(
        /^calculator cannot start: DD_DEPENDENCY_UNAVAILABLE: Not started within STARTUP_TIMEOUT_MS \(4000 ms\): registering event schemas failed \d+ times, last with: Schema registry unavailable while setting .* HTTP 503/,
      );
      expect(registry.requests).toBeGreaterThan(1);
    } finally {
      calculator.child.kill('SIGKILL');
      await registry.close();
    }
  }, 60_000);
});
