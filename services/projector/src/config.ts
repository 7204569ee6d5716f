// The projector's environment (docs/architecture.md "Configuration").
import {
  consumerSpec,
  kafkaSpec,
  loadConfig,
  mongoSpec,
  registrySpec,
  serviceSpec,
  type ConfigOf,
} from '@drive-deposits/config';

export const projectorConfigSpec = {
  service: serviceSpec({ port: 3003 }),
  kafka: kafkaSpec({ clientId: 'projector' }),
  registry: registrySpec(),
  mongo: mongoSpec(),
  consumer: consumerSpec({ group: 'drive-deposits-projector' }),
};

export type ProjectorConfig = ConfigOf<typeof projectorConfigSpec>;

export const loadProjectorConfig = (env?: NodeJS.ProcessEnv): ProjectorConfig =>
  loadConfig(projectorConfigSpec, env);
