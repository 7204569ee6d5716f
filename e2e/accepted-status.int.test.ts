// The two writers of a portfolio's status, on a real MongoDB-wire server: the `accepted` status the
// command API writes before a 202 converges with the projector's writes whatever the order,
// concurrency or repetition, and never turns a calculated portfolio back to accepted.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  calculateEvent,
  submitPortfolio,
  validatePortfolioRequest,
  type PortfolioSubmitted,
} from '@drive-deposits/core';
import { createLogger } from '@drive-deposits/logging';
import { connectMongo, type MongoConnection } from '@drive-deposits/mongo';
import { createReadModelIndexes, readModelCollections } from '@drive-deposits/read-model';
import { mongoUrl, REPO_ROOT, uniqueName } from '@drive-deposits/testing';
import { acceptedInReadModel } from '../services/command-api/src/read-model';
import { applyWrites } from '../services/projector/src/apply';
import {
  writesForCalculated,
  writesForDeleted,
  writesForSubmitted,
} from '../services/projector/src/projection';

const logger = createLogger({ service: 'command-api-test', level: 'warn' });
let mongo: MongoConnection;

beforeAll(async () => {
  mongo = await connectMongo({ url: mongoUrl(), db: uniqueName('accepted').replace(/-/g, '_') }, logger);
  await createReadModelIndexes(readModelCollections(mongo.db, 1));
});

afterAll(async () => {
  await mongo?.db.dropDatabase();
  await mongo?.close();
});

const request = validatePortfolioRequest(
  JSON.parse(readFileSync(join(REPO_ROOT, 'examples/requests/two-banks-2-weeks.json'), 'utf8')),
);
function submitted(): PortfolioSubmitted {
  if (!request.ok) throw new Error('example request is invalid');
  return submitPortfolio(request.value, {
    newId: randomUUID,
    now: new Date().toISOString(),
    correlationId: 'accepted-test',
    eventId: randomUUID(),
  });
}
const portfolios = () => readModelCollections(mongo.db, 1).portfolios;
const projector = (writes: ReturnType<typeof writesForSubmitted>) =>
  applyWrites(readModelCollections(mongo.db, 1), writes);

it('writes the status accepted, the same document the projector writes for the event, idempotently', async () => {
  const event = submitted();
  const record = acceptedInReadModel(mongo.db);
  await record(event);
  const mine = await portfolios().findOne({ _id: event.portfolio.uuid });
  expect(mine?.status).toBe('accepted');
  await record(event);
  await projector(writesForSubmitted(event));
  expect(await portfolios().findOne({ _id: event.portfolio.uuid })).toEqual(mine);
});

it('never regresses a calculated portfolio, in either order and concurrently', async () => {
  const record = acceptedInReadModel(mongo.db);
  const events = Array.from({ length: 20 }, submitted);
  await Promise.all(
    events.map(async (event, i) => {
      const calculated = writesForCalculated(calculateEvent(event, { eventId: randomUUID() }));
      if (i % 3 === 0) {
        await projector(calculated);
        await record(event);
      } else {
        // at the same moment: two upserts of a new _id, one of them may hit a duplicate key
        await Promise.all([record(event), projector(calculated), record(event)]);
      }
    }),
  );
  const docs = await portfolios()
    .find({ _id: { $in: events.map((e) => e.portfolio.uuid) } })
    .toArray();
  expect(docs.map((d) => d.status)).toEqual(events.map(() => 'calculated'));
});

it('never brings back a deleted portfolio: its tombstone stays', async () => {
  const record = acceptedInReadModel(mongo.db);
  const event = submitted();
  const deleted = {
    event_id: randomUUID(),
    correlation_id: 'accepted-test',
    portfolio_uuid: event.portfolio.uuid,
    owner: 'someone',
    deleted_at: new Date().toISOString(),
  };
  await projector(writesForDeleted(deleted));
  const tombstone = await portfolios().findOne({ _id: event.portfolio.uuid });
  expect(tombstone).toMatchObject({ status: 'deleted', owner: 'someone', created_at: null });
  // a late or replayed submission, alone and among new ones in the same bulk
  const others = Array.from({ length: 5 }, submitted);
  await Promise.all([record(event), ...others.map(record)]);
  expect(await portfolios().findOne({ _id: event.portfolio.uuid })).toEqual(tombstone);
  const statuses = await portfolios()
    .find({ _id: { $in: others.map((e) => e.portfolio.uuid) } })
    .toArray();
  expect(statuses.map((d) => d.status)).toEqual(others.map(() => 'accepted'));
});
