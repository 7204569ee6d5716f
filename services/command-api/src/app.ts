// The command API's express app, independent of how its dependencies are built (tests pass their own).
import {
  createHttpApp,
  finishHttpApp,
  methodNotAllowed,
  requireScope,
  SCOPES,
  type ReadinessChecks,
} from '@drive-deposits/http';
import type { Logger } from '@drive-deposits/logging';
import type { Metrics } from '@drive-deposits/runtime';
import type { Express, RequestHandler } from 'express';
import { openApiDocument } from './openapi';
import { deleteHandler, type DeleteDeps } from './delete';
import { submitHandler, type SubmitDeps } from './submit';

export interface CommandApiDeps extends SubmitDeps, DeleteDeps {
  logger: Logger;
  metrics: Metrics;
  readiness: ReadinessChecks;
  /** packages/http `authenticate(settings)`: every route but health, metrics and /openapi.json */
  authenticate: RequestHandler;
}

/** The original's POST /api/drive-deposits/calculate-portfolio answered with the result: wait this long by default. */
const SYNC_ROUTE_DEFAULT_WAIT_SECONDS = 10;

export function createCommandApi(deps: CommandApiDeps): Express {
  const app = createHttpApp({
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: deps.readiness,
    openApi: openApiDocument,
    authenticate: deps.authenticate,
  });
  const write = requireScope(SCOPES.write);
  app.route('/portfolios').post(write, submitHandler(deps, 0)).all(methodNotAllowed('POST'));
  app
    .route('/api/drive-deposits/calculate-portfolio')
    .post(write, submitHandler(deps, SYNC_ROUTE_DEFAULT_WAIT_SECONDS))
    .all(methodNotAllowed('POST'));
  app.route('/portfolios/:uuid').delete(write, deleteHandler(deps)).all(methodNotAllowed('DELETE'));
  // GET /portfolios/{uuid} is the query API's: an ingress routes GETs there (Location is relative).
  return finishHttpApp(app);
}
