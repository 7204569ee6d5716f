import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '@drive-deposits/logging';
import { createConsumer, createKafka, onPermanentCrash, tlsOptions } from './client';

const connection = { brokers: ['127.0.0.1:1'], clientId: 'svc', ssl: false };

describe('createKafka', () => {
  it('sends kafkajs logs through pino', () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const kafka = createKafka(connection, createLogger({ service: 'svc', destination }));
    kafka.logger().error('Connection error', { broker: '127.0.0.1:1' });
    kafka.logger().debug('dropped at info');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'error',
      service: 'svc',
      component: 'kafkajs',
      msg: 'Connection error',
      broker: '127.0.0.1:1',
    });
    expect(lines[0]).not.toHaveProperty('timestamp');
  });

  it('refuses a SASL mechanism without credentials', () => {
    const logger = createLogger({ service: 'svc', level: 'silent' });
    expect(() => createKafka({ ...connection, saslMechanism: 'plain' }, logger)).toThrow(
      expect.objectContaining({ code: 'DD_CONFIG_INVALID' }),
    );
  });
});

const afterCleanup: string[] = [];
afterAll(() => afterCleanup.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('tlsOptions', () => {
  it('is false without KAFKA_SSL, and verifies the brokers by default with it', () => {
    expect(tlsOptions(connection)).toBe(false);
    expect(tlsOptions({ ...connection, ssl: true })).toEqual({ rejectUnauthorized: true });
    expect(tlsOptions({ ...connection, ssl: true, sslRejectUnauthorized: false })).toEqual({
      rejectUnauthorized: false,
    });
  });

  it('trusts the CA of KAFKA_SSL_CA_FILE, and says so when it cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-kafka-'));
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, 'PEM');
    afterCleanup.push(dir);
    expect(tlsOptions({ ...connection, ssl: true, sslCaFile: ca })).toEqual({
      rejectUnauthorized: true,
      ca: ['PEM'],
    });
    expect(() => tlsOptions({ ...connection, ssl: true, sslCaFile: `${ca}.gone` })).toThrow(
      expect.objectContaining({
        code: 'DD_CONFIG_INVALID',
        message: expect.stringContaining('KAFKA_SSL_CA_FILE'),
      }),
    );
  });
});

describe('createConsumer', () => {
  const consumerConfigOf = (sessionTimeoutMs?: number) => {
    let seen: unknown;
    const kafka = { consumer: (config: unknown) => ((seen = config), {}) } as unknown as Parameters<
      typeof createConsumer
    >[0];
    createConsumer(kafka, 'group-a', sessionTimeoutMs, { maxWaitTimeInMs: 1000 });
    return seen;
  };

  it('reads committed records and heartbeats at a third of the session timeout, at most every 3 s', () => {
    expect(consumerConfigOf(6000)).toEqual({
      groupId: 'group-a',
      readUncommitted: false,
      sessionTimeout: 6000,
      heartbeatInterval: 2000,
      maxWaitTimeInMs: 1000,
    });
    expect(consumerConfigOf()).toMatchObject({ sessionTimeout: 30_000, heartbeatInterval: 3000 });
  });
});

describe('onPermanentCrash', () => {
  it('fails only on a crash kafkajs will not restart from', () => {
    const listeners: ((event: { payload: { restart: boolean; error: Error } }) => void)[] = [];
    const consumer = {
      events: { CRASH: 'consumer.crash' },
      on: (_event: string, listener: (typeof listeners)[number]) => listeners.push(listener),
    } as unknown as Parameters<typeof onPermanentCrash>[0];
    const failures: unknown[] = [];
    onPermanentCrash(consumer, (error) => failures.push(error));
    const restarting = new Error('retriable');
    const permanent = new Error('non-retriable');
    listeners.forEach((listener) => listener({ payload: { restart: true, error: restarting } }));
    listeners.forEach((listener) => listener({ payload: { restart: false, error: permanent } }));
    expect(failures).toEqual([permanent]);
  });
});
