// Applying ReadModelWrites: one unordered bulkWrite per collection and version (in commands of a
// bounded size, see bulkWrite). The writes converge (documents.ts), so their order inside a batch
// does not matter and a retry is harmless.
import { DUPLICATE_KEY_CODE } from '@drive-deposits/mongo';
import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Document } from 'mongodb';
import type { ReadModelCollections } from './collections';
import type { ReadModelWrites } from './documents';

const KINDS = ['portfolios', 'results', 'banks', 'deposits'] as const satisfies (keyof ReadModelWrites)[];

export const emptyWrites = (): ReadModelWrites => ({ portfolios: [], results: [], banks: [], deposits: [] });

export function mergeWrites(all: readonly ReadModelWrites[]): ReadModelWrites {
  const merged = emptyWrites();
  for (const writes of all) {
    for (const kind of KINDS) (merged[kind] as unknown[]).push(...writes[kind]);
  }
  return merged;
}

export const countWrites = (writes: ReadModelWrites): number =>
  KINDS.reduce((sum, kind) => sum + writes[kind].length, 0);

/**
 * A duplicate key is the intended outcome of two kinds of write, both meaning "nothing to do":
 * - an insert of an immutable document (result, bank, deposit) that a replay already wrote;
 * - a conditional upsert (a filter beyond `_id`, e.g. "unless already calculated") whose document
 *   exists but does not match, so it tried to insert that `_id` again.
 */
function isAlreadyWritten(operation: AnyBulkWriteOperation<Document> | undefined, code: unknown) {
  if (code !== DUPLICATE_KEY_CODE || operation === undefined) return false;
  if ('insertOne' in operation) return true;
  if (!('updateOne' in operation)) return false;
  const { filter, upsert } = operation.updateOne;
  return upsert === true && Object.keys(filter).some((field) => field !== '_id');
}

/**
 * Two writers upserting the same new `_id` at the same moment (the projector and the command API's
 * `accepted` status): both miss, both insert, one fails with a duplicate key. The document exists
 * now, so the same upsert again is a plain update. MongoDB retries such an upsert itself (equality
 * on `_id`); FerretDB does not.
 */
function isUpsertRace(operation: AnyBulkWriteOperation<Document> | undefined, code: unknown) {
  if (code !== DUPLICATE_KEY_CODE || operation === undefined || !('updateOne' in operation)) return false;
  const { filter, upsert } = operation.updateOne;
  return upsert === true && Object.keys(filter).every((field) => field === '_id');
}

/**
 * Statements per write command. FerretDB 1.x (SQLite) executes a command's update statements one by
 * one and each costs more the more there are in the command (1,200 upserts in one command: ≈ 230/s;
 * in commands of 100: ≈ 430/s, measured on the local server), so a large flush goes as several
 * commands of at most 100 updates; inserts are batched by the server and go 1,000 a command.
 */
const UPDATES_PER_COMMAND = 100;
const INSERTS_PER_COMMAND = 1000;

async function bulkWrite(collection: Collection<Document>, operations: AnyBulkWriteOperation<Document>[]) {
  const per = operations.every((op) => 'insertOne' in op) ? INSERTS_PER_COMMAND : UPDATES_PER_COMMAND;
  for (let from = 0; from < operations.length; from += per) {
    await bulkWriteCommand(collection, operations.slice(from, from + per));
  }
}

async function bulkWriteCommand(
  collection: Collection<Document>,
  operations: AnyBulkWriteOperation<Document>[],
  retriesLeft = 1,
) {
  if (operations.length === 0) return;
  try {
    await collection.bulkWrite(operations, { ordered: false });
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const failures = error.writeErrors;
    const list = Array.isArray(failures) ? failures : [failures];
    const races = list.filter((e) => retriesLeft > 0 && isUpsertRace(operations[e.index], e.code));
    const real = list.filter((e) => !isAlreadyWritten(operations[e.index], e.code) && !races.includes(e));
    // A bulk error without write errors (e.g. the connection dropped) is a failure of the whole call.
    if (real.length > 0 || list.length === 0) throw error;
    const again = races.flatMap((e) => operations[e.index] ?? []);
    await bulkWriteCommand(collection, again, retriesLeft - 1);
    // FerretDB 1.x stops an update command at its first write error even when it is unordered, so
    // the statements after it were never executed: send them again (MongoDB executes them all, and
    // then every statement is counted and nothing is resent).
    const { insertedCount, matchedCount, upsertedCount } = error.result;
    if (insertedCount + matchedCount + upsertedCount + list.length < operations.length) {
      const last = Math.max(...list.map((e) => e.index));
      await bulkWriteCommand(collection, operations.slice(last + 1));
    }
  }
}

const write = (collections: ReadModelCollections, writes: ReadModelWrites, kind: (typeof KINDS)[number]) =>
  bulkWrite(
    collections[kind] as unknown as Collection<Document>,
    writes[kind] as AnyBulkWriteOperation<Document>[],
  );

/**
 * Applies the writes to one version's collections; resolves once MongoDB acknowledged all of them.
 * Portfolios go last, so a reader that sees `calculated` finds the result, banks and deposits too.
 */
export async function applyWrites(collections: ReadModelCollections, writes: ReadModelWrites): Promise<void> {
  await Promise.all(
    KINDS.filter((kind) => kind !== 'portfolios').map((kind) => write(collections, writes, kind)),
  );
  await write(collections, writes, 'portfolios');
}
