// Applying ReadModelWrites: one unordered bulkWrite per collection and version. The writes
// converge (documents.ts), so their order inside a batch does not matter and a retry is harmless.
import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Document } from 'mongodb';
import type { ReadModelCollections } from './collections';
import type { ReadModelWrites } from './documents';

const DUPLICATE_KEY = 11000;

export const emptyWrites = (): ReadModelWrites => ({ portfolios: [], banks: [], deposits: [] });

export function mergeWrites(all: readonly ReadModelWrites[]): ReadModelWrites {
  const merged = emptyWrites();
  for (const writes of all) {
    merged.portfolios.push(...writes.portfolios);
    merged.banks.push(...writes.banks);
    merged.deposits.push(...writes.deposits);
  }
  return merged;
}

export const countWrites = (writes: ReadModelWrites): number =>
  writes.portfolios.length + writes.banks.length + writes.deposits.length;

/**
 * A conditional upsert (a filter beyond `_id`, e.g. "unless already calculated") whose document
 * exists but does not match tries to insert that `_id` again and fails with a duplicate key: the
 * condition said "nothing to do", so that one failure is the intended outcome.
 */
function isSkippedConditionalUpsert(operation: AnyBulkWriteOperation<Document> | undefined, code: unknown) {
  if (code !== DUPLICATE_KEY || operation === undefined || !('updateOne' in operation)) return false;
  const { filter, upsert } = operation.updateOne;
  return upsert === true && Object.keys(filter).some((field) => field !== '_id');
}

async function bulkWrite<T extends Document>(
  collection: Collection<T>,
  operations: AnyBulkWriteOperation<T>[],
): Promise<void> {
  if (operations.length === 0) return;
  try {
    await collection.bulkWrite(operations, { ordered: false });
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const failures = error.writeErrors;
    const list = Array.isArray(failures) ? failures : [failures];
    const operationsAsDocs = operations as AnyBulkWriteOperation<Document>[];
    const real = list.filter((e) => !isSkippedConditionalUpsert(operationsAsDocs[e.index], e.code));
    // A bulk error without write errors (e.g. the connection dropped) is a failure of the whole call.
    if (real.length > 0 || list.length === 0) throw error;
  }
}

/** Applies the writes to one version's collections; resolves once MongoDB acknowledged all of them. */
export async function applyWrites(collections: ReadModelCollections, writes: ReadModelWrites): Promise<void> {
  await Promise.all([
    bulkWrite(collections.portfolios, writes.portfolios),
    bulkWrite(collections.banks, writes.banks),
    bulkWrite(collections.deposits, writes.deposits),
  ]);
}
