// /api/… → one of the two APIs, as the production ingress routes them: GET and HEAD to the query
// API, every other method to the command API. The request goes on as sent (method, path, query,
// body bytes, Authorization, Idempotency-Key, Prefer, …); the browser talks to one origin, so no CORS.
// An API that cannot be reached, times out or answers a 5xx without a problem document becomes a
// problem here, never a 500 with a stack.
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { DriveDepositsError } from '@drive-deposits/core';
import { CORRELATION_HEADER, sendProblem } from '@drive-deposits/http';
import type { Request, RequestHandler, Response } from 'express';

interface ApiTarget {
  /** for messages: "command API", "query API" */
  name: string;
  /** base URL, e.g. http://127.0.0.1:3001 (a path prefix is kept) */
  url: string;
}

export interface ProxyOptions {
  command: ApiTarget;
  query: ApiTarget;
  timeoutMs: number;
}

/** The prefix the browser uses; a relative Location of an API answer is rewritten under it. */
export const API_PREFIX = '/api';

// Hop-by-hop headers (RFC 9110 §7.6.1) and the ones the proxy sets itself.
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

/** The APIs' operational routes stay internal: the page has no use for them. */
const INTERNAL_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

const targetFor = (method: string, options: ProxyOptions): ApiTarget =>
  method === 'GET' || method === 'HEAD' ? options.query : options.command;

/** The API's URL for a path below /api (`/portfolios/…?top_k=3`), keeping a base path. */
export function upstreamUrl(base: string, pathAndQuery: string): URL {
  const url = new URL(base);
  const [path = '', query] = pathAndQuery.split(/\?(.*)/s, 2);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  url.search = query === undefined || query === '' ? '' : `?${query}`;
  return url;
}

function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || NOT_FORWARDED.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** `/portfolios/<uuid>` (the API's own root) → `/api/portfolios/<uuid>`; absolute URLs stay. */
const rewriteLocation = (location: string): string =>
  location.startsWith('/') && !location.startsWith('//') ? `${API_PREFIX}${location}` : location;

const isProblemOrJson = (contentType: string | undefined) =>
  contentType !== undefined && /^application\/(problem\+)?json\b/i.test(contentType);

const unavailable = (target: ApiTarget, why: string) =>
  new DriveDepositsError('DD_DEPENDENCY_UNAVAILABLE', `The ${target.name} ${why}.`, {
    retryAfterSeconds: 1,
  });

function relay(res: Response, answer: IncomingMessage): void {
  res.status(answer.statusCode ?? 502);
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined || NOT_FORWARDED.has(name)) continue;
    res.setHeader(name, name === 'location' && typeof value === 'string' ? rewriteLocation(value) : value);
  }
  answer.pipe(res);
}

export function apiProxy(options: ProxyOptions): RequestHandler {
  return (req: Request, res: Response) => {
    // Routed as `/api/*rest`: what follows /api, with its query, is the API's own URL.
    const rest = req.originalUrl.slice(API_PREFIX.length);
    const target = targetFor(req.method, options);
    const url = upstreamUrl(target.url, rest);
    // Judged after URL normalisation, so `/api/x/../metrics` or `%2e%2e` cannot reach them either.
    const base = new URL(target.url).pathname.replace(/\/+$/, '');
    const path = url.pathname.slice(base.length);
    if (!url.pathname.startsWith(`${base}/`) || INTERNAL_PATHS.has(path)) {
      const shown = (rest.split('?', 1)[0] ?? '').slice(0, 200);
      throw new DriveDepositsError('DD_NOT_FOUND', `No route for ${req.method} ${API_PREFIX}${shown}.`);
    }
    const headers = forwardedHeaders(req.headers);
    headers[CORRELATION_HEADER.toLowerCase()] = req.correlationId;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const fail = (error: DriveDepositsError) => {
      if (settled) return;
      settled = true;
      if (res.headersSent) res.destroy();
      else sendProblem(res, error);
    };
    const upstream = send(url, { method: req.method, headers, timeout: options.timeoutMs }, (answer) => {
      const status = answer.statusCode ?? 0;
      if (status >= 500 && !isProblemOrJson(answer.headers['content-type'])) {
        answer.resume();
        fail(unavailable(target, `answered ${status} without a problem document`));
        return;
      }
      settled = true;
      answer.on('error', () => res.destroy());
      relay(res, answer);
    });
    upstream.on('timeout', () => {
      upstream.destroy();
      fail(
        new DriveDepositsError(
          'DD_TIMEOUT',
          `The ${target.name} did not answer within ${options.timeoutMs} ms.`,
        ),
      );
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      req.log.warn({ err: error, target: target.name }, 'API request failed');
      fail(unavailable(target, `cannot be reached (${error.code ?? error.message})`));
    });
    // The browser went away: so does the API request.
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };
}
