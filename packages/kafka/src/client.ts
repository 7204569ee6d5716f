// The kafkajs client every service uses: its logs go through pino, its connection settings come from
// the KAFKA_* variables, and producers partition keys the way Java clients do.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { DriveDepositsError } from '@drive-deposits/core';
import type { Logger } from '@drive-deposits/logging';
import {
  Kafka,
  logLevel as KafkaLogLevel,
  Partitioners,
  type Admin,
  type Consumer,
  type ConsumerConfig,
  type LogEntry,
  type Producer,
  type ProducerConfig,
  type SASLOptions,
} from 'kafkajs';
import { toKafkaError } from './errors';

/** The connection part of `kafkaSpec` in @drive-deposits/config (structurally; extra keys are fine). */
export interface KafkaConnectionConfig {
  brokers: string[];
  clientId: string;
  ssl: boolean;
  /** PEM file of the brokers' CA (KAFKA_SSL_CA_FILE); unset: Node's bundled CAs */
  sslCaFile?: string | undefined;
  /** KAFKA_SSL_REJECT_UNAUTHORIZED; default true */
  sslRejectUnauthorized?: boolean | undefined;
  saslMechanism?: 'plain' | 'scram-sha-256' | 'scram-sha-512' | undefined;
  saslUsername?: string | undefined;
  saslPassword?: string | undefined;
}

const TO_KAFKAJS_LEVEL: Record<string, KafkaLogLevel> = {
  silent: KafkaLogLevel.NOTHING,
  fatal: KafkaLogLevel.ERROR,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
  trace: KafkaLogLevel.DEBUG,
};

function logCreator(logger: Logger) {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      // kafkajs' own timestamp and logger name duplicate pino's fields.
      const { message, timestamp: _timestamp, logger: _name, ...fields } = log;
      const line = { namespace, ...fields };
      if (level === KafkaLogLevel.ERROR) kafkaLogger.error(line, message);
      else if (level === KafkaLogLevel.WARN) kafkaLogger.warn(line, message);
      else if (level === KafkaLogLevel.INFO) kafkaLogger.info(line, message);
      else kafkaLogger.debug(line, message);
    };
}

function sasl(config: KafkaConnectionConfig): SASLOptions | undefined {
  const { saslMechanism: mechanism, saslUsername: username, saslPassword: password } = config;
  if (mechanism === undefined) return undefined;
  if (username === undefined || password === undefined) {
    throw new DriveDepositsError(
      'DD_CONFIG_INVALID',
      `SASL mechanism ${mechanism} needs a username and a password`,
    );
  }
  return { mechanism, username, password } as SASLOptions;
}

/** kafkajs' `ssl`: false, or the TLS options (a custom CA, whether to verify the brokers). */
export function tlsOptions(config: KafkaConnectionConfig): false | ConnectionOptions {
  if (!config.ssl) return false;
  const options: ConnectionOptions = { rejectUnauthorized: config.sslRejectUnauthorized ?? true };
  if (config.sslCaFile !== undefined) {
    try {
      options.ca = [readFileSync(config.sslCaFile, 'utf8')];
    } catch (error) {
      throw new DriveDepositsError(
        'DD_CONFIG_INVALID',
        `KAFKA_SSL_CA_FILE ${config.sslCaFile} cannot be read: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  return options;
}

export function createKafka(config: KafkaConnectionConfig, logger: Logger): Kafka {
  return new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    ssl: tlsOptions(config),
    sasl: sasl(config),
    // Fail a dead broker connection quickly; retry with backoff for about half a minute overall
    // before an operation gives up (consumers restart themselves, /readyz reports the outage).
    connectionTimeout: 3000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 8 },
    logLevel: TO_KAFKAJS_LEVEL[logger.level] ?? KafkaLogLevel.INFO,
    logCreator: logCreator(logger),
  });
}

/**
 * A producer with the Java-compatible (murmur2) partitioner stated explicitly, so a portfolio's
 * events land on the same partition whichever client produced them (and kafkajs does not warn).
 */
export const createProducer = (kafka: Kafka, config: ProducerConfig = {}): Producer =>
  kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, ...config });

/** Readiness: the cluster answers a metadata request through this (connected) admin client. */
export const kafkaReadiness = (admin: Admin) => async (): Promise<void> => {
  await admin.describeCluster();
};

/**
 * A `read_committed` consumer of `groupId`. It heartbeats at a third of the session timeout (at most
 * 3 s), so a dead member's partitions move after `sessionTimeoutMs` (CONSUMER_SESSION_TIMEOUT_MS).
 */
export const createConsumer = (
  kafka: Kafka,
  groupId: string,
  sessionTimeoutMs = 30_000,
  config: Omit<ConsumerConfig, 'groupId' | 'sessionTimeout' | 'heartbeatInterval'> = {},
): Consumer =>
  kafka.consumer({
    readUncommitted: false,
    ...config,
    groupId,
    sessionTimeout: sessionTimeoutMs,
    heartbeatInterval: Math.min(3000, Math.floor(sessionTimeoutMs / 3)),
  });

/**
 * Calls `fail` when the consumer crashes for good (kafkajs will not restart it, e.g. after a
 * non-retriable error). The services then end the process so the orchestrator restarts it, rather
 * than leaving a live, ready process that consumes nothing (found stalled by bench:pipeline).
 */
export function onPermanentCrash(consumer: Consumer, fail: (error: unknown) => void): void {
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    // as DD_DEPENDENCY_UNAVAILABLE, with toKafkaError's hints (e.g. a missing group ACL)
    if (!payload.restart) fail(toKafkaError(payload.error, 'consuming'));
  });
}
