// One JSON line per event on stdout (pino), the same fields in every service, credentials removed.
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LoggerOptions {
  service: string;
  level?: LogLevel;
  /** defaults to stdout; tests pass a stream */
  destination?: DestinationStream;
}

/** Fields that hold credentials wherever they appear (one or two levels deep, or as HTTP headers). */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'saslPassword',
  '*.saslPassword',
  '*.*.saslPassword',
  'bearerToken',
  '*.bearerToken',
  '*.*.bearerToken',
  'authorization',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
];

/** `scheme://user:password@host` inside any text → `scheme://***@host` (driver errors quote URLs). */
const maskCredentialsInText = (text: string): string =>
  text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s@/]+@/gi, '$1***@');

function serializeError(error: Error): Record<string, unknown> {
  const serialized = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
  for (const key of ['message', 'stack'] as const) {
    const value = serialized[key];
    if (typeof value === 'string') serialized[key] = maskCredentialsInText(value);
  }
  return serialized;
}

export function createLogger({ service, level = 'info', destination }: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // level names ("warn"), not numbers, so log queries read naturally
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError, error: serializeError },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

/** The logger for one request or event: every line it writes carries the correlation id. */
export const withCorrelationId = (logger: Logger, correlationId: string): Logger =>
  logger.child({ correlation_id: correlationId });
