// A misconfigured deployment fails at once: each built service, started with invalid environment
// variables, exits 1 within seconds, without touching a server, with one fatal log line that names
// every bad variable and what it allows.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildServices, REPO_ROOT, type ServiceName } from '@drive-deposits/testing';
import { logLines } from './operations.support';

interface Run {
  code: number | null;
  ms: number;
  output: string;
}

function run(service: ServiceName, env: Record<string, string>): Promise<Run> {
  const started = Date.now();
  // Only PATH from this process: no server addresses, so nothing could be reached even by mistake.
  const child = spawn(process.execPath, [join(REPO_ROOT, 'services', service, 'dist/main.js')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ms: Date.now() - started, output });
    }),
  );
}

const BAD_COMMON = {
  PORT: 'abc',
  LOG_LEVEL: 'loud',
  SHUTDOWN_TIMEOUT_MS: '-1',
};
const BAD_KAFKA = {
  KAFKA_BROKERS: 'nonsense',
  KAFKA_TOPIC_PARTITIONS: '0',
  SCHEMA_REGISTRY_URL: 'ftp://registry',
  KAFKA_SASL_MECHANISM: 'plain', // without the username and password it requires
};
const BAD_MONGO = { MONGO_URL: 'postgres://db', MONGO_DB: 'a/b' };

/** variable → a fragment of what the message must say is allowed */
const ALLOWED: Record<string, RegExp> = {
  PORT: /Incorrect value: abc\. Must be an integer from 1 to 65535/,
  LOG_LEVEL: /Incorrect value: loud\. Must be one of fatal, error, warn, info, debug, trace, silent/,
  SHUTDOWN_TIMEOUT_MS: /Must be an integer from 100/,
  KAFKA_BROKERS: /Incorrect value: nonsense\. Must be a comma-separated list of host:port/,
  KAFKA_TOPIC_PARTITIONS: /Must be an integer from 1/,
  SCHEMA_REGISTRY_URL: /Must be a URL starting with http:\/\/ or https:\/\//,
  KAFKA_SASL_USERNAME: /Missing\. Required when KAFKA_SASL_MECHANISM is set/,
  KAFKA_SASL_PASSWORD: /Missing\. Required when KAFKA_SASL_MECHANISM is set/,
  MONGO_URL: /Must be a URL starting with mongodb:\/\/ or mongodb\+srv:\/\//,
  MONGO_DB: /Must be a MongoDB database name/,
  IDEMPOTENCY_TTL_SECONDS: /Must be an integer from 60/,
  SYNC_WAIT_MAX_SECONDS: /Must be an integer from 0 to 300/,
  CONSUMER_SESSION_TIMEOUT_MS: /Must be an integer from 1000/,
  COMMAND_API_URL: /Incorrect value: localhost:3000\. Must be a URL starting with http:\/\/ or https:\/\//,
  QUERY_API_URL: /Must be a URL starting with http:\/\/ or https:\/\//,
  API_TIMEOUT_MS: /Must be an integer from 100 to 600000/,
};

const CASES: Array<[ServiceName, Record<string, string>]> = [
  [
    'command-api',
    { ...BAD_COMMON, ...BAD_KAFKA, ...BAD_MONGO, IDEMPOTENCY_TTL_SECONDS: '1', SYNC_WAIT_MAX_SECONDS: 'x' },
  ],
  ['calculator', { ...BAD_COMMON, ...BAD_KAFKA, CONSUMER_SESSION_TIMEOUT_MS: '5' }],
  ['projector', { ...BAD_COMMON, ...BAD_KAFKA, ...BAD_MONGO }],
  ['query-api', { ...BAD_COMMON, ...BAD_MONGO }],
  [
    'dashboard',
    { ...BAD_COMMON, COMMAND_API_URL: 'localhost:3000', QUERY_API_URL: 'ftp://query', API_TIMEOUT_MS: '0' },
  ],
];

beforeAll(() => buildServices(), 120_000);

describe.each(CASES)('%s started with an invalid environment', (service, env) => {
  let result: Run;
  beforeAll(async () => {
    result = await run(service, env);
  }, 20_000);

  it('exits 1 within seconds', () => {
    expect(result.code).toBe(1);
    // Fail fast: at once, not after waiting out STARTUP_TIMEOUT_MS (120 s) for dependencies. The
    // bound is loose because a loaded machine takes seconds just to start Node (5.7 s was seen).
    expect(result.ms).toBeLessThan(12_000);
  });

  it('logs one fatal DD_CONFIG_INVALID line naming each bad variable and what it allows', () => {
    const fatal = logLines(result.output).filter((line) => line.level === 'fatal');
    expect(fatal).toHaveLength(1);
    const line = fatal[0]! as {
      service: string;
      msg: string;
      errors: Array<{ path: string; message: string }>;
    };
    expect(line.service).toBe(service);
    expect(line.msg).toMatch(new RegExp(`^${service} cannot start: DD_CONFIG_INVALID`));
    const expected = Object.keys(env)
      .filter((variable) => variable !== 'KAFKA_SASL_MECHANISM')
      .concat('KAFKA_SASL_MECHANISM' in env ? ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] : []);
    expect(line.errors.map((e) => e.path).sort()).toEqual(expected.sort());
    for (const { path, message } of line.errors) {
      expect(message).toMatch(ALLOWED[path]!);
      // the one-line message lists it too, for a reader of plain text logs
      expect(line.msg).toContain(`${path}: ${message}`);
    }
  });

  it('writes nothing else: it tried no connection', () => {
    expect(logLines(result.output)).toHaveLength(1);
  });
});

describe('connection settings that do not fit together (issue 15)', () => {
  let result: Run;
  beforeAll(async () => {
    result = await run('calculator', {
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'calculator', // the password is missing
      KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem', // does not exist, and KAFKA_SSL is not on
      SCHEMA_REGISTRY_USERNAME: 'u',
      SCHEMA_REGISTRY_PASSWORD: 'registry-secret',
      SCHEMA_REGISTRY_BEARER_TOKEN: 'token-secret', // beside basic auth
    });
  }, 20_000);

  it('exits 1 at once, listing every problem without printing a secret', () => {
    expect(result.code).toBe(1);
    expect(result.ms).toBeLessThan(12_000);
    const fatal = logLines(result.output).filter((line) => line.level === 'fatal');
    expect(fatal).toHaveLength(1);
    const errors = (fatal[0] as { errors: Array<{ path: string; message: string }> }).errors;
    expect(errors).toEqual([
      {
        path: 'KAFKA_SSL_CA_FILE',
        message:
          'Set, but KAFKA_SSL is not set. It is only used with KAFKA_SSL: set that too, or unset this.',
      },
      {
        path: 'KAFKA_SSL_CA_FILE',
        message: 'Incorrect value: /nonexistent/ca.pem. Must be the path of a readable file.',
      },
      { path: 'KAFKA_SASL_PASSWORD', message: 'Missing. Required when KAFKA_SASL_MECHANISM is set.' },
      {
        path: 'SCHEMA_REGISTRY_BEARER_TOKEN',
        message:
          'Set together with SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD. They are alternatives: set only one.',
      },
    ]);
    expect(result.output).not.toMatch(/registry-secret|token-secret/);
  });
});

// Secure by default: an API without authentication settings does not start, unless AUTH_MODE=off.
describe.each(['command-api', 'query-api'] as const)('%s without authentication settings', (service) => {
  it('exits 1 at once naming AUTH_ISSUER, AUTH_AUDIENCE and the key source', async () => {
    const result = await run(service, {});
    expect(result.code).toBe(1);
    const fatal = logLines(result.output).filter((line) => line.level === 'fatal');
    expect(fatal).toHaveLength(1);
    const line = fatal[0]! as { msg: string; errors: Array<{ path: string; message: string }> };
    expect(line.msg).toMatch(new RegExp(`^${service} cannot start: DD_CONFIG_INVALID`));
    expect(line.errors.map((e) => e.path).sort()).toEqual(['AUTH_AUDIENCE', 'AUTH_ISSUER', 'AUTH_JWKS_URL']);
    expect(line.errors[0]!.message).toContain('AUTH_MODE=off');
  }, 20_000);

  it('AUTH_MODE=off gets past the check (it then waits for its servers: none reachable here)', async () => {
    const result = await run(service, {
      AUTH_MODE: 'off',
      STARTUP_TIMEOUT_MS: '1000',
      MONGO_URL: 'mongodb://127.0.0.1:1',
    });
    expect(result.code).toBe(1);
    expect(result.output).not.toContain('AUTH_ISSUER');
    expect(result.output).toContain('STARTUP_TIMEOUT_MS');
  }, 20_000);
});
