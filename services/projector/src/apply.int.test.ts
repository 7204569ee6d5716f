// applyWrites on the real MongoDB-wire server: a duplicate key that means "already written" must not
// lose the writes after it. FerretDB 1.x stops even an unordered update command at its first write
// error; a projector flush that mixed a dead letter of an already-calculated portfolio with other
// portfolios' upserts lost those upserts (found by the rebuild test once flushes grouped batches).
import { randomUUID } from 'node:crypto';
import { connectMongo, type MongoConnection } from '@drive-deposits/mongo';
import { createLogger } from '@drive-deposits/logging';
import { mongoUrl, uniqueName } from '@drive-deposits/testing';
import { readModelCollections } from '@drive-deposits/read-model';
import { applyWrites } from './apply';
import { emptyWrites, mergeWrites, writesForDeadLetter, type ReadModelWrites } from './projection';

let mongo: MongoConnection;
beforeAll(async () => {
  mongo = await connectMongo(
    { url: mongoUrl(), db: uniqueName('apply') },
    createLogger({ service: 'apply-test', level: 'silent' }),
  );
});
afterAll(async () => {
  await mongo?.db.dropDatabase();
  await mongo?.close();
});

const accepted = (uuid: string): ReadModelWrites => ({
  ...emptyWrites(),
  portfolios: [
    {
      updateOne: {
        filter: { _id: uuid },
        update: { $setOnInsert: { status: 'accepted', growth_key: null, outcome: null, error: null } },
        upsert: true,
      },
    },
  ],
});

it('applies every write after a duplicate key that means "already written"', async () => {
  const collections = readModelCollections(mongo.db, 1);
  const calculated = randomUUID();
  await collections.portfolios.insertOne({ _id: calculated, status: 'calculated' } as never);
  const others = Array.from({ length: 5 }, () => randomUUID());
  const writes = mergeWrites([
    // "failed unless already calculated": a duplicate key here, by design
    writesForDeadLetter(calculated, { code: 'DD_EVENT_INVALID', message: 'late dead letter' }),
    ...others.map(accepted),
  ]);
  await applyWrites(collections, writes);
  expect(await collections.portfolios.countDocuments({ _id: { $in: others }, status: 'accepted' })).toBe(5);
  expect((await collections.portfolios.findOne({ _id: calculated }))?.status).toBe('calculated');
});
