// The command API's environment variables (docs/architecture.md "Configuration").
import { int, kafkaSpec, mongoSpec, registrySpec, serviceSpec, type ConfigOf } from '@drive-deposits/config';

export const commandApiSpec = {
  ...serviceSpec({ port: 3000 }),
  kafka: kafkaSpec({ clientId: 'command-api' }),
  registry: registrySpec(),
  mongo: mongoSpec(),
  idempotencyTtlSeconds: int('IDEMPOTENCY_TTL_SECONDS', { default: 86_400, min: 60, max: 30 * 86_400 }),
  syncWaitMaxSeconds: int('SYNC_WAIT_MAX_SECONDS', { default: 30, min: 0, max: 300 }),
};

export type CommandApiConfig = ConfigOf<typeof commandApiSpec>;
