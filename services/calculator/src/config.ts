// The calculator's environment variables (docs/architecture.md "Configuration").
import {
  consumerSpec,
  int,
  kafkaSpec,
  registrySpec,
  serviceSpec,
  type ConfigOf,
} from '@drive-deposits/config';

export const calculatorSpec = {
  ...serviceSpec({ port: 3002 }),
  kafka: kafkaSpec({ clientId: 'calculator' }),
  registry: registrySpec(),
  ...consumerSpec({ group: 'drive-deposits-calculator' }),
  // How soon the group notices a member that died without leaving (its partitions wait that long).
  sessionTimeoutMs: int('CONSUMER_SESSION_TIMEOUT_MS', { default: 30_000, min: 1000, max: 600_000 }),
};

export type CalculatorConfig = ConfigOf<typeof calculatorSpec>;
