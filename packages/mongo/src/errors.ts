// Which MongoDB failures are an unavailable dependency (retry later: the event is redelivered, the
// client gets a 503) rather than a bug or a bad request.
import { DriveDepositsError } from '@drive-deposits/core';
import {
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

/** Server codes of a node that is down, stepping down or unreachable (the driver's retryable set). */
const TRANSIENT_CODES = new Set([
  50, // MaxTimeMSExpired: the server is too slow right now
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

const TRANSIENT_CLASSES = [
  MongoNetworkError, // includes MongoNetworkTimeoutError
  MongoServerSelectionError,
  MongoTopologyClosedError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
];

export function isTransientMongoError(error: unknown): boolean {
  if (!(error instanceof MongoError)) return false;
  if (TRANSIENT_CLASSES.some((transient) => error instanceof transient)) return true;
  if (error.hasErrorLabel('RetryableWriteError') || error.hasErrorLabel('TransientTransactionError'))
    return true;
  return typeof error.code === 'number' && TRANSIENT_CODES.has(error.code);
}

/**
 * A transient MongoDB failure as a retriable `DD_DEPENDENCY_UNAVAILABLE`; any other error is
 * returned unchanged. Use as `catch (e) { throw toDependencyError(e) }`.
 */
export function toDependencyError(error: unknown): unknown {
  if (!isTransientMongoError(error)) return error;
  return new DriveDepositsError(
    'DD_DEPENDENCY_UNAVAILABLE',
    `MongoDB unavailable: ${(error as Error).message}`,
    { cause: error, retryAfterSeconds: 1 },
  );
}

/** MongoDB's code for a write that hit a unique index, on an error or on one write of a bulk write. */
export const DUPLICATE_KEY_CODE = 11000;

/** An insert or upsert hit a unique index (e.g. an Idempotency-Key already reserved). */
export const isDuplicateKeyError = (error: unknown): boolean =>
  error instanceof MongoError && error.code === DUPLICATE_KEY_CODE;
