// What each of the four services reads: its spec, one key per concern (`service`, `kafka`,
// `registry`, `mongo`, `consumer`, `commands`, `auth`), so every service's config has the same shape.
// services/<name>/src/config.ts loads its own; scripts/config-reference.ts documents all four.
import { authSpec, consumerSpec, kafkaSpec, mongoSpec, registrySpec, serviceSpec } from './common';
import type { Spec } from './load';
import { int } from './vars';

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

export const SERVICE_NAMES = ['command-api', 'query-api', 'calculator', 'projector'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The four specs by service name, in the order of the docs (APIs, then consumers). */
export const SERVICE_SPECS: Readonly<Record<ServiceName, Spec>> = {
  'command-api': commandApiConfigSpec,
  'query-api': queryApiConfigSpec,
  calculator: calculatorConfigSpec,
  projector: projectorConfigSpec,
};
