// The express app every service starts from: its routes go between createHttpApp and finishHttpApp.
import { DriveDepositsError, isDriveDepositsError } from '@drive-deposits/core';
import type { Logger } from '@drive-deposits/logging';
import type { Metrics } from '@drive-deposits/runtime';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { bodyErrors, parseJsonBody, requireJsonBody } from './body';
import { correlationId } from './correlation';
import { DEFAULT_READINESS_TIMEOUT_MS, healthRoutes, type ReadinessChecks } from './health';
import { observeRequests } from './observe';
import { internalError, sendProblem } from './problem';

export interface HttpAppOptions {
  logger: Logger;
  metrics: Metrics;
  /** by dependency name, e.g. `{ kafka, registry, mongo }` */
  readiness: ReadinessChecks;
  readinessTimeoutMs?: number;
  /**
   * false: request bodies are left unread for the routes (a proxy forwards them as sent); the
   * default parses JSON bodies (1 MiB, JSON only) into `req.body`.
   */
  parseJsonBodies?: boolean;
  /** the OpenAPI document, served unauthenticated at GET /openapi.json */
  openApi?: object;
  /**
   * `authenticate(settings)`: every route after health, metrics and the OpenAPI document is behind
   * it, before any body is read. Both APIs pass it (their deps require it); the consumers serve only
   * health and metrics.
   */
  authenticate?: RequestHandler;
}

export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Explicit, not a default that may change: `?a[$gt]=1` stays the literal key "a[$gt]", never an object.
  app.set('query parser', 'simple');
  // Security headers on every answer (nosniff, no framing, HSTS, a CSP that allows nothing, …).
  app.use(helmet());
  app.use(correlationId(options.logger));
  app.use(observeRequests(options.metrics));
  app.use(
    healthRoutes(
      options.metrics,
      options.readiness,
      options.readinessTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS,
    ),
  );
  const { openApi } = options;
  if (openApi !== undefined) {
    app.get('/openapi.json', (_req, res) => {
      res.json(openApi);
    });
  }
  if (options.authenticate !== undefined) app.use(options.authenticate);
  if (options.parseJsonBodies !== false) app.use(requireJsonBody, parseJsonBody, bodyErrors);
  return app;
}

const MAX_PATH_IN_DETAIL = 200;

const notFound: RequestHandler = (req) => {
  const path = req.path.slice(0, MAX_PATH_IN_DETAIL);
  throw new DriveDepositsError('DD_NOT_FOUND', `No route for ${req.method} ${path}.`);
};

const problems: ErrorRequestHandler = (error: unknown, req, res, next) => {
  const known = isDriveDepositsError(error) ? error : internalError(error);
  if (known.status >= 500) {
    req.log.error({ err: error, code: known.code }, known === error ? known.message : 'unhandled error');
  }
  // Too late for a problem: let express end the connection.
  if (res.headersSent) return next(error);
  sendProblem(res, known);
};

/**
 * The handler for every other method of a route: `405 DD_METHOD_NOT_ALLOWED` with `Allow`
 * (RFC 9110 §15.5.6), e.g. `app.route('/x').get(handler).all(methodNotAllowed('GET'))`.
 * A GET route also answers HEAD (express), so `Allow` lists HEAD with GET.
 */
export function methodNotAllowed(...methods: string[]): RequestHandler {
  const allowed = methods.includes('GET') && !methods.includes('HEAD') ? [...methods, 'HEAD'] : methods;
  const allow = allowed.join(', ');
  return (req, res) => {
    res.setHeader('Allow', allow);
    throw new DriveDepositsError(
      'DD_METHOD_NOT_ALLOWED',
      `${req.method.slice(0, 20)} is not allowed here. Allowed: ${allow}.`,
    );
  };
}

/** Appends the 404 problem for unknown routes and the final error → problem+json mapping. */
export function finishHttpApp(app: Express): Express {
  app.use(notFound);
  app.use(problems);
  return app;
}

/** The app of a service whose port serves only /healthz, /readyz and /metrics (the consumers). */
export const healthApp = (options: HttpAppOptions): Express => finishHttpApp(createHttpApp(options));
