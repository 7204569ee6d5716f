// RFC 9457 problem details, the one error shape of every HTTP answer (docs/architecture.md "Errors").
import { DriveDepositsError, type FieldError } from '@drive-deposits/core';
import type { Response } from 'express';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  correlation_id: string;
}

export function problemOf(error: DriveDepositsError, correlationId: string): Problem {
  return {
    type: `urn:drive-deposits:problem:${error.code}`,
    title: error.title,
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(error.errors.length > 0 ? { errors: error.errors } : {}),
    correlation_id: correlationId,
  };
}

export function sendProblem(res: Response, error: DriveDepositsError): void {
  if (error.retryAfterSeconds !== undefined) {
    res.setHeader('Retry-After', String(Math.max(0, Math.ceil(error.retryAfterSeconds))));
  }
  res.locals.problemCode = error.code;
  res.status(error.status).type(PROBLEM_CONTENT_TYPE).json(problemOf(error, res.req.correlationId));
}

/** What a client sees for anything unexpected: nothing about the cause, which is only logged. */
export const internalError = (cause: unknown) =>
  new DriveDepositsError(
    'DD_INTERNAL',
    'An unexpected error occurred. Quote the correlation_id when reporting it.',
    { cause },
  );
