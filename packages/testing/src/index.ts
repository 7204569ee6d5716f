// Helpers for integration and end-to-end tests. The servers themselves come from the jest global
// setup (./globalSetup.ts), which exports their addresses to every test worker through these
// environment variables.

export const SERVER_ENV_VARS = ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'MONGO_URL'] as const;
export type ServerEnvVar = (typeof SERVER_ENV_VARS)[number];

function required(name: ServerEnvVar, server: string): string {
  const value = process.env[name]?.trim();
  if (!value) {
    throw new Error(
      `${name} is not set, so this test does not know where ${server} is. Run it in jest's "int" project ` +
        `(its global setup provides the servers: npx jest --selectProjects int), or set ${name} yourself.`,
    );
  }
  return value;
}

/** Kafka bootstrap servers as kafkajs wants them (`KAFKA_BROKERS` is comma-separated `host:port`). */
export function kafkaBrokers(): string[] {
  return required('KAFKA_BROKERS', 'Kafka')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
}

/** Base URL of the Confluent-compatible schema registry API (it may carry a path, e.g. Apicurio's `/apis/ccompat/v7`). */
export function schemaRegistryUrl(): string {
  return required('SCHEMA_REGISTRY_URL', 'the schema registry').replace(/\/+$/, '');
}

/** MongoDB connection string. */
export function mongoUrl(): string {
  return required('MONGO_URL', 'MongoDB');
}

export { uniqueName } from './names';

export { readTopic } from './topics';
export type { ReadTopicOptions, TopicMessage } from './topics';
export { buildServices, freePort, isolatedEnv, REPO_ROOT, startServiceProcess } from './processes';
export type { ServiceName, ServiceProcess } from './processes';

export { openApiLoadProblems, openApiValidator } from './openapi';
export type { OpenApiResponseValidator } from './openapi';

export { ferretDbBinary, startFerretDb } from './private-ferretdb';
export type { FerretDbTls, PrivateFerretDb } from './private-ferretdb';

export { makeTestCertificates } from './certificates';
export type { TestCertificates } from './certificates';

export { sortPlanOf } from './query-plan';
export type { SortPlan } from './query-plan';

export { SPEC_EXAMPLES_DIR, specExample } from './spec-examples';

export { startPrivateKafka } from './private-kafka';
export type { PrivateKafka, PrivateKafkaOptions } from './private-kafka';
export {
  ALL_SCOPES,
  authHeader,
  TEST_AUDIENCE,
  TEST_ISSUER,
  TEST_PRIVATE_KEY,
  TEST_PUBLIC_KEY_PEM,
  testAuthEnv,
  signTestToken,
  testAuthorization,
  testAuthSettings,
  testToken,
} from './auth';
export type { TestTokenOptions } from './auth';
