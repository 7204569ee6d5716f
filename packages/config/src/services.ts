// What each of the five services reads: its spec, one key per concern (`service`, `kafka`,
// `registry`, `mongo`, `consumer`, `commands`, `apis`, `auth`), so every service's config has the same shape.
// services/<name>/src/config.ts loads its own; scripts/config-reference.ts documents all five.
import { authSpec, consumerSpec, kafkaSpec, mongoSpec, registrySpec, serviceSpec } from './common';
import type { Spec } from './load';
import { int, url } from './vars';

/** The command API's own: idempotency keys and `Prefer: wait=N`. */
export const commandsSpec = () => ({
  idempotencyTtlSeconds: int('IDEMPOTENCY_TTL_SECONDS', {
    default: 86_400,
    min: 60,
    max: 30 * 86_400,
    description: 'how long an `Idempotency-Key` is remembered',
  }),
  syncWaitMaxSeconds: int('SYNC_WAIT_MAX_SECONDS', {
    default: 30,
    min: 0,
    max: 300,
    description: 'cap on `Prefer: wait=N`',
  }),
});

/** The dashboard's own: where the two APIs it forwards `/api/…` to answer, and how long it waits. */
export const apisSpec = () => ({
  commandUrl: url('COMMAND_API_URL', {
    default: 'http://127.0.0.1:3000',
    schemes: ['http', 'https'],
    description: 'base URL of the command API: `/api/…` requests other than GET and HEAD go there',
  }),
  queryUrl: url('QUERY_API_URL', {
    default: 'http://127.0.0.1:3001',
    schemes: ['http', 'https'],
    description: 'base URL of the query API: `/api/…` GET and HEAD requests go there',
  }),
  // Above the command API's SYNC_WAIT_MAX_SECONDS cap (30 s), so a `Prefer: wait` is never cut short.
  timeoutMs: int('API_TIMEOUT_MS', {
    default: 35_000,
    min: 100,
    max: 600_000,
    description: "how long the dashboard waits for an API's answer (then `504 DD_TIMEOUT`)",
  }),
});

export const commandApiConfigSpec = {
  service: serviceSpec({ port: 3000 }),
  kafka: kafkaSpec({ clientId: 'command-api' }),
  registry: registrySpec(),
  mongo: mongoSpec(),
  commands: commandsSpec(),
  auth: authSpec(),
};

/** Reads MongoDB only. */
export const queryApiConfigSpec = {
  service: serviceSpec({ port: 3001 }),
  mongo: mongoSpec(),
  auth: authSpec(),
};

export const calculatorConfigSpec = {
  service: serviceSpec({ port: 3002 }),
  kafka: kafkaSpec({ clientId: 'calculator' }),
  registry: registrySpec(),
  consumer: consumerSpec({ group: 'drive-deposits-calculator' }),
};

export const projectorConfigSpec = {
  service: serviceSpec({ port: 3003 }),
  kafka: kafkaSpec({ clientId: 'projector' }),
  registry: registrySpec(),
  mongo: mongoSpec(),
  consumer: consumerSpec({ group: 'drive-deposits-projector' }),
};

/** The web page; `/api/…` forwarded to the two APIs. No Kafka, no MongoDB. */
export const dashboardConfigSpec = {
  service: serviceSpec({ port: 3004 }),
  apis: apisSpec(),
};

export const SERVICE_NAMES = ['command-api', 'query-api', 'calculator', 'projector', 'dashboard'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The five specs by service name, in the order of the docs (APIs, then consumers, then the page). */
export const SERVICE_SPECS: Readonly<Record<ServiceName, Spec>> = {
  'command-api': commandApiConfigSpec,
  'query-api': queryApiConfigSpec,
  calculator: calculatorConfigSpec,
  projector: projectorConfigSpec,
  dashboard: dashboardConfigSpec,
};
