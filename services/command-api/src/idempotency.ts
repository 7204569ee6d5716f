// Idempotency keys (docs/architecture.md "Idempotency keys"), stored in MongoDB: a key is reserved
// before the event is published, so a retried request finds it and gets the same portfolio, and a
// publish that failed is completed by the retry with the stored event (same ids).
import { createHash } from 'node:crypto';
import { DriveDepositsError, type PortfolioRequest, type PortfolioSubmitted } from '@drive-deposits/core';
import { ensureTtlIndex, isDuplicateKeyError, toDependencyError, type TtlIndex } from '@drive-deposits/mongo';
import type { Logger } from '@drive-deposits/logging';
import type { Collection, Db } from 'mongodb';

const IDEMPOTENCY_COLLECTION = 'idempotency_keys';

interface IdempotencyRecord {
  _id: string;
  /** sha-256 (hex) of the canonical validated request */
  fingerprint: string;
  portfolio_uuid: string;
  event: PortfolioSubmitted;
  state: 'pending' | 'published';
  /** when the current publish attempt began; a pending key older than the publish timeout is stale */
  reserved_at: Date;
  expires_at: Date;
}

type Reservation =
  /** the key is ours: publish the event */
  | { outcome: 'reserved' }
  /** the event of this key was published: answer with its portfolio */
  | { outcome: 'published'; record: IdempotencyRecord }
  /** an earlier attempt never confirmed its publish and is past the timeout: republish `record.event` */
  | { outcome: 'stale'; record: IdempotencyRecord };

export interface IdempotencyStore {
  /** the expiry index; resolves with what stops its upkeep */
  ensureIndexes(): Promise<TtlIndex>;
  reserve(key: string, fingerprint: string, event: PortfolioSubmitted, now?: Date): Promise<Reservation>;
  markPublished(key: string): Promise<void>;
}

// RFC 9110 field values allow more, but a key is an opaque token: visible ASCII only.
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The `Idempotency-Key` header: absent → undefined; present but malformed → 400 problem. */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(header)) {
    throw new DriveDepositsError(
      'DD_INVALID_PARAMETER',
      'Idempotency-Key must be 1 to 255 visible ASCII characters (no spaces).',
      { errors: [{ path: 'Idempotency-Key', message: 'Must be 1 to 255 visible ASCII characters.' }] },
    );
  }
  return header;
}

/** The validated request is canonical (fixed field order, canonical decimals), so equal requests hash equal. */
/**
 * What a key is stored under: the caller's owner and the key. Keys are the caller's own, so another
 * owner's equal key neither answers with nor blocks this owner's portfolio.
 */
export const storedKeyOf = (owner: string, key: string): string => JSON.stringify([owner, key]);

export const fingerprintOf = (request: PortfolioRequest): string =>
  createHash('sha256').update(JSON.stringify(request)).digest('hex');

/** A transient MongoDB failure becomes a 503 with Retry-After; anything else stays what it is. */
function withRetryAfter(doing: string, error: unknown): unknown {
  const mapped = toDependencyError(error);
  if (!(mapped instanceof DriveDepositsError) || mapped.code !== 'DD_DEPENDENCY_UNAVAILABLE') return mapped;
  return new DriveDepositsError('DD_DEPENDENCY_UNAVAILABLE', `${mapped.message} (while ${doing})`, {
    cause: error,
    retryAfterSeconds: 5,
  });
}

export interface IdempotencyStoreOptions {
  ttlSeconds: number;
  /** a pending key older than this is taken over and its event republished (the publish timeout) */
  staleAfterMs: number;
  logger: Logger;
}

export function createIdempotencyStore(db: Db, options: IdempotencyStoreOptions): IdempotencyStore {
  const keys: Collection<IdempotencyRecord> = db.collection(IDEMPOTENCY_COLLECTION);
  const { ttlSeconds, staleAfterMs, logger } = options;

  const guarded = async <T>(doing: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw error instanceof DriveDepositsError ? error : withRetryAfter(doing, error);
    }
  };

  async function decide(key: string, fingerprint: string, now: Date): Promise<Reservation | 'retry'> {
    const existing = await keys.findOne({ _id: key });
    if (existing === null) return 'retry'; // deleted since the insert failed
    // Expired keys are treated as absent whether or not a TTL monitor has removed them yet.
    if (existing.expires_at <= now) {
      await keys.deleteOne({ _id: key, expires_at: existing.expires_at });
      return 'retry';
    }
    if (existing.fingerprint !== fingerprint) {
      throw new DriveDepositsError(
        'DD_IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used with a different request body. Use a new key for a new request.',
      );
    }
    if (existing.state === 'published') return { outcome: 'published', record: existing };
    const age = now.getTime() - existing.reserved_at.getTime();
    if (age < staleAfterMs) throw inProgress(staleAfterMs - age);
    // Take over the stale attempt; of concurrent retries exactly one matches the old reserved_at.
    const taken = await keys.updateOne(
      { _id: key, state: 'pending', reserved_at: existing.reserved_at },
      { $set: { reserved_at: now } },
    );
    if (taken.modifiedCount === 1) return { outcome: 'stale', record: { ...existing, reserved_at: now } };
    throw inProgress(staleAfterMs);
  }

  return {
    ensureIndexes: () =>
      guarded('creating idempotency indexes', () => ensureTtlIndex(keys, 'expires_at', logger)),

    reserve: (key, fingerprint, event, now = new Date()) =>
      guarded('reserving an idempotency key', async () => {
        for (let attempt = 0; attempt < 3; attempt++) {
          try {
            await keys.insertOne({
              _id: key,
              fingerprint,
              portfolio_uuid: event.portfolio.uuid,
              event,
              state: 'pending',
              reserved_at: now,
              expires_at: new Date(now.getTime() + ttlSeconds * 1000),
            });
            return { outcome: 'reserved' } as const;
          } catch (error) {
            if (!isDuplicateKeyError(error)) throw error;
          }
          const decided = await decide(key, fingerprint, now);
          if (decided !== 'retry') return decided;
        }
        throw inProgress(staleAfterMs);
      }),

    markPublished: (key) =>
      guarded('confirming an idempotency key', async () => {
        await keys.updateOne({ _id: key }, { $set: { state: 'published' } });
      }),
  };
}

const inProgress = (remainingMs: number) =>
  new DriveDepositsError(
    'DD_IDEMPOTENCY_KEY_IN_PROGRESS',
    'A request with this Idempotency-Key is still being processed. Retry later.',
    { retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) },
  );
