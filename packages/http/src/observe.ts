// One latency observation and one log line per request, labelled by route template (never the raw
// path, which would make a metric series per portfolio id).
import type { Metrics } from '@drive-deposits/runtime';
import type { Request, RequestHandler } from 'express';

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** `/portfolios/:uuid/…` for a matched route, `unmatched` for 404s. */
export const routeTemplate = (req: Request): string =>
  req.route === undefined ? 'unmatched' : `${req.baseUrl}${String(req.route.path)}`;

export const observeRequests =
  (metrics: Metrics): RequestHandler =>
  (req, res, next) => {
    const startedAt = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const route = routeTemplate(req);
      const status = res.statusCode;
      metrics.httpRequestDuration.observe({ method: req.method, route, status: String(status) }, seconds);
      const line = {
        method: req.method,
        route,
        status,
        duration_ms: Math.round(seconds * 1e4) / 10,
        code: res.locals.problemCode as string | undefined,
      };
      if (QUIET_PATHS.has(req.path)) req.log.debug(line, 'request');
      else req.log.info(line, 'request');
    });
    next();
  };
