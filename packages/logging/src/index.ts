export { createLogger, REDACTED_PATHS, withCorrelationId } from './logger';
export type { Logger, LoggerOptions, LogLevel } from './logger';
