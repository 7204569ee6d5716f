// What a service answers on its port while it starts (its dependencies may be busy or still
// starting): /healthz 200 (the process is alive), /readyz a 503 problem naming the step the start
// waits for, /metrics, and a 503 DD_DEPENDENCY_UNAVAILABLE with Retry-After for every other route.
// The service swaps in its full app (HttpServer.serve) once the start finished.
import { DriveDepositsError } from '@drive-deposits/core';
import type { Logger } from '@drive-deposits/logging';
import type { Metrics } from '@drive-deposits/runtime';
import type { Express } from 'express';
import { createHttpApp, finishHttpApp } from './app';

export interface StartingHttpAppOptions {
  logger: Logger;
  metrics: Metrics;
  /** rejects with what the start waits for (runtime's Startup.check) */
  startup: () => Promise<void>;
}

export function startingHttpApp({ logger, metrics, startup }: StartingHttpAppOptions): Express {
  const app = createHttpApp({ logger, metrics, readiness: { startup } });
  app.use(() => {
    throw new DriveDepositsError('DD_DEPENDENCY_UNAVAILABLE', 'The service is starting; retry shortly.', {
      retryAfterSeconds: 1,
    });
  });
  return finishHttpApp(app);
}
