// The command API's environment variables: declared in packages/config (services.ts), documented in
// docs/operations.md ("Configuration").
import { commandApiConfigSpec, loadConfig, resolveAuth, type ConfigOf } from '@drive-deposits/config';

export { commandApiConfigSpec };

type Loaded = ConfigOf<typeof commandApiConfigSpec>;
/** The loaded variables, AUTH_* resolved (AUTH_PUBLIC_KEY_FILE read; jwt settings complete). */
export type CommandApiConfig = Omit<Loaded, 'auth'> & { auth: ReturnType<typeof resolveAuth> };

export function loadCommandApiConfig(env?: NodeJS.ProcessEnv): CommandApiConfig {
  const config = loadConfig(commandApiConfigSpec, env);
  return { ...config, auth: resolveAuth(config.auth) };
}
