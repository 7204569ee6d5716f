// The schema registry client: @kafkajs/confluent-schema-registry for registering and fetching
// schemas (with its id cache), plus the two REST calls it does not expose: setting a subject's
// compatibility and a cheap readiness probe. Works with any Confluent-compatible registry URL,
// including one under a path (Apicurio's /apis/ccompat/v7).
import { DriveDepositsError } from '@drive-deposits/core';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';

export interface RegistryConfig {
  url: string;
  username?: string | undefined;
  password?: string | undefined;
}

export type Compatibility = 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE' | 'NONE';

export interface EventRegistry {
  readonly client: SchemaRegistry;
  setCompatibility(subject: string, level: Compatibility): Promise<void>;
  /** resolves when the registry answers */
  ping(): Promise<void>;
}

/** Bound on one registry request: a hung registry must not hang a consumer. */
export const REGISTRY_TIMEOUT_MS = 5000;

type Middleware = NonNullable<ConstructorParameters<typeof SchemaRegistry>[0]['middlewares']>[number];

const requestTimeout: Middleware = () => ({
  prepareRequest: (next) => next().then((request) => request.enhance({ timeout: REGISTRY_TIMEOUT_MS })),
});

export const unavailable = (doing: string, cause: unknown) =>
  new DriveDepositsError(
    'DD_DEPENDENCY_UNAVAILABLE',
    `Schema registry unavailable while ${doing}: ${cause instanceof Error ? cause.message : String(cause)}`,
    { cause },
  );

export function createEventRegistry(config: RegistryConfig, clientId = 'drive-deposits'): EventRegistry {
  const base = config.url.replace(/\/+$/, '');
  const auth =
    config.username !== undefined && config.password !== undefined
      ? { username: config.username, password: config.password }
      : undefined;
  const headers: Record<string, string> = {
    Accept: 'application/vnd.schemaregistry.v1+json, application/json',
  };
  if (auth !== undefined) {
    headers.Authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  }

  async function call(method: 'GET' | 'PUT', path: string, doing: string, body?: unknown): Promise<void> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers:
          body === undefined
            ? headers
            : { ...headers, 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REGISTRY_TIMEOUT_MS),
      });
    } catch (error) {
      throw unavailable(doing, error);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw unavailable(doing, new Error(`HTTP ${response.status} ${text.slice(0, 300)}`));
  }

  return {
    client: new SchemaRegistry({
      host: base,
      clientId,
      auth,
      retry: { retries: 2 },
      middlewares: [requestTimeout],
    }),
    setCompatibility: (subject, level) =>
      call('PUT', `/config/${encodeURIComponent(subject)}`, `setting ${subject} to ${level}`, {
        compatibility: level,
      }),
    ping: () => call('GET', '/config', 'answering readiness'),
  };
}
