// bulkWriteUnordered on the real MongoDB-wire server: a write error the policy expects must not lose
// the writes after it. FerretDB 1.x stops even an unordered update command at its first write
// error; a projector flush that mixed an expected duplicate key with other portfolios' upserts lost
// those upserts (found by the rebuild test once flushes grouped batches).
import { randomUUID } from 'node:crypto';
import { createLogger } from '@drive-deposits/logging';
import { mongoUrl, uniqueName } from '@drive-deposits/testing';
import type { AnyBulkWriteOperation, Document } from 'mongodb';
import { bulkWriteUnordered } from './bulk-write';
import { DUPLICATE_KEY_CODE } from './errors';
import { connectMongo, type MongoConnection } from './connection';

let mongo: MongoConnection;
beforeAll(async () => {
  mongo = await connectMongo(
    { url: mongoUrl(), db: uniqueName('bulk') },
    createLogger({ service: 'bulk-write-test', level: 'silent' }),
  );
});

afterAll(async () => {
  await mongo?.db.dropDatabase();
  await mongo?.close();
});

const upsert = (filter: Document, status: string): AnyBulkWriteOperation<Document> => ({
  updateOne: { filter, update: { $set: { status } }, upsert: true },
});

it('applies every write after an expected duplicate key, and throws on one it does not expect', async () => {
  const items = mongo.db.collection<Document>('items');
  const done = randomUUID();
  await items.insertOne({ _id: done as never, status: 'calculated' });
  const others = Array.from({ length: 5 }, () => randomUUID());
  // "failed unless already calculated": the document exists and does not match, so the upsert
  // tries to insert its _id again — a duplicate key, by design.
  const operations = [
    upsert({ _id: done, status: { $ne: 'calculated' } }, 'failed'),
    ...others.map((id) => upsert({ _id: id }, 'accepted')),
  ];

  await expect(bulkWriteUnordered(items, operations, { expected: () => false })).rejects.toThrow(
    /duplicate/i,
  );
  await bulkWriteUnordered(items, operations, { expected: (_op, code) => code === DUPLICATE_KEY_CODE });
  expect(await items.countDocuments({ _id: { $in: others as never[] }, status: 'accepted' })).toBe(5);
  expect((await items.findOne({ _id: done as never }))?.status).toBe('calculated');
});
