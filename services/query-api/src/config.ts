// The query API's environment variables: declared in packages/config (services.ts), documented in
// docs/operations.md ("Configuration"). It reads MongoDB only.
import { loadConfig, queryApiConfigSpec, type ConfigOf } from '@drive-deposits/config';

export type QueryApiConfig = ConfigOf<typeof queryApiConfigSpec>;

export const loadQueryApiConfig = (env?: NodeJS.ProcessEnv): QueryApiConfig =>
  loadConfig(queryApiConfigSpec, env);
