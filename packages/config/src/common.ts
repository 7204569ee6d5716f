// The variables of docs/architecture.md ("Configuration"), declared once. Each service composes
// its spec from these fragments plus its own few variables.
import { bool, int, list, oneOf, str, url } from './vars';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/** PORT, LOG_LEVEL, SHUTDOWN_TIMEOUT_MS, STARTUP_TIMEOUT_MS */
export const serviceSpec = ({ port }: { port: number }) => ({
  port: int('PORT', { default: port, min: 1, max: 65535 }),
  logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, { default: 'info' }),
  shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', { default: 10_000, min: 100, max: 600_000 }),
  // The start deadline: setup steps that fail transiently (a busy or starting registry, broker or
  // MongoDB, a concurrent writer) are retried with backoff until it passes; /readyz answers 503
  // meanwhile, and past it the service exits 1 saying what it waited for.
  startupTimeoutMs: int('STARTUP_TIMEOUT_MS', { default: 120_000, min: 1000, max: 3_600_000 }),
});

// Kafka's legal topic characters; the prefix is part of every topic name.
const TOPIC_PREFIX = /^[a-zA-Z0-9._-]{0,200}$/;
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\],]+):\d{1,5}$/;

/** KAFKA_*: connection (brokers, TLS, SASL) and the topics the services create */
export const kafkaSpec = ({ clientId }: { clientId: string }) => ({
  brokers: list('KAFKA_BROKERS', { default: ['127.0.0.1:9092'], item: HOST_PORT, itemAllowed: 'host:port' }),
  clientId: str('KAFKA_CLIENT_ID', { default: clientId }),
  ssl: bool('KAFKA_SSL', { default: false }),
  saslMechanism: oneOf('KAFKA_SASL_MECHANISM', SASL_MECHANISMS, { optional: true }),
  saslUsername: str('KAFKA_SASL_USERNAME', { optional: true, requiredWith: 'KAFKA_SASL_MECHANISM' }),
  saslPassword: str('KAFKA_SASL_PASSWORD', {
    optional: true,
    secret: true,
    requiredWith: 'KAFKA_SASL_MECHANISM',
  }),
  topicPrefix: str('KAFKA_TOPIC_PREFIX', {
    default: 'drive-deposits.',
    pattern: TOPIC_PREFIX,
    allowed: 'letters, digits, ".", "_" and "-" (at most 200)',
  }),
  topicPartitions: int('KAFKA_TOPIC_PARTITIONS', { default: 6, min: 1, max: 10_000 }),
  replicationFactor: int('KAFKA_REPLICATION_FACTOR', { default: 1, min: 1, max: 32 }),
});

/** SCHEMA_REGISTRY_*: URL and optional basic auth (both parts or neither) */
export const registrySpec = () => ({
  url: url('SCHEMA_REGISTRY_URL', {
    default: 'http://127.0.0.1:8081/apis/ccompat/v7',
    schemes: ['http', 'https'],
  }),
  username: str('SCHEMA_REGISTRY_USERNAME', { optional: true, requiredWith: 'SCHEMA_REGISTRY_PASSWORD' }),
  password: str('SCHEMA_REGISTRY_PASSWORD', {
    optional: true,
    secret: true,
    requiredWith: 'SCHEMA_REGISTRY_USERNAME',
  }),
});

/** MONGO_URL, MONGO_DB */
export const mongoSpec = () => ({
  url: url('MONGO_URL', { default: 'mongodb://127.0.0.1:27017', schemes: ['mongodb', 'mongodb+srv'] }),
  db: str('MONGO_DB', {
    default: 'drive_deposits',
    pattern: /^[^/\\. "$*<>:|?]{1,63}$/,
    allowed: 'a MongoDB database name (1 to 63 characters, none of /\\. "$*<>:|?)',
  }),
});

/** CONSUMER_GROUP, CONSUMER_SESSION_TIMEOUT_MS (calculator, projector) */
export const consumerSpec = ({ group }: { group: string }) => ({
  consumerGroup: str('CONSUMER_GROUP', { default: group }),
  // How soon the group notices a member that died without leaving: its partitions wait that long.
  sessionTimeoutMs: int('CONSUMER_SESSION_TIMEOUT_MS', { default: 30_000, min: 1000, max: 600_000 }),
});
