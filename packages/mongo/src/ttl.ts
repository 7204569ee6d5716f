// A TTL index: MongoDB deletes a document once the date in `field` has passed. The local
// MongoDB-wire server (FerretDB 1.x) has no TTL indexes; there the field gets a plain index and
// expired documents are deleted on an interval instead. This adapter is the one place that knows.
import type { Logger } from '@drive-deposits/logging';
import type { Collection, Document } from 'mongodb';
import { ensureIndexes } from './connection';

export interface TtlIndex {
  /** stops the interval purge, if there is one */
  stop(): void;
}

/** how often expired documents are deleted where the server has no TTL index */
const PURGE_EVERY_MS = 600_000;

/** FerretDB 1.x answers "Index option expireAfterSeconds is not implemented yet". */
const isNotImplemented = (error: unknown) =>
  (error as { code?: unknown } | null)?.code === 238 ||
  /not implemented/i.test(error instanceof Error ? error.message : '');

export async function ensureTtlIndex<T extends Document>(
  collection: Collection<T>,
  field: string,
  logger: Logger,
): Promise<TtlIndex> {
  try {
    await ensureIndexes(collection, [{ key: { [field]: 1 }, name: `${field}_ttl`, expireAfterSeconds: 0 }]);
    return { stop: () => undefined };
  } catch (error) {
    if (!isNotImplemented(error)) throw error;
  }
  logger.warn(
    { collection: collection.collectionName },
    `the MongoDB server has no TTL indexes: documents past ${field} are deleted every ${PURGE_EVERY_MS / 1000} s`,
  );
  await ensureIndexes(collection, [{ key: { [field]: 1 }, name: field }]);
  const purge = setInterval(() => {
    collection
      .deleteMany({ [field]: { $lte: new Date() } } as never)
      .catch((error: unknown) =>
        logger.warn({ err: error }, `purging expired ${collection.collectionName} failed`),
      );
  }, PURGE_EVERY_MS);
  purge.unref();
  return { stop: () => clearInterval(purge) };
}
