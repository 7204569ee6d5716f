// kafkajs failures as the system's one error type: a broker that is down, starting, electing a
// leader or timing out is a retriable DD_DEPENDENCY_UNAVAILABLE (retry later), whatever kafkajs'
// own retry budget said; a refusal that retrying cannot change (authentication, authorization, an
// invalid replication factor) is the same code marked not retriable.
import { DriveDepositsError, isDriveDepositsError } from '@drive-deposits/core';

interface KafkaJsErrorLike {
  name?: unknown;
  message?: unknown;
  retriable?: unknown;
  cause?: unknown;
  type?: unknown;
  errors?: unknown;
}

// kafkajs marks these not retriable because its own retries ran out or its wait timed out; the
// broker may still come back before the caller's deadline.
const EXHAUSTED = new Set([
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSTimeout',
  'KafkaJSLockTimeout',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSNoBrokerAvailableError',
]);

/** Would trying again later possibly succeed? */
export function isTransientKafkaError(error: unknown): boolean {
  const e = (error ?? {}) as KafkaJsErrorLike;
  if (typeof e.name !== 'string') return false;
  if (e.name === 'KafkaJSSASLAuthenticationError') return false;
  if (e.name === 'KafkaJSAggregateError' && Array.isArray(e.errors)) {
    return e.errors.length > 0 && e.errors.every(isTransientKafkaError);
  }
  if (!e.name.startsWith('KafkaJS')) return false;
  if (e.retriable === true || EXHAUSTED.has(e.name)) return true;
  // A non-retriable wrapper around a retriable cause (kafkajs' retrier gave up on it).
  return e.name === 'KafkaJSNonRetriableError' && e.cause !== undefined && isTransientKafkaError(e.cause);
}

/**
 * Any error from kafkajs while `doing` something, as DD_DEPENDENCY_UNAVAILABLE (retriable when
 * transient). DriveDepositsErrors and non-kafkajs errors (bugs) pass through unchanged.
 */
export function toKafkaError(error: unknown, doing: string): unknown {
  if (isDriveDepositsError(error)) return error;
  const e = (error ?? {}) as KafkaJsErrorLike;
  if (typeof e.name !== 'string' || !e.name.startsWith('KafkaJS')) return error;
  let detail = Array.isArray(e.errors)
    ? e.errors.map((inner: KafkaJsErrorLike) => String(inner.type ?? inner.message)).join(', ')
    : String(e.message);
  // kafkajs reports a refused FindCoordinator (GROUP_ or TRANSACTIONAL_ID_AUTHORIZATION_FAILED) as
  // this too, logging the broker's answer only at debug level.
  if (e.name === 'KafkaJSGroupCoordinatorNotFound') {
    detail +=
      ' (also what a missing ACL looks like: check that the KAFKA_SASL_USERNAME may READ the consumer group and WRITE its transactional ids)';
  }
  const what =
    e.name === 'KafkaJSSASLAuthenticationError'
      ? 'Kafka refused the credentials (KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD)'
      : 'Kafka unavailable';
  return new DriveDepositsError('DD_DEPENDENCY_UNAVAILABLE', `${what} while ${doing}: ${detail}`, {
    cause: error,
    retriable: isTransientKafkaError(error),
    retryAfterSeconds: 1,
  });
}

/** `promise`, with a kafkajs failure rethrown as `toKafkaError(…, doing)`. */
export const kafkaStep = <T>(doing: string, promise: Promise<T>): Promise<T> =>
  promise.catch((error: unknown) => {
    throw toKafkaError(error, doing);
  });
