import { DriveDepositsError } from '@drive-deposits/core';
import { kafkaSpec, mongoSpec, registrySpec, serviceSpec } from './common';
import { describeConfig, loadConfig, maskUrlCredentials } from './load';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bool, file, int, list, oneOf, str, url } from './vars';

function configError(run: () => unknown): DriveDepositsError {
  try {
    run();
  } catch (e) {
    if (e instanceof DriveDepositsError) return e;
    throw e;
  }
  throw new Error('expected a DD_CONFIG_INVALID error');
}

describe('loadConfig', () => {
  const spec = {
    port: int('PORT', { default: 3000, min: 1, max: 65535 }),
    name: str('NAME'),
    nickname: str('NICKNAME', { optional: true }),
    debug: bool('DEBUG', { default: false }),
    level: oneOf('LEVEL', ['low', 'high'], { default: 'low' }),
    nested: { hosts: list('HOSTS', { item: /^\w+:\d+$/, itemAllowed: 'host:port' }) },
    endpoint: url('ENDPOINT', { default: 'http://localhost:1', schemes: ['http', 'https'] }),
  };

  it('reads values and applies defaults, keeping the spec shape', () => {
    const config = loadConfig(spec, { NAME: 'x', DEBUG: 'TRUE', HOSTS: 'a:1, b:2', PORT: ' 8080 ' });
    expect(config).toEqual({
      port: 8080,
      name: 'x',
      nickname: undefined,
      debug: true,
      level: 'low',
      nested: { hosts: ['a:1', 'b:2'] },
      endpoint: 'http://localhost:1',
    });
  });

  it('treats an empty value as absent', () => {
    expect(loadConfig(spec, { NAME: 'x', HOSTS: 'a:1', PORT: '', LEVEL: '  ' }).port).toBe(3000);
  });

  it('lists every missing and invalid variable in one DD_CONFIG_INVALID error', () => {
    const error = configError(() =>
      loadConfig(spec, { PORT: '70000', DEBUG: 'maybe', LEVEL: 'mid', HOSTS: 'a:1,,b', ENDPOINT: 'ftp://x' }),
    );
    expect(error.code).toBe('DD_CONFIG_INVALID');
    expect(error.message).toBe(
      '6 environment variables are invalid: PORT, NAME, DEBUG, LEVEL, HOSTS, ENDPOINT',
    );
    expect(error.errors).toEqual([
      { path: 'PORT', message: 'Incorrect value: 70000. Must be an integer from 1 to 65535.' },
      { path: 'NAME', message: 'Missing. Must be a non-empty string.' },
      { path: 'DEBUG', message: 'Incorrect value: maybe. Must be true or false.' },
      { path: 'LEVEL', message: 'Incorrect value: mid. Must be one of low, high.' },
      { path: 'HOSTS', message: 'Incorrect value: a:1,,b. Must be a comma-separated list of host:port.' },
      {
        path: 'ENDPOINT',
        message: 'Incorrect value: ftp://x. Must be a URL starting with http:// or https://.',
      },
    ]);
  });

  it.each(['1.5', '1e3', '0x10', '', '9007199254740993'])('rejects %p as an integer', (raw) => {
    const parsed = int('N').parse(raw);
    expect(parsed.ok).toBe(false);
  });

  it('never prints a secret value, and masks URL credentials', () => {
    const secrets = {
      token: str('TOKEN', { secret: true, pattern: /^t-/ }),
      db: url('DB', { schemes: ['mongodb'] }),
    };
    const error = configError(() => loadConfig(secrets, { TOKEN: 'hunter2', DB: 'http://user:pw@host' }));
    expect(JSON.stringify(error.errors)).not.toMatch(/hunter2|pw/);
    expect(error.errors[0]?.message).toBe('Incorrect value: (hidden). Must be a non-empty string.');
    expect(error.errors[1]?.message).toContain('http://***@host');
  });

  it('requires a variable when the one it depends on is set', () => {
    const kafka = kafkaSpec({ clientId: 'svc' });
    expect(loadConfig({ kafka }, {}).kafka.saslMechanism).toBeUndefined();
    const error = configError(() => loadConfig({ kafka }, { KAFKA_SASL_MECHANISM: 'plain' }));
    expect(error.errors).toEqual([
      { path: 'KAFKA_SASL_USERNAME', message: 'Missing. Required when KAFKA_SASL_MECHANISM is set.' },
      { path: 'KAFKA_SASL_PASSWORD', message: 'Missing. Required when KAFKA_SASL_MECHANISM is set.' },
    ]);
  });
});

describe('common fragments', () => {
  const spec = {
    service: serviceSpec({ port: 3000 }),
    kafka: kafkaSpec({ clientId: 'command-api' }),
    registry: registrySpec(),
    mongo: mongoSpec(),
  };

  it('default to the documented values (docs/operations.md, generated from them)', () => {
    expect(loadConfig(spec, {})).toEqual({
      service: { port: 3000, logLevel: 'info', shutdownTimeoutMs: 10000, startupTimeoutMs: 120000 },
      kafka: {
        brokers: ['127.0.0.1:9092'],
        clientId: 'command-api',
        ssl: false,
        sslCaFile: undefined,
        sslRejectUnauthorized: true,
        saslMechanism: undefined,
        saslUsername: undefined,
        saslPassword: undefined,
        topicPrefix: 'drive-deposits.',
        topicPartitions: 6,
        replicationFactor: 1,
      },
      registry: {
        url: 'http://127.0.0.1:8081',
        username: undefined,
        password: undefined,
        bearerToken: undefined,
        bearerTokenFile: undefined,
      },
      mongo: { url: 'mongodb://127.0.0.1:27017', db: 'drive_deposits', tls: false, tlsCaFile: undefined },
    });
  });

  it('accept multi-host MongoDB URLs and IPv6 brokers', () => {
    const config = loadConfig(spec, {
      MONGO_URL: 'mongodb://a:27017,b:27017/?replicaSet=rs0',
      KAFKA_BROKERS: '[::1]:9092,kafka-0.kafka:9092',
    });
    expect(config.mongo.url).toBe('mongodb://a:27017,b:27017/?replicaSet=rs0');
    expect(config.kafka.brokers).toEqual(['[::1]:9092', 'kafka-0.kafka:9092']);
  });

  it('describe the config without secrets', () => {
    const config = loadConfig(spec, {
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: 'kafka-secret',
      MONGO_URL: 'mongodb://app:mongo-secret@db:27017',
    });
    const described = describeConfig(spec, config);
    expect(JSON.stringify(described)).not.toMatch(/kafka-secret|mongo-secret/);
    expect(described).toMatchObject({
      kafka: { saslUsername: 'svc', saslPassword: '(hidden)' },
      mongo: { url: 'mongodb://***@db:27017' },
    });
  });
});

describe('maskUrlCredentials', () => {
  it('masks only the user-info part', () => {
    expect(maskUrlCredentials('https://u:p@h/x@y')).toBe('https://***@h/x@y');
    expect(maskUrlCredentials('https://h/x@y')).toBe('https://h/x@y');
    expect(maskUrlCredentials('mongodb://h:1/?authSource=a@b')).toBe('mongodb://h:1/?authSource=a@b');
  });

  it('masks a password holding an unescaped @ whole', () => {
    expect(maskUrlCredentials('mongodb://app:p@ss@db:27017/x')).toBe('mongodb://***@db:27017/x');
  });
});

describe('connection security (TLS files, SASL, registry and MongoDB credentials)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ca = join(dir, 'ca.pem');
  writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n');
  const spec = { kafka: kafkaSpec({ clientId: 'svc' }), registry: registrySpec(), mongo: mongoSpec() };

  it('reads the TLS, SASL, bearer-token and MongoDB TLS settings', () => {
    const config = loadConfig(spec, {
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: ca,
      KAFKA_SSL_REJECT_UNAUTHORIZED: 'false',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'calculator',
      KAFKA_SASL_PASSWORD: 'pw',
      SCHEMA_REGISTRY_BEARER_TOKEN: 'tok',
      MONGO_URL: 'mongodb://app:pw@db:27017/?authSource=admin',
      MONGO_TLS: 'true',
      MONGO_TLS_CA_FILE: ca,
    });
    expect(config.kafka).toMatchObject({ ssl: true, sslCaFile: ca, sslRejectUnauthorized: false });
    expect(config.registry.bearerToken).toBe('tok');
    expect(config.mongo).toMatchObject({ tls: true, tlsCaFile: ca });
    expect(describeConfig(spec, config)).toMatchObject({
      registry: { bearerToken: '(hidden)' },
      mongo: { url: 'mongodb://***@db:27017/?authSource=admin' },
    });
  });

  it('names a CA file that does not exist, or is a directory', () => {
    const error = configError(() =>
      loadConfig(spec, {
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: join(dir, 'nope.pem'),
        MONGO_TLS: '1',
        MONGO_TLS_CA_FILE: dir,
      }),
    );
    expect(error.errors).toEqual([
      {
        path: 'KAFKA_SSL_CA_FILE',
        message: `Incorrect value: ${join(dir, 'nope.pem')}. Must be the path of a readable file.`,
      },
      { path: 'MONGO_TLS_CA_FILE', message: `Incorrect value: ${dir}. Must be the path of a readable file.` },
    ]);
    expect(file('F').parse(ca)).toEqual({ ok: true, value: ca });
  });

  it('refuses settings that would be silently ignored, and two ways of authenticating at once', () => {
    const error = configError(() =>
      loadConfig(spec, {
        KAFKA_SSL: 'false',
        KAFKA_SSL_CA_FILE: ca,
        KAFKA_SASL_USERNAME: 'calculator',
        KAFKA_SASL_PASSWORD: 'pw',
        SCHEMA_REGISTRY_USERNAME: 'u',
        SCHEMA_REGISTRY_PASSWORD: 'p',
        SCHEMA_REGISTRY_BEARER_TOKEN: 'tok',
        MONGO_TLS_CA_FILE: ca,
      }),
    );
    expect(error.errors).toEqual([
      {
        path: 'KAFKA_SSL_CA_FILE',
        message: 'Set, but KAFKA_SSL is false. It is only used with KAFKA_SSL: set that too, or unset this.',
      },
      {
        path: 'KAFKA_SASL_USERNAME',
        message:
          'Set, but KAFKA_SASL_MECHANISM is not set. It is only used with KAFKA_SASL_MECHANISM: set that too, or unset this.',
      },
      {
        path: 'KAFKA_SASL_PASSWORD',
        message:
          'Set, but KAFKA_SASL_MECHANISM is not set. It is only used with KAFKA_SASL_MECHANISM: set that too, or unset this.',
      },
      {
        path: 'SCHEMA_REGISTRY_BEARER_TOKEN',
        message:
          'Set together with SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD. They are alternatives: set only one.',
      },
      {
        path: 'MONGO_TLS_CA_FILE',
        message:
          'Set, but MONGO_TLS is not set. It is only used with MONGO_TLS: set that too, or unset this.',
      },
    ]);
    expect(JSON.stringify(error.errors)).not.toMatch(/tok|pw/);
  });
});

// Type-level: optional without a default may be undefined; a default or required var may not.
const typed = loadConfig(
  { a: int('A', { optional: true }), b: int('B', { default: 1 }), c: int('C') },
  {
    A: '1',
    C: '1',
  },
);
const _a: number | undefined = typed.a;
const _b: number = typed.b;
const _c: number = typed.c;
// @ts-expect-error a may be undefined
const _aStrict: number = typed.a;
