// The projector's environment variables: declared in packages/config (services.ts), documented in
// docs/operations.md ("Configuration").
import { loadConfig, projectorConfigSpec, type ConfigOf } from '@drive-deposits/config';

export type ProjectorConfig = ConfigOf<typeof projectorConfigSpec>;

export const loadProjectorConfig = (env?: NodeJS.ProcessEnv): ProjectorConfig =>
  loadConfig(projectorConfigSpec, env);
