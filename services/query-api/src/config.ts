// The query API's environment variables: declared in packages/config (services.ts), documented in
// docs/operations.md ("Configuration"). It reads MongoDB only.
import { loadConfig, resolveAuth, queryApiConfigSpec, type ConfigOf } from '@drive-deposits/config';

type Loaded = ConfigOf<typeof queryApiConfigSpec>;
/** The loaded variables, AUTH_* resolved (AUTH_PUBLIC_KEY_FILE read; jwt settings complete). */
export type QueryApiConfig = Omit<Loaded, 'auth'> & { auth: ReturnType<typeof resolveAuth> };

export function loadQueryApiConfig(env?: NodeJS.ProcessEnv): QueryApiConfig {
  const config = loadConfig(queryApiConfigSpec, env);
  return { ...config, auth: resolveAuth(config.auth) };
}
