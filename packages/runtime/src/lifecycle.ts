// Service lifecycle: start, then stop once on SIGTERM/SIGINT (or a fatal error) within a bound, and
// exit with a code that tells the orchestrator what happened (0 clean stop, 1 failure or timeout).
import { isDriveDepositsError } from '@drive-deposits/core';
import { createLogger, type Logger, type LogLevel } from '@drive-deposits/logging';
import type { Metrics } from './metrics';

/** The parts of `process` the lifecycle uses; tests pass a fake. */
export interface ServiceProcess {
  on(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
  exit(code: number): void;
}

export interface ServiceControl {
  /** stops the service with exit code 1, e.g. when a consumer crashed and will not restart */
  fail(error: unknown): void;
}

/** What each service's `create…Service` returns: `runMain` starts and stops it; tests read the rest. */
export interface Service {
  start(control?: ServiceControl): Promise<void>;
  /** also called after a failed or interrupted start, so it must tolerate a partial start */
  stop(): Promise<void>;
  /** the HTTP port once started (0 in the configuration picks a free one) */
  readonly port: number | undefined;
  readonly metrics: Metrics;
}

export interface RunServiceOptions {
  name: string;
  logger: Logger;
  /** bound on `stop`; past it the process exits 1 anyway */
  shutdownTimeoutMs: number;
  start(control: ServiceControl): Promise<void>;
  /** also called after a failed or interrupted start, so it must tolerate a partial start */
  stop(): Promise<void>;
}

/** "cannot start: …", with a configuration error's variables listed one per line. */
export function describeFailure(error: unknown): string {
  if (!isDriveDepositsError(error)) return error instanceof Error ? error.message : String(error);
  const lines = error.errors.map((e) => `\n  ${e.path}: ${e.message}`).join('');
  return `${error.code}: ${error.message}${lines}`;
}

const logFatal = (logger: Logger, error: unknown, context: string) =>
  logger.fatal(
    { err: error, errors: isDriveDepositsError(error) ? error.errors : undefined },
    `${context}: ${describeFailure(error)}`,
  );

async function stopWithin(stop: () => Promise<void>, timeoutMs: number): Promise<'stopped' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    return await Promise.race([stop().then(() => 'stopped' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs a service until a signal or a fatal error. Resolves with the exit code once `exit` has been
 * called (with the real process it never does: the process has exited).
 */
export function runService(options: RunServiceOptions, proc: ServiceProcess = process): Promise<number> {
  const { name, logger, shutdownTimeoutMs } = options;
  let stopping = false;
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));

  const shutdown = async (reason: string, failure?: { error: unknown; context: string }) => {
    if (stopping) {
      if (failure !== undefined) logger.error({ err: failure.error }, `${name}: ${reason} while stopping`);
      else logger.warn({ reason }, `${name}: ${reason} while already stopping; ignored`);
      return;
    }
    stopping = true;
    if (failure !== undefined) logFatal(logger, failure.error, `${name} ${failure.context}`);
    logger.info({ reason, shutdown_timeout_ms: shutdownTimeoutMs }, `${name} stopping (${reason})`);
    let code = failure === undefined ? 0 : 1;
    try {
      if ((await stopWithin(options.stop, shutdownTimeoutMs)) === 'timeout') {
        logger.error(`${name} did not stop within ${shutdownTimeoutMs} ms; exiting anyway`);
        code = 1;
      } else {
        logger.info(`${name} stopped`);
      }
    } catch (error) {
      logFatal(logger, error, `${name} failed to stop cleanly`);
      code = 1;
    }
    proc.exit(code);
    finish(code);
  };

  proc.on('SIGTERM', () => void shutdown('SIGTERM'));
  proc.on('SIGINT', () => void shutdown('SIGINT'));
  proc.on('uncaughtException', (error) => void shutdown('uncaught exception', { error, context: 'crashed' }));
  proc.on(
    'unhandledRejection',
    (error) => void shutdown('unhandled rejection', { error, context: 'crashed' }),
  );

  const control: ServiceControl = { fail: (error) => void shutdown('failure', { error, context: 'failed' }) };
  Promise.resolve(control)
    .then((c) => options.start(c))
    .then(
      () => {
        if (!stopping) logger.info(`${name} started`);
      },
      (error: unknown) => {
        // A start interrupted by a signal is part of that shutdown, not a start failure.
        if (!stopping) void shutdown('start failed', { error, context: 'cannot start' });
      },
    );
  return finished;
}

/**
 * Runs a step that must succeed before a logger exists (loading the configuration, which decides
 * the log level). On failure it logs one fatal line listing the problems and exits 1.
 */
export function loadOrExit<T>(name: string, load: () => T, proc: Pick<ServiceProcess, 'exit'> = process): T {
  try {
    return load();
  } catch (error) {
    logFatal(createLogger({ service: name }), error, `${name} cannot start`);
    proc.exit(1);
    throw error;
  }
}

export interface MainOptions<C> {
  name: string;
  /** reads and validates the configuration; throws DD_CONFIG_INVALID listing every bad variable */
  load: () => C;
  /** where this service's configuration keeps LOG_LEVEL and SHUTDOWN_TIMEOUT_MS */
  settings: (config: C) => { logLevel: LogLevel; shutdownTimeoutMs: number };
  create: (config: C, logger: Logger) => Pick<Service, 'start' | 'stop'>;
}

/** A service's whole `main`: configuration (fail fast), logger, the service, run until a signal. */
export function runMain<C>({ name, load, settings, create }: MainOptions<C>): void {
  const config = loadOrExit(name, load);
  const { logLevel, shutdownTimeoutMs } = settings(config);
  const logger = createLogger({ service: name, level: logLevel });
  const service = create(config, logger);
  void runService({
    name,
    logger,
    shutdownTimeoutMs,
    start: (control) => service.start(control),
    stop: () => service.stop(),
  });
}
