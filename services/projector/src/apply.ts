// Applying the projection's writes: one unordered bulk write per collection and version. The writes
// converge (projection.ts), so their order inside a flush does not matter and a retry is harmless.
import { bulkWriteUnordered, DUPLICATE_KEY_CODE, type BulkWritePolicy } from '@drive-deposits/mongo';
import type { ReadModelCollections } from '@drive-deposits/read-model';
import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import { WRITE_KINDS, type ReadModelWrites, type WriteKind } from './projection';

const upsertFilterFields = (operation: AnyBulkWriteOperation<Document>): string[] | undefined =>
  'updateOne' in operation && operation.updateOne.upsert === true
    ? Object.keys(operation.updateOne.filter)
    : undefined;

/** An upsert guarded by livePortfolio: its `_id` and `status: { $ne: 'deleted' }`. */
const isGuardedUpsert = (operation: AnyBulkWriteOperation<Document>): boolean =>
  upsertFilterFields(operation)?.join() === '_id,status';

const policy = (tombstoned: (uuid: string) => void): BulkWritePolicy<Document> => ({
  /**
   * A duplicate key on an insert of an immutable document (result, bank, deposit) is the intended
   * outcome of a replay: it is already written, nothing to do. On a guarded upsert, after its retry,
   * it means the portfolio is a tombstone: nothing to write (and what its event inserted is removed).
   */
  expected: (operation, code) => {
    if (code !== DUPLICATE_KEY_CODE) return false;
    if ('insertOne' in operation) return true;
    if (!isGuardedUpsert(operation) || !('updateOne' in operation)) return false;
    tombstoned(String((operation.updateOne.filter as { _id: unknown })._id));
    return true;
  },
  /**
   * Two writers upserting the same new `_id` at the same moment (the projector and the command API's
   * `accepted` status): both miss, both insert, one fails with a duplicate key. The document exists
   * now, so the same upsert again is a plain update. MongoDB retries such an upsert itself (equality
   * on `_id`); a server that does not gets it retried here, once.
   */
  retryOnce: (operation, code) =>
    code === DUPLICATE_KEY_CODE &&
    (isGuardedUpsert(operation) || (upsertFilterFields(operation)?.every((f) => f === '_id') ?? false)),
});

const write = (
  collections: ReadModelCollections,
  writes: ReadModelWrites,
  kind: WriteKind,
  tombstoned: (uuid: string) => void = () => undefined,
) =>
  bulkWriteUnordered(
    collections[kind] as unknown as Collection<Document>,
    writes[kind] as AnyBulkWriteOperation<Document>[],
    policy(tombstoned),
  );

/**
 * Applies the writes to one version's collections; resolves once MongoDB acknowledged all of them.
 * Portfolios go last, so a reader that sees `calculated` finds the result, banks and deposits too.
 */
export async function applyWrites(collections: ReadModelCollections, writes: ReadModelWrites): Promise<void> {
  await Promise.all(
    WRITE_KINDS.filter((kind) => kind !== 'portfolios').map((kind) => write(collections, writes, kind)),
  );
  const deleted = new Set<string>();
  await write(collections, writes, 'portfolios', (uuid) => deleted.add(uuid));
  // An event of a portfolio deleted before it arrived (a late or replayed PortfolioCalculated, a
  // rebuild reading the topics in another order): remove whatever it inserted.
  if (deleted.size > 0) {
    const removals = [...deleted].map((uuid) => ({
      results: { deleteOne: { filter: { _id: uuid } } },
      banks: { deleteMany: { filter: { portfolio_uuid: uuid } } },
      deposits: { deleteMany: { filter: { portfolio_uuid: uuid } } },
    }));
    await Promise.all(
      (['results', 'banks', 'deposits'] as const).map((kind) =>
        bulkWriteUnordered(
          collections[kind] as unknown as Collection<Document>,
          removals.map((r) => r[kind]) as AnyBulkWriteOperation<Document>[],
          policy(() => undefined),
        ),
      ),
    );
  }
}
