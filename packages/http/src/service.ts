// The one shape of every service. Its port answers at once (/healthz 200, /readyz 503 naming the
// step the start waits for, 503 for every other route) while `start` builds the adapters, each setup
// step retried while it fails transiently until STARTUP_TIMEOUT_MS; then the app `start` returns
// takes over the port. `stop` stops taking requests (in-flight ones finish), then releases what
// `start` deferred, newest first — whatever the start got to.
import type { Logger } from '@drive-deposits/logging';
import {
  createMetrics,
  createStartup,
  type Metrics,
  type Service,
  type ServiceControl,
} from '@drive-deposits/runtime';
import type { Express } from 'express';
import { startHttpServer, type HttpServer } from './server';
import { startingHttpApp } from './starting';

export interface ServiceSettings {
  port: number;
  startupTimeoutMs: number;
  shutdownTimeoutMs: number;
}

export interface ServiceContext {
  logger: Logger;
  metrics: Metrics;
  /** a setup step, retried while it fails with a retriable error until the start deadline */
  step<T>(what: string, run: () => Promise<T>): Promise<T>;
  /** something `stop` releases (after the HTTP server closed; the newest first) */
  defer(release: () => Promise<unknown> | unknown): void;
  /** stops the service with exit code 1 (e.g. a consumer crashed and will not restart) */
  fail(error: unknown): void;
}

export interface ServiceDefinition {
  name: string;
  settings: ServiceSettings;
  logger: Logger;
  /** builds the service; resolves with the app that serves its port from then on */
  start(context: ServiceContext): Promise<Express>;
}

export function defineService({ name, settings, logger, start }: ServiceDefinition): Service {
  const metrics = createMetrics({ service: name });
  const releases: Array<() => Promise<unknown> | unknown> = [];
  let http: HttpServer | undefined;
  let cancelStart: (() => void) | undefined;

  return {
    metrics,
    get port() {
      return http?.port;
    },
    async start(control?: ServiceControl) {
      const startup = createStartup({ logger, timeoutMs: settings.startupTimeoutMs });
      cancelStart = startup.cancel;
      http = await startHttpServer(
        startingHttpApp({ logger, metrics, startup: startup.check }),
        settings.port,
      );
      const app = await start({
        logger,
        metrics,
        step: (what, run) => startup.step(what, run),
        defer: (release) => void releases.push(release),
        fail: (error) => control?.fail(error),
      });
      http.serve(app);
      startup.done();
      logger.info({ port: http.port }, `${name} ready`);
    },
    async stop() {
      cancelStart?.();
      await http?.close(Math.max(100, Math.floor(settings.shutdownTimeoutMs / 2)));
      for (const release of releases.splice(0).reverse()) {
        await Promise.resolve()
          .then(release)
          .catch((error: unknown) => logger.warn({ err: error }, 'releasing a resource failed'));
      }
    },
  };
}
