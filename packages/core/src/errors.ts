// One error vocabulary for the whole system (CLI, both HTTP APIs, dead-letter headers).
// Each code is stable: clients and downstream teams may key off it. `status` is the HTTP
// status an API answers with; `retriable` drives retry/restart decisions (as in kafkajs).

export interface FieldError {
  /** e.g. `new_banks[0].new_deposits[1].apy` */
  path: string;
  message: string;
}

interface ErrorSpec {
  status: number;
  title: string;
  retriable: boolean;
}

export const ERRORS = {
  DD_VALIDATION_FAILED: { status: 400, title: 'The request is invalid', retriable: false },
  DD_MALFORMED_JSON: { status: 400, title: 'The body is not valid JSON', retriable: false },
  DD_INVALID_PARAMETER: { status: 400, title: 'A parameter is invalid', retriable: false },
  DD_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type', retriable: false },
  DD_PAYLOAD_TOO_LARGE: { status: 413, title: 'The body is too large', retriable: false },
  DD_UNAUTHENTICATED: { status: 401, title: 'Authentication is required', retriable: false },
  DD_FORBIDDEN: { status: 403, title: 'The token lacks a required scope', retriable: false },
  DD_NOT_FOUND: { status: 404, title: 'Not found', retriable: false },
  DD_METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed', retriable: false },
  DD_IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    title: 'Idempotency-Key was already used with a different request',
    retriable: false,
  },
  DD_IDEMPOTENCY_KEY_IN_PROGRESS: {
    status: 409,
    title: 'A request with this Idempotency-Key is still being processed',
    retriable: true,
  },
  DD_CALCULATION_FAILED: { status: 500, title: 'The calculation failed', retriable: false },
  DD_EVENT_UNDECODABLE: { status: 500, title: 'The event cannot be decoded', retriable: false },
  DD_EVENT_INVALID: { status: 500, title: 'The event does not satisfy its contract', retriable: false },
  DD_SCHEMA_INCOMPATIBLE: {
    status: 500,
    title: 'The event schema is incompatible with the versions already registered',
    retriable: false,
  },
  DD_DEPENDENCY_UNAVAILABLE: { status: 503, title: 'A dependency is unavailable', retriable: true },
  DD_TIMEOUT: { status: 504, title: 'Timed out', retriable: true },
  DD_CONFIG_INVALID: { status: 500, title: 'Invalid configuration', retriable: false },
  DD_INTERNAL: { status: 500, title: 'Internal error', retriable: false },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export interface DriveDepositsErrorOptions {
  errors?: FieldError[];
  cause?: unknown;
  /** overrides the code's default, e.g. a retriable decode failure of the registry */
  retriable?: boolean;
  /** seconds a client should wait before retrying (HTTP Retry-After) */
  retryAfterSeconds?: number;
}

export class DriveDepositsError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly retriable: boolean;
  readonly errors: FieldError[];
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, detail: string, options: DriveDepositsErrorOptions = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DriveDepositsError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.title = ERRORS[code].title;
    this.retriable = options.retriable ?? ERRORS[code].retriable;
    this.errors = options.errors ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const isDriveDepositsError = (e: unknown): e is DriveDepositsError => e instanceof DriveDepositsError;

/**
 * Whether a failure is worth retrying: the `retriable` flag alone decides, ours and kafkajs' alike
 * (adapters map their clients' transient failures to DD_DEPENDENCY_UNAVAILABLE, which carries it).
 */
export const isRetriable = (error: unknown): boolean =>
  (error as { retriable?: unknown } | null)?.retriable === true;

/**
 * What a consumer does with a message whose handling failed:
 * - `retry`: a dependency failed (the flag says so); the message is handled again later;
 * - `reject`: the failure is the message's own (a DriveDepositsError that is not retriable: it
 *   cannot be decoded, breaks its contract or cannot be calculated); retrying cannot help;
 * - `crash`: anything else is a defect; the consumer stops and its orchestrator restarts it.
 */
export function classify(error: unknown): 'retry' | 'reject' | 'crash' {
  if (isRetriable(error)) return 'retry';
  return isDriveDepositsError(error) ? 'reject' : 'crash';
}
