// An unordered bulk write in which some write errors are expected outcomes (e.g. a duplicate key
// that means "already written"), sent in commands of a bounded size. What the local MongoDB-wire
// server (FerretDB 1.x) needs is kept here, in this one adapter: see each constant and branch.
import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Document } from 'mongodb';

export interface BulkWritePolicy<T extends Document> {
  /** a write error that is the intended outcome of its operation: nothing to do */
  expected(operation: AnyBulkWriteOperation<T>, code: unknown): boolean;
  /** a write error after which the same operation, sent once more, succeeds */
  retryOnce?(operation: AnyBulkWriteOperation<T>, code: unknown): boolean;
}

/**
 * Statements per write command. FerretDB 1.x executes a command's update statements one by one and
 * each costs more the more there are in the command (1,200 upserts in one command: ≈ 230/s; in
 * commands of 100: ≈ 430/s, measured on the local server), so a large write goes as several
 * commands of at most 100 updates; inserts are batched by the server and go 1,000 a command.
 */
const UPDATES_PER_COMMAND = 100;
const INSERTS_PER_COMMAND = 1000;

/** Resolves once every operation is written or ended in an expected error; throws any other failure. */
export async function bulkWriteUnordered<T extends Document>(
  collection: Collection<T>,
  operations: AnyBulkWriteOperation<T>[],
  policy: BulkWritePolicy<T>,
): Promise<void> {
  const per = operations.every((op) => 'insertOne' in op) ? INSERTS_PER_COMMAND : UPDATES_PER_COMMAND;
  for (let from = 0; from < operations.length; from += per) {
    await writeCommand(collection, operations.slice(from, from + per), policy, 1);
  }
}

async function writeCommand<T extends Document>(
  collection: Collection<T>,
  operations: AnyBulkWriteOperation<T>[],
  policy: BulkWritePolicy<T>,
  retriesLeft: number,
): Promise<void> {
  if (operations.length === 0) return;
  try {
    await collection.bulkWrite(operations, { ordered: false });
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const failures = error.writeErrors;
    const list = Array.isArray(failures) ? failures : [failures];
    const operationOf = (e: (typeof list)[number]) => operations[e.index];
    const retried = list.filter((e) => {
      const op = operationOf(e);
      return retriesLeft > 0 && op !== undefined && policy.retryOnce?.(op, e.code) === true;
    });
    const real = list.filter((e) => {
      const op = operationOf(e);
      return !retried.includes(e) && (op === undefined || !policy.expected(op, e.code));
    });
    // A bulk error without write errors (e.g. the connection dropped) is a failure of the whole call.
    if (real.length > 0 || list.length === 0) throw error;
    await writeCommand(
      collection,
      retried.flatMap((e) => operationOf(e) ?? []),
      policy,
      retriesLeft - 1,
    );
    // FerretDB 1.x stops an update command at its first write error even when it is unordered, so
    // the statements after it were never executed: send them again (MongoDB executes them all, and
    // then every statement is counted and nothing is resent).
    const { insertedCount, matchedCount, upsertedCount } = error.result;
    if (insertedCount + matchedCount + upsertedCount + list.length < operations.length) {
      const last = Math.max(...list.map((e) => e.index));
      await writeCommand(collection, operations.slice(last + 1), policy, retriesLeft);
    }
  }
}
