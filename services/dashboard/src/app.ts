// The dashboard's express app: health, the bundled page (dist/public) and /api/… forwarded to the
// two APIs. Everything else is a problem+json answer from the shared app factory.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DriveDepositsError } from '@drive-deposits/core';
import { createHttpApp, finishHttpApp, methodNotAllowed, type ReadinessChecks } from '@drive-deposits/http';
import type { Logger } from '@drive-deposits/logging';
import type { Metrics } from '@drive-deposits/runtime';
import express, { type Express, type RequestHandler } from 'express';
import { API_PREFIX, apiProxy, type ProxyOptions } from './proxy';

/** Where the build (build-web.mjs) writes the page: services/dashboard/dist/public. */
const PUBLIC_DIR = join(__dirname, '../dist/public');

export interface DashboardDeps {
  logger: Logger;
  metrics: Metrics;
  readiness: ReadinessChecks;
  proxy: ProxyOptions;
  publicDir?: string;
}

// Only this origin: scripts, styles, fonts and data all come from the dashboard itself. ECharts
// sets inline styles on the elements it draws.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
};

const BUNDLES: Record<string, string> = { '/app.js': 'text/javascript', '/app.css': 'text/css' };

/** The bundles gzipped at build time (build-web.mjs), for browsers that accept it: 554 → 185 KiB. */
const precompressed =
  (publicDir: string): RequestHandler =>
  (req, res, next) => {
    const type = BUNDLES[req.path];
    const file = join(publicDir, `${req.path}.gz`);
    if ((req.method !== 'GET' && req.method !== 'HEAD') || type === undefined || !existsSync(file)) {
      next();
      return;
    }
    res.vary('Accept-Encoding');
    if (!req.acceptsEncodings('gzip')) {
      next();
      return;
    }
    res.setHeader('Content-Encoding', 'gzip');
    res.type(type);
    res.sendFile(file, { cacheControl: true, maxAge: 0 }, (error) => error && next(error));
  };

export function requirePage(publicDir: string): void {
  const index = join(publicDir, 'index.html');
  if (!existsSync(index)) {
    throw new DriveDepositsError(
      'DD_CONFIG_INVALID',
      `The page is not built: ${index} is missing. Run \`npm run build\` (it bundles services/dashboard/web).`,
    );
  }
}

export function createDashboardApp(deps: DashboardDeps): Express {
  const publicDir = deps.publicDir ?? PUBLIC_DIR;
  requirePage(publicDir);
  // Bodies stay unread: the proxy forwards them byte for byte and the APIs judge them.
  const app = createHttpApp({
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: deps.readiness,
    parseJsonBodies: false,
  });
  // A route (not a mount), so the latency metric's `route` label reads /api/*rest.
  app.all(`${API_PREFIX}/*rest`, apiProxy(deps.proxy));
  app.use(securityHeaders);
  app.use(precompressed(publicDir));
  // Revalidated on every load (ETag), so a new build shows at once.
  app.use(express.static(publicDir, { index: 'index.html', cacheControl: true, maxAge: 0, redirect: false }));
  app.all('/', methodNotAllowed('GET'));
  return finishHttpApp(app);
}
