// The schema registry client: @kafkajs/confluent-schema-registry for registering and fetching
// schemas (with its id cache), plus the two REST calls it does not expose: setting a subject's
// compatibility and a cheap readiness probe. Works with any Confluent-compatible registry URL,
// including one under a path (Apicurio's /apis/ccompat/v7).
import { readFileSync } from 'node:fs';
import { DriveDepositsError } from '@drive-deposits/core';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';

/** The `registrySpec` part of @drive-deposits/config (structurally). */
export interface RegistryConfig {
  url: string;
  username?: string | undefined;
  password?: string | undefined;
  /** sent as `Authorization: Bearer <token>` */
  bearerToken?: string | undefined;
  /** a file holding the bearer token, read for each request (so a rotated token is used at once) */
  bearerTokenFile?: string | undefined;
}

/**
 * The `Authorization` header value of every registry request, or undefined without auth: basic from
 * the user and password, else the bearer token (from the variable, or the file read now).
 */
export function registryAuthorization(config: RegistryConfig): (() => string) | undefined {
  const { username, password, bearerToken, bearerTokenFile } = config;
  if (username !== undefined && password !== undefined) {
    const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    return () => basic;
  }
  if (bearerToken !== undefined) return () => `Bearer ${bearerToken.trim()}`;
  if (bearerTokenFile !== undefined) {
    return () => {
      let token: string;
      try {
        token = readFileSync(bearerTokenFile, 'utf8').trim();
      } catch (error) {
        throw unavailable(
          'reading the bearer token',
          new Error(`SCHEMA_REGISTRY_BEARER_TOKEN_FILE ${bearerTokenFile}: ${(error as Error).message}`),
        );
      }
      return `Bearer ${token}`;
    };
  }
  return undefined;
}

export type Compatibility = 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE' | 'NONE';

export interface EventRegistry {
  readonly client: SchemaRegistry;
  /**
   * Sets a subject's compatibility level. A 409 from a concurrent writer is success when the level
   * is then the one asked for. Failures are DD_DEPENDENCY_UNAVAILABLE, retriable when transient.
   */
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

/** The library knows basic auth only; a bearer token (or any other header value) goes in here. */
const authorizationHeader =
  (authorization: () => string): Middleware =>
  () => ({
    prepareRequest: (next) =>
      next().then((request) => request.enhance({ headers: { Authorization: authorization() } })),
  });

/**
 * Whether asking the registry again may succeed: anything but refused credentials (401, 403).
 * The status is no finer guide: the library reports a refused connection as "status 400".
 */
const isTransientStatus = (status: number | undefined): boolean => status !== 401 && status !== 403;

const statusOf = (error: unknown): number | undefined => {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
};

/** What the registry is, in an error: refused credentials (401, 403) are named as such. */
const registryState = (cause: unknown) =>
  isTransientStatus(statusOf(cause))
    ? 'Schema registry unavailable'
    : 'Schema registry refused the credentials (SCHEMA_REGISTRY_USERNAME and _PASSWORD, or _BEARER_TOKEN / _FILE)';

export const unavailable = (doing: string, cause: unknown) =>
  new DriveDepositsError(
    'DD_DEPENDENCY_UNAVAILABLE',
    `${registryState(cause)} while ${doing}: ${cause instanceof Error ? cause.message : String(cause)}`,
    {
      cause,
      // The library's own argument and schema validation errors carry no status but are final.
      retriable:
        !/Validation|Argument/.test((cause as Error | null)?.name ?? '') &&
        isTransientStatus(statusOf(cause)),
    },
  );

/** An HTTP error answer of the registry, with its status (as the library's errors carry it). */
class RegistryResponseError extends Error {
  constructor(
    readonly status: number,
    text: string,
  ) {
    super(`HTTP ${status} ${text.slice(0, 300)}`);
  }
}

export function createEventRegistry(config: RegistryConfig, clientId = 'drive-deposits'): EventRegistry {
  const base = config.url.replace(/\/+$/, '');
  const authorization = registryAuthorization(config);
  const accept = { Accept: 'application/vnd.schemaregistry.v1+json, application/json' };

  async function call(method: 'GET' | 'PUT', path: string, doing: string, body?: unknown): Promise<unknown> {
    let response: Response;
    const headers: Record<string, string> =
      authorization === undefined ? { ...accept } : { ...accept, Authorization: authorization() };
    if (body !== undefined) headers['Content-Type'] = 'application/vnd.schemaregistry.v1+json';
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REGISTRY_TIMEOUT_MS),
      });
    } catch (error) {
      throw unavailable(doing, error);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw unavailable(doing, new RegistryResponseError(response.status, text));
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }

  const configPath = (subject: string) => `/config/${encodeURIComponent(subject)}`;

  async function getCompatibility(subject: string): Promise<string | undefined> {
    const answer = (await call('GET', configPath(subject), `reading ${subject}'s compatibility`)) as {
      compatibilityLevel?: unknown;
      compatibility?: unknown;
    } | null;
    const level = answer?.compatibilityLevel ?? answer?.compatibility;
    return typeof level === 'string' ? level.toUpperCase() : undefined;
  }

  async function setCompatibility(subject: string, level: Compatibility): Promise<void> {
    const doing = `setting ${subject} to ${level}`;
    try {
      await call('PUT', configPath(subject), doing, { compatibility: level });
    } catch (error) {
      // Apicurio answers 409 "A rule named 'COMPATIBILITY' already exists." to the loser of two
      // services setting it at once. What counts is the state: the level we want is set.
      if (statusOf((error as Error).cause) !== 409) throw error;
      const current = await getCompatibility(subject);
      if (current === level) return;
      throw unavailable(
        doing,
        new Error(`HTTP 409 from a concurrent writer, and the level is ${current ?? 'unset'}`),
      );
    }
  }

  return {
    client: new SchemaRegistry({
      host: base,
      clientId,
      retry: { retries: 2 },
      middlewares:
        authorization === undefined ? [requestTimeout] : [requestTimeout, authorizationHeader(authorization)],
    }),
    setCompatibility,
    ping: async () => {
      await call('GET', '/config', 'answering readiness');
    },
  };
}
