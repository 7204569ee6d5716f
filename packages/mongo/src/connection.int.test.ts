// Against the int project's MongoDB-compatible server (FerretDB locally).
import { createLogger } from '@drive-deposits/logging';
import { mongoUrl, uniqueName } from '@drive-deposits/testing';
import type { IndexDescription } from 'mongodb';
import { connectMongo, ensureIndexes, type MongoConnection } from './connection';

const logger = createLogger({ service: 'mongo-int-test', level: 'warn' });

describe('connectMongo', () => {
  let connection: MongoConnection;
  const db = uniqueName('mongo_int');

  beforeAll(async () => {
    connection = await connectMongo({ url: mongoUrl(), db }, logger, { appName: 'mongo-int-test' });
  });

  afterAll(async () => {
    await connection.db.dropDatabase();
    await connection.close();
  });

  it('answers ping', async () => {
    await expect(connection.ping()).resolves.toBeUndefined();
  });

  it('creates indexes idempotently', async () => {
    const collection = connection.db.collection('things');
    const specs: IndexDescription[] = [
      { name: 'by_owner_rank', key: { owner: 1, rank: 1, created_at: 1, _id: 1 } },
      { name: 'by_key', key: { key: 1 }, unique: true },
    ];
    expect(await ensureIndexes(collection, specs)).toEqual(['by_owner_rank', 'by_key']);
    expect(await ensureIndexes(collection, specs)).toEqual(['by_owner_rank', 'by_key']);
    const names = (await collection.listIndexes().toArray()).map((index) => index.name as string);
    expect(names.sort()).toEqual(['_id_', 'by_key', 'by_owner_rank']);
  });

  it('upserts the way the read models write', async () => {
    const collection = connection.db.collection<{ _id: string; n: number }>('upserts');
    for (let i = 0; i < 2; i += 1) {
      await collection.updateOne({ _id: 'a' }, { $setOnInsert: { n: 1 } }, { upsert: true });
    }
    expect(await collection.find().toArray()).toEqual([{ _id: 'a', n: 1 }]);
  });
});

describe('an unreachable MongoDB', () => {
  it('fails to connect with a retriable DD_DEPENDENCY_UNAVAILABLE', async () => {
    await expect(connectMongo({ url: 'mongodb://127.0.0.1:9/', db: 'x' }, logger)).rejects.toMatchObject({
      code: 'DD_DEPENDENCY_UNAVAILABLE',
      retriable: true,
    });
  });
});
