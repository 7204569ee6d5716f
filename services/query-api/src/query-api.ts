// The query API as an express app over a database, startable in-process (tests, e2e) or by main.ts.
import { createHttpApp, finishHttpApp, type ReadinessChecks } from '@drive-deposits/http';
import type { Logger } from '@drive-deposits/logging';
import { toDependencyError } from '@drive-deposits/mongo';
import { cachedActiveVersion } from '@drive-deposits/read-model';
import type { Metrics } from '@drive-deposits/runtime';
import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import type { Db } from 'mongodb';
import { queryApiOpenApi } from './openapi';
import { queryRoutes } from './routes';

export interface QueryApiDeps {
  db: Db;
  logger: Logger;
  metrics: Metrics;
  readiness: ReadinessChecks;
  /** packages/http `authenticate(settings)`: every route but health, metrics and /openapi.json */
  authenticate: RequestHandler;
  /** how long the active read-model version is cached (a rebuild's switch shows within it) */
  versionMaxAgeMs?: number;
}

export function createQueryApi(deps: QueryApiDeps): Express {
  const app = createHttpApp({
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: deps.readiness,
    openApi: queryApiOpenApi(),
    authenticate: deps.authenticate,
  });
  app.use(queryRoutes({ db: deps.db, version: cachedActiveVersion(deps.db, deps.versionMaxAgeMs ?? 1000) }));
  app.use(mongoFailuresAsUnavailable);
  return finishHttpApp(app);
}

// MongoDB down, unreachable or too slow is a 503 problem the client may retry, never a 500.
const mongoFailuresAsUnavailable: ErrorRequestHandler = (error, _req, _res, next) =>
  next(toDependencyError(error));
