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

const POLICY: BulkWritePolicy<Document> = {
  /**
   * A duplicate key on an insert of an immutable document (result, bank, deposit) is the intended
   * outcome of a replay: it is already written, nothing to do.
   */
  expected: (operation, code) => code === DUPLICATE_KEY_CODE && 'insertOne' in operation,
  /**
   * Two writers upserting the same new `_id` at the same moment (the projector and the command API's
   * `accepted` status): both miss, both insert, one fails with a duplicate key. The document exists
   * now, so the same upsert again is a plain update. MongoDB retries such an upsert itself (equality
   * on `_id`); a server that does not gets it retried here, once.
   */
  retryOnce: (operation, code) =>
    code === DUPLICATE_KEY_CODE && (upsertFilterFields(operation)?.every((f) => f === '_id') ?? false),
};

const write = (collections: ReadModelCollections, writes: ReadModelWrites, kind: WriteKind) =>
  bulkWriteUnordered(
    collections[kind] as unknown as Collection<Document>,
    writes[kind] as AnyBulkWriteOperation<Document>[],
    POLICY,
  );

/**
 * Applies the writes to one version's collections; resolves once MongoDB acknowledged all of them.
 * Portfolios go last, so a reader that sees `calculated` finds the result, banks and deposits too.
 */
export async function applyWrites(collections: ReadModelCollections, writes: ReadModelWrites): Promise<void> {
  await Promise.all(
    WRITE_KINDS.filter((kind) => kind !== 'portfolios').map((kind) => write(collections, writes, kind)),
  );
  await write(collections, writes, 'portfolios');
}
