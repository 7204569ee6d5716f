// The query API's environment (docs/architecture.md "Configuration"): it reads MongoDB only.
import { loadConfig, mongoSpec, serviceSpec, type ConfigOf } from '@drive-deposits/config';

export const queryApiConfigSpec = {
  service: serviceSpec({ port: 3001 }),
  mongo: mongoSpec(),
};

export type QueryApiConfig = ConfigOf<typeof queryApiConfigSpec>;

export const loadQueryApiConfig = (env?: NodeJS.ProcessEnv): QueryApiConfig =>
  loadConfig(queryApiConfigSpec, env);
