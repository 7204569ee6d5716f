// JSON bodies only, at most 1 MiB; every way a body can be unusable becomes a problem, not a stack.
import { DriveDepositsError } from '@drive-deposits/core';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';

export const BODY_LIMIT_BYTES = 1024 * 1024;
const JSON_TYPES = ['application/json', 'application/*+json'];

/** Same test as type-is' hasBody: a body is announced by Transfer-Encoding or a non-zero length. */
const hasBody = (headers: Record<string, string | string[] | undefined>) =>
  headers['transfer-encoding'] !== undefined ||
  (headers['content-length'] !== undefined && headers['content-length'] !== '0');

export const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (hasBody(req.headers) && !req.is(JSON_TYPES)) {
    const received = req.headers['content-type'] ?? 'none';
    throw new DriveDepositsError(
      'DD_UNSUPPORTED_MEDIA_TYPE',
      `Content-Type ${received} is not supported. Send application/json.`,
    );
  }
  next();
};

export const parseJsonBody = express.json({ limit: BODY_LIMIT_BYTES, type: JSON_TYPES, strict: true });

interface BodyParserError {
  type: string;
  message: string;
  body?: string;
}

const isBodyParserError = (error: unknown): error is BodyParserError =>
  error instanceof Error && typeof (error as Partial<BodyParserError>).type === 'string';

/**
 * "… at position 8" → "… at position 8 (line 1, column 9)", so a client can find the spot. Node 22+
 * already appends "(line 1 column 9)"; that is replaced, so every Node answers the same detail.
 */
function whereItBroke(parserMessage: string, body: string | undefined): string {
  const message = parserMessage.replace(/ \(line \d+ column \d+\)$/, '');
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined || body === undefined) return message;
  const before = body.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}

const MAX_DETAIL_LENGTH = 300;

function bodyProblem(error: BodyParserError): DriveDepositsError | undefined {
  switch (error.type) {
    case 'entity.parse.failed': {
      const where = whereItBroke(error.message, error.body).slice(0, MAX_DETAIL_LENGTH);
      return new DriveDepositsError('DD_MALFORMED_JSON', `The body is not valid JSON: ${where}`);
    }
    case 'entity.too.large':
      return new DriveDepositsError(
        'DD_PAYLOAD_TOO_LARGE',
        `The body exceeds ${BODY_LIMIT_BYTES} bytes (1 MiB).`,
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new DriveDepositsError('DD_UNSUPPORTED_MEDIA_TYPE', `${error.message}. Send UTF-8 JSON.`);
    case 'request.aborted':
    case 'request.size.invalid':
      return new DriveDepositsError('DD_MALFORMED_JSON', 'The body ended before its announced length.');
    default:
      return undefined;
  }
}

/**
 * A body that cannot be read as sent (e.g. `Content-Encoding: gzip` over bytes that are not gzip):
 * body-parser passes zlib's error on as a 400 http-error without a `type`.
 */
function unreadableBody(error: unknown): DriveDepositsError | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  if (!(error instanceof Error) || error instanceof DriveDepositsError) return undefined;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  return new DriveDepositsError(
    'DD_MALFORMED_JSON',
    `The body cannot be read: ${error.message.slice(0, MAX_DETAIL_LENGTH)}`,
  );
}

/** Turns body-parser's errors into problems; anything else passes on unchanged. */
export const bodyErrors: ErrorRequestHandler = (error, _req, _res, next) => {
  next((isBodyParserError(error) && bodyProblem(error)) || unreadableBody(error) || error);
};
