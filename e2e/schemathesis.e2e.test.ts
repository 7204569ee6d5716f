// schemathesis (PyPI, pinned in scripts/schemathesis.sh, installed on first use) against both live
// APIs, the four built services running on the real servers: every check (`--checks all`), a
// bounded number of generated cases per operation and a fixed seed, so a failure reproduces.
// Narrowed checks and their reasons: e2e/schemathesis.toml. Output: .run/schemathesis-<api>.log.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildServices,
  isolatedEnv,
  testToken,
  REPO_ROOT,
  startServiceProcess,
  type ServiceProcess,
} from '@drive-deposits/testing';

const MAX_EXAMPLES = process.env.SCHEMATHESIS_MAX_EXAMPLES ?? '30';
const SEED = process.env.SCHEMATHESIS_SEED ?? '20260912';
const SCRIPT = join(REPO_ROOT, 'scripts/schemathesis.sh');

function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn('bash', [SCRIPT, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output: chunks.join('') }));
  });
}

const { env } = isolatedEnv('schemathesis');
const services: ServiceProcess[] = [];
const url = (service: string) => services.find((s) => s.name === service)!.url;
let portfolioUuid: string;
// One owner with every scope (packages/testing's key): schemathesis sends it with every request, and
// its ignored_auth check sends requests without it, which must be refused.
let token: string;

beforeAll(async () => {
  // First use on a machine installs schemathesis into the user's cache (~40 s); later runs reuse it.
  const installing = run(['--install-only']);
  token = await testToken({ owner: 'schemathesis' });
  buildServices();
  for (const service of ['calculator', 'projector', 'query-api', 'command-api'] as const) {
    services.push(await startServiceProcess(service, env(service)));
  }
  const res = await fetch(`${url('command-api')}/api/drive-deposits/calculate-portfolio`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      new_delta: { period: '1', period_unit: 'Month' },
      new_banks: [
        {
          name: 'First',
          bank_tz: 'America/Chicago',
          new_deposits: [
            {
              account: '1234',
              account_type: 'Savings',
              apy: '4.5',
              years: '2',
              amount: '10000',
              start_date_in_bank_tz: '2024-02-29',
            },
          ],
        },
      ],
    }),
  });
  expect(res.status).toBe(200);
  portfolioUuid = ((await res.json()) as { uuid: string }).uuid;
  const installed = await installing;
  if (installed.code !== 0) throw new Error(`schemathesis could not be installed:\n${installed.output}`);
}, 300_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
});

// The query API first: the command API's run deletes the portfolio (DELETE /portfolios/{uuid}).
it.each([
  ['query API', 'query-api'],
  ['command API', 'command-api'],
])(
  'the %s passes every schemathesis check',
  async (_label, service) => {
    const { code, output } = await run(
      [
        '--config-file',
        join(REPO_ROOT, 'e2e/schemathesis.toml'),
        '--no-color',
        'run',
        `${url(service)}/openapi.json`,
        '--checks',
        'all',
        '--header',
        `Authorization: Bearer ${token}`,
        '--max-examples',
        MAX_EXAMPLES,
        '--seed',
        SEED,
        '--continue-on-failure',
        // the seed makes runs repeatable; no example database left in the work tree
        '--generation-database',
        'none',
      ],
      { DD_SCHEMATHESIS_PORTFOLIO_UUID: portfolioUuid },
    );
    mkdirSync(join(REPO_ROOT, '.run'), { recursive: true });
    writeFileSync(join(REPO_ROOT, `.run/schemathesis-${service}.log`), output);
    const summary = /(\d+) generated, (\d+) passed/.exec(output);
    if (code !== 0 || summary === null) throw new Error(`schemathesis exited ${code}:\n${output}`);
    console.log(`schemathesis ${service}: ${summary[0]}`);
    expect(Number(summary[1])).toBeGreaterThan(100);
    expect(summary[2]).toBe(summary[1]);
  },
  180_000,
);
