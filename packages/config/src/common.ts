// The environment variables, declared once, in fragments per concern; ./services.ts composes each
// service's spec from them. docs/operations.md's table, the Helm chart's environment and schema and
// docker-compose.yml's environment are generated from these (npm run config:generate).
import { bool, file, int, list, oneOf, str, url } from './vars';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/** PORT, LOG_LEVEL, SHUTDOWN_TIMEOUT_MS, STARTUP_TIMEOUT_MS */
export const serviceSpec = ({ port }: { port: number }) => ({
  port: int('PORT', {
    default: port,
    min: 1,
    max: 65535,
    description: 'HTTP port: the API or the web page, or health and /metrics only',
  }),
  logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, { default: 'info', description: 'pino log level' }),
  shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', {
    default: 10_000,
    min: 100,
    max: 600_000,
    description: 'bound on the graceful shutdown after SIGTERM',
  }),
  // The start deadline: setup steps that fail transiently (a busy or starting registry, broker or
  // MongoDB, a concurrent writer) are retried with backoff until it passes; /readyz answers 503
  // meanwhile, and past it the service exits 1 saying what it waited for.
  startupTimeoutMs: int('STARTUP_TIMEOUT_MS', {
    default: 120_000,
    min: 1000,
    max: 3_600_000,
    description:
      'start deadline: setup steps failing transiently are retried until then, then the service exits 1',
  }),
});

// Kafka's legal topic characters; the prefix is part of every topic name.
const TOPIC_PREFIX = /^[a-zA-Z0-9._-]{0,200}$/;
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\],]+):\d{1,5}$/;

/** KAFKA_*: connection (brokers, TLS, SASL) and the topics the services create */
export const kafkaSpec = ({ clientId }: { clientId: string }) => ({
  brokers: list('KAFKA_BROKERS', {
    default: ['127.0.0.1:9092'],
    item: HOST_PORT,
    itemAllowed: 'host:port',
    description: 'the Kafka bootstrap brokers (`[v6]:port` allowed)',
  }),
  clientId: str('KAFKA_CLIENT_ID', { default: clientId, description: 'Kafka client id' }),
  ssl: bool('KAFKA_SSL', { default: false, description: 'TLS to the brokers' }),
  sslCaFile: file('KAFKA_SSL_CA_FILE', {
    optional: true,
    onlyWith: 'KAFKA_SSL',
    description: "PEM file of the CA(s) that signed the brokers' certificates (unset: the system's CAs)",
  }),
  sslRejectUnauthorized: bool('KAFKA_SSL_REJECT_UNAUTHORIZED', {
    default: true,
    description:
      "verify the brokers' certificates and host names (false only for tests: anyone can impersonate a broker)",
  }),
  saslMechanism: oneOf('KAFKA_SASL_MECHANISM', SASL_MECHANISMS, {
    optional: true,
    description: 'SASL authentication to the brokers (unset: none)',
  }),
  saslUsername: str('KAFKA_SASL_USERNAME', {
    optional: true,
    requiredWith: 'KAFKA_SASL_MECHANISM',
    onlyWith: 'KAFKA_SASL_MECHANISM',
    description: 'SASL user',
  }),
  saslPassword: str('KAFKA_SASL_PASSWORD', {
    optional: true,
    secret: true,
    requiredWith: 'KAFKA_SASL_MECHANISM',
    onlyWith: 'KAFKA_SASL_MECHANISM',
    description: 'SASL password',
  }),
  topicPrefix: str('KAFKA_TOPIC_PREFIX', {
    default: 'drive-deposits.',
    pattern: TOPIC_PREFIX,
    allowed: 'letters, digits, ".", "_" and "-" (at most 200)',
    description: 'prefix of every topic name',
  }),
  topicPartitions: int('KAFKA_TOPIC_PARTITIONS', {
    default: 6,
    min: 1,
    max: 10_000,
    description: 'partitions of the topics the services create',
  }),
  replicationFactor: int('KAFKA_REPLICATION_FACTOR', {
    default: 1,
    min: 1,
    max: 32,
    description: 'replication of the topics the services create (3 in production)',
  }),
});

/** SCHEMA_REGISTRY_*: URL and optional auth: basic (both parts or neither) or a bearer token */
export const registrySpec = () => ({
  // Confluent's address and API root. Registries that serve the Confluent API under a path (the
  // local Apicurio: /apis/ccompat/v7) are configured by their environment (infra/infra.sh env).
  url: url('SCHEMA_REGISTRY_URL', {
    default: 'http://127.0.0.1:8081',
    schemes: ['http', 'https'],
    description: 'base URL of the Confluent-compatible schema registry API, path included if it has one',
  }),
  username: str('SCHEMA_REGISTRY_USERNAME', {
    optional: true,
    requiredWith: 'SCHEMA_REGISTRY_PASSWORD',
    description: 'registry basic-auth user (with the password, or neither)',
  }),
  password: str('SCHEMA_REGISTRY_PASSWORD', {
    optional: true,
    secret: true,
    requiredWith: 'SCHEMA_REGISTRY_USERNAME',
    description: 'registry basic-auth password',
  }),
  bearerToken: str('SCHEMA_REGISTRY_BEARER_TOKEN', {
    optional: true,
    secret: true,
    conflictsWith: [
      'SCHEMA_REGISTRY_USERNAME',
      'SCHEMA_REGISTRY_PASSWORD',
      'SCHEMA_REGISTRY_BEARER_TOKEN_FILE',
    ],
    description: 'registry bearer token, sent as `Authorization: Bearer …` (instead of basic auth)',
  }),
  bearerTokenFile: file('SCHEMA_REGISTRY_BEARER_TOKEN_FILE', {
    optional: true,
    conflictsWith: ['SCHEMA_REGISTRY_USERNAME', 'SCHEMA_REGISTRY_PASSWORD'],
    description:
      'file holding the registry bearer token, read again for each request (a rotated token is picked up)',
  }),
});

/** MONGO_URL (with the user and password, hence a secret), MONGO_DB, MONGO_TLS* */
export const mongoSpec = () => ({
  url: url('MONGO_URL', {
    default: 'mongodb://127.0.0.1:27017',
    schemes: ['mongodb', 'mongodb+srv'],
    description:
      'MongoDB connection string; the user and password go here (`mongodb://user:pass@host/?authSource=admin`): credentials masked in logs and errors',
  }),
  tls: bool('MONGO_TLS', {
    default: false,
    description: 'TLS to MongoDB (false: as the URL says; `tls=true` in it or `mongodb+srv` turn TLS on too)',
  }),
  tlsCaFile: file('MONGO_TLS_CA_FILE', {
    optional: true,
    onlyWith: 'MONGO_TLS',
    description: "PEM file of the CA(s) that signed MongoDB's certificate (unset: the system's CAs)",
  }),
  db: str('MONGO_DB', {
    default: 'drive_deposits',
    pattern: /^[^/\\. "$*<>:|?]{1,63}$/,
    allowed: 'a MongoDB database name (1 to 63 characters, none of /\\. "$*<>:|?)',
    description: 'database of the read models and idempotency keys',
  }),
});

/** CONSUMER_GROUP, CONSUMER_SESSION_TIMEOUT_MS (calculator, projector) */
export const consumerSpec = ({ group }: { group: string }) => ({
  consumerGroup: str('CONSUMER_GROUP', { default: group, description: 'Kafka consumer group' }),
  // How soon the group notices a member that died without leaving: its partitions wait that long.
  sessionTimeoutMs: int('CONSUMER_SESSION_TIMEOUT_MS', {
    default: 30_000,
    min: 1000,
    max: 600_000,
    description: "consumer session timeout: how soon a dead member's partitions move",
  }),
});

export const AUTH_MODES = ['jwt', 'off'] as const;

/** AUTH_*: bearer JWTs on both APIs (packages/http auth.ts); checked together by `resolveAuth`. */
export const authSpec = () => ({
  mode: oneOf('AUTH_MODE', AUTH_MODES, {
    default: 'jwt',
    description:
      'jwt: every API route needs a bearer JWT; off: no authentication (every caller is owner `anonymous`)',
  }),
  issuer: str('AUTH_ISSUER', {
    optional: true,
    description: 'the accepted `iss` of tokens (required when AUTH_MODE=jwt)',
  }),
  audience: str('AUTH_AUDIENCE', {
    optional: true,
    description: 'the accepted `aud` of tokens (required when AUTH_MODE=jwt)',
  }),
  jwksUrl: url('AUTH_JWKS_URL', {
    optional: true,
    schemes: ['https', 'http'],
    description:
      "the issuer's JWKS: the token's `kid` picks the key (this or AUTH_PUBLIC_KEY(_FILE) when AUTH_MODE=jwt)",
  }),
  publicKey: str('AUTH_PUBLIC_KEY', {
    optional: true,
    description: 'one verification key instead of a JWKS: PEM (SPKI) or a public JWK as JSON',
  }),
  publicKeyFile: str('AUTH_PUBLIC_KEY_FILE', {
    optional: true,
    description: 'a file holding AUTH_PUBLIC_KEY',
  }),
  ownerClaim: str('AUTH_OWNER_CLAIM', {
    default: 'sub',
    pattern: /^[A-Za-z0-9_:./-]{1,100}$/,
    allowed: 'a claim name (letters, digits, _ : . / -)',
    description: "the claim whose value owns the caller's portfolios (e.g. a tenant claim)",
  }),
  clockToleranceSeconds: int('AUTH_CLOCK_TOLERANCE_SECONDS', {
    default: 30,
    min: 0,
    max: 300,
    description: 'clock skew allowed on `exp` and `nbf`',
  }),
});
