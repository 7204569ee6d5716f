// One correlation id per request, from the caller when it sent a usable one, so logs and events
// can be joined from the HTTP edge through every event.
import { randomUUID } from 'node:crypto';
import { withCorrelationId, type Logger } from '@drive-deposits/logging';
import type { RequestHandler } from 'express';

export const CORRELATION_HEADER = 'X-Correlation-Id';

declare module 'express-serve-static-core' {
  interface Request {
    /** from `X-Correlation-Id` when valid, otherwise a new UUID v4 */
    correlationId: string;
    /** the service logger with this request's `correlation_id` */
    log: Logger;
  }
}

// Safe to log, to put in headers and in events: no spaces, quotes, control or non-ASCII characters.
export const USABLE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const isUsableCorrelationId = (value: unknown): value is string =>
  typeof value === 'string' && USABLE_CORRELATION_ID.test(value);

export const correlationId =
  (logger: Logger): RequestHandler =>
  (req, res, next) => {
    const received = req.headers[CORRELATION_HEADER.toLowerCase()];
    req.correlationId = isUsableCorrelationId(received) ? received : randomUUID();
    req.log = withCorrelationId(logger, req.correlationId);
    res.setHeader(CORRELATION_HEADER, req.correlationId);
    next();
  };
