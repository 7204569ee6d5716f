// The command API's environment variables: declared in packages/config (services.ts), documented in
// docs/operations.md ("Configuration").
import { commandApiConfigSpec, loadConfig, type ConfigOf } from '@drive-deposits/config';

export { commandApiConfigSpec };

export type CommandApiConfig = ConfigOf<typeof commandApiConfigSpec>;

export const loadCommandApiConfig = (env?: NodeJS.ProcessEnv): CommandApiConfig =>
  loadConfig(commandApiConfigSpec, env);
