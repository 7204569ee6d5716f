// What the generated artifacts need beyond the declarations: where each deployment's servers are,
// and which Helm value sets each variable. Everything else (names, readers, defaults, allowed
// values) comes from packages/config.

/**
 * The server addresses inside each deployment, the only defaults that differ from the code's (the
 * code's are 127.0.0.1, the local servers'). Compose: the services reach Kafka on its DOCKER
 * listener (kafka:19092; 9092 advertises 127.0.0.1, right for the host only) and cp-schema-registry
 * at its root, and the dashboard the two APIs by their compose service names. Helm: Services named
 * kafka, schema-registry and mongo in the release's namespace (the dashboard's API addresses are
 * the release's own Services: `serviceUrl` in HELM).
 */
export const ENDPOINTS: Record<'compose' | 'helm', Record<string, string>> = {
  compose: {
    KAFKA_BROKERS: 'kafka:19092',
    SCHEMA_REGISTRY_URL: 'http://schema-registry:8081',
    MONGO_URL: 'mongodb://mongo:27017',
    COMMAND_API_URL: 'http://command-api:3000',
    QUERY_API_URL: 'http://query-api:3001',
  },
  helm: {
    KAFKA_BROKERS: 'kafka:9092',
    SCHEMA_REGISTRY_URL: 'http://schema-registry:8081',
    MONGO_URL: 'mongodb://mongo:27017',
  },
};

/**
 * Compose: variables the host may set for the containers, by the host variable's name. The
 * endpoints use COMPOSE_* names because the host's scripts export KAFKA_BROKERS & co. with
 * 127.0.0.1 addresses, which are wrong inside a container.
 */
export const COMPOSE_FROM_HOST: Record<string, string> = {
  LOG_LEVEL: 'LOG_LEVEL',
  KAFKA_BROKERS: 'COMPOSE_KAFKA_BROKERS',
  SCHEMA_REGISTRY_URL: 'COMPOSE_SCHEMA_REGISTRY_URL',
  MONGO_URL: 'COMPOSE_MONGO_URL',
  // The APIs refuse to start without these (AUTH_MODE=jwt): the host gives its issuer, or AUTH_MODE=off.
  AUTH_MODE: 'AUTH_MODE',
  AUTH_ISSUER: 'AUTH_ISSUER',
  AUTH_AUDIENCE: 'AUTH_AUDIENCE',
  AUTH_JWKS_URL: 'AUTH_JWKS_URL',
  AUTH_PUBLIC_KEY: 'AUTH_PUBLIC_KEY',
};

/** Where the chart takes a variable from. `when`: a value that must be non-empty for it to be set. */
export type HelmSource = (
  | { value: string } // a values path shared by every service
  | { serviceValue: string } // services.<name>.<key>
  | { serviceName: true } // the service's name
  | { secret: string } // secrets.<key> (the chart's Secret) under the key name secrets.keys.<key>
  | { serviceUrl: 'command-api' | 'query-api' } // http://<that service's Service in this release>:<its port>
) & { when?: string };

export const HELM: Record<string, HelmSource> = {
  PORT: { serviceValue: 'port' },
  LOG_LEVEL: { value: 'config.logLevel' },
  SHUTDOWN_TIMEOUT_MS: { value: 'config.shutdownTimeoutMs' },
  STARTUP_TIMEOUT_MS: { value: 'config.startupTimeoutMs' },
  KAFKA_BROKERS: { value: 'kafka.brokers' },
  KAFKA_CLIENT_ID: { serviceName: true },
  KAFKA_SSL: { value: 'kafka.ssl' },
  KAFKA_SSL_CA_FILE: { value: 'kafka.sslCaFile', when: 'kafka.sslCaFile' },
  KAFKA_SSL_REJECT_UNAUTHORIZED: { value: 'kafka.sslRejectUnauthorized' },
  KAFKA_SASL_MECHANISM: { value: 'kafka.sasl.mechanism', when: 'kafka.sasl.mechanism' },
  KAFKA_SASL_USERNAME: { value: 'kafka.sasl.username', when: 'kafka.sasl.mechanism' },
  KAFKA_SASL_PASSWORD: { secret: 'kafkaSaslPassword', when: 'kafka.sasl.mechanism' },
  KAFKA_TOPIC_PREFIX: { value: 'kafka.topicPrefix' },
  KAFKA_TOPIC_PARTITIONS: { value: 'kafka.topicPartitions' },
  KAFKA_REPLICATION_FACTOR: { value: 'kafka.replicationFactor' },
  SCHEMA_REGISTRY_URL: { value: 'schemaRegistry.url' },
  SCHEMA_REGISTRY_USERNAME: { value: 'schemaRegistry.username', when: 'schemaRegistry.username' },
  SCHEMA_REGISTRY_PASSWORD: { secret: 'schemaRegistryPassword', when: 'schemaRegistry.username' },
  SCHEMA_REGISTRY_BEARER_TOKEN: { secret: 'schemaRegistryBearerToken', when: 'schemaRegistry.bearerAuth' },
  SCHEMA_REGISTRY_BEARER_TOKEN_FILE: {
    value: 'schemaRegistry.bearerTokenFile',
    when: 'schemaRegistry.bearerTokenFile',
  },
  MONGO_URL: { secret: 'mongoUrl' },
  MONGO_DB: { value: 'mongo.db' },
  MONGO_TLS: { value: 'mongo.tls' },
  MONGO_TLS_CA_FILE: { value: 'mongo.tlsCaFile', when: 'mongo.tlsCaFile' },
  CONSUMER_GROUP: { serviceValue: 'consumerGroup' },
  CONSUMER_SESSION_TIMEOUT_MS: { value: 'kafka.consumerSessionTimeoutMs' },
  IDEMPOTENCY_TTL_SECONDS: { serviceValue: 'idempotencyTtlSeconds' },
  SYNC_WAIT_MAX_SECONDS: { serviceValue: 'syncWaitMaxSeconds' },
  COMMAND_API_URL: { serviceUrl: 'command-api' },
  QUERY_API_URL: { serviceUrl: 'query-api' },
  API_TIMEOUT_MS: { serviceValue: 'apiTimeoutMs' },
  AUTH_MODE: { value: 'auth.mode' },
  AUTH_ISSUER: { value: 'auth.issuer', when: 'auth.issuer' },
  AUTH_AUDIENCE: { value: 'auth.audience', when: 'auth.audience' },
  AUTH_JWKS_URL: { value: 'auth.jwksUrl', when: 'auth.jwksUrl' },
  AUTH_PUBLIC_KEY: { value: 'auth.publicKey', when: 'auth.publicKey' },
  AUTH_PUBLIC_KEY_FILE: { value: 'auth.publicKeyFile', when: 'auth.publicKeyFile' },
  AUTH_OWNER_CLAIM: { value: 'auth.ownerClaim' },
  AUTH_CLOCK_TOLERANCE_SECONDS: { value: 'auth.clockToleranceSeconds' },
};

/** A source that no value sets: the chart derives the variable from the release itself. */
export type DerivedSource = Extract<HelmSource, { serviceName: true } | { serviceUrl: string }>;

export const isDerived = (source: HelmSource): source is DerivedSource =>
  'serviceName' in source || 'serviceUrl' in source;

/** What the docs say sets a derived variable. */
export const derivedText = (source: DerivedSource): string =>
  'serviceName' in source
    ? 'the service name'
    : `the release's ${source.serviceUrl} Service (\`services.${source.serviceUrl}.port\`)`;

/** The values key that sets a variable, as the docs name it. */
export function helmKey(source: Exclude<HelmSource, DerivedSource>): string {
  if ('value' in source) return source.value;
  if ('serviceValue' in source) return `services.<name>.${source.serviceValue}`;
  return `secrets.${source.secret}`;
}
