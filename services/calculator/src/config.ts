// The calculator's environment variables (docs/architecture.md "Configuration").
import { consumerSpec, kafkaSpec, registrySpec, serviceSpec, type ConfigOf } from '@drive-deposits/config';

export const calculatorSpec = {
  ...serviceSpec({ port: 3002 }),
  kafka: kafkaSpec({ clientId: 'calculator' }),
  registry: registrySpec(),
  ...consumerSpec({ group: 'drive-deposits-calculator' }),
};

export type CalculatorConfig = ConfigOf<typeof calculatorSpec>;
