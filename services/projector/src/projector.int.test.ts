import { randomUUID } from 'node:crypto';
import { calculationFailedEvent, DriveDepositsError } from '@drive-deposits/core';
import { readModelCollections, readVersions, type PortfolioDoc } from '@drive-deposits/read-model';
import {
  portfolioEvents,
  portfolioRequest,
  startReadSide,
  waitFor,
  type ReadSide,
} from './read-side.fixture';

jest.setTimeout(60_000);

let side: ReadSide;

beforeAll(async () => {
  side = await startReadSide('projector');
});
afterAll(async () => {
  await side?.stop();
});

const collections = () => readModelCollections(side.mongo.db, 1);
const portfolio = (uuid: string) => collections().portfolios.findOne({ _id: uuid });
const statusOf = (uuid: string, status: PortfolioDoc['status']) =>
  waitFor(async () => ((await portfolio(uuid))?.status === status ? true : undefined), `${uuid} ${status}`);

async function everyDocument() {
  const all = collections();
  return {
    portfolios: await all.portfolios.find({}, { sort: { _id: 1 } }).toArray(),
    results: await all.results.find({}, { sort: { _id: 1 } }).toArray(),
    banks: await all.banks.find({}, { sort: { _id: 1 } }).toArray(),
    deposits: await all.deposits.find({}, { sort: { _id: 1 } }).toArray(),
  };
}

const request = portfolioRequest('1', 'Month', [
  [
    { apy: '5.4', years: '2', amount: '10000' },
    { apy: '0.01', years: '10', amount: '100' },
  ],
  [{ apy: '4', years: '1.5', amount: '7000', account_type: 'BrokerageCertificateOfDeposit' }],
]);

test('status goes accepted → calculated, with banks and deposits written', async () => {
  const { submitted, calculated } = portfolioEvents(request, '2024-09-05T15:48:34.811Z');
  const uuid = submitted.portfolio.uuid;
  await side.publishSubmitted(submitted);
  await statusOf(uuid, 'accepted');
  const accepted = await portfolio(uuid);
  expect(accepted).toMatchObject({ created_at: '2024-09-05T15:48:34.811Z', period_key: '1|Month' });
  // FerretDB v1 drops null values of $setOnInsert (MongoDB stores them): absent means null.
  expect(accepted?.outcome ?? null).toBeNull();
  expect(accepted?.error ?? null).toBeNull();
  expect(await collections().results.findOne({ _id: uuid })).toBeNull();
  await side.publishCalculated(calculated);
  await statusOf(uuid, 'calculated');
  const doc = await portfolio(uuid);
  expect(await collections().results.findOne({ _id: uuid })).toEqual({
    _id: uuid,
    response: calculated.portfolio,
  });
  expect(doc?.outcome).toEqual(calculated.portfolio.outcome);
  expect(await collections().banks.countDocuments({ portfolio_uuid: uuid })).toBe(2);
  expect(await collections().deposits.countDocuments({ portfolio_uuid: uuid })).toBe(3);
  expect((await readVersions(side.mongo.db)).writing).toEqual([1]);
});

test('a failed calculation — a PortfolioCalculated carrying the reason — marks its portfolio failed', async () => {
  const failed = portfolioEvents(request, '2024-09-05T15:48:35.000Z').submitted;
  await side.publishSubmitted(failed);
  await statusOf(failed.portfolio.uuid, 'accepted');
  await side.publishCalculated(calculationFailedEvent(failed, 'boom', { eventId: randomUUID() }));
  await statusOf(failed.portfolio.uuid, 'failed');
  const doc = await portfolio(failed.portfolio.uuid);
  expect(doc?.error).toEqual({ code: 'DD_CALCULATION_FAILED', message: 'boom' });
  // still known by its period, and never ranked
  expect(doc?.period).toBe(failed.portfolio.new_delta.period);
  expect(doc?.growth_key ?? null).toBeNull();
  expect(await collections().results.findOne({ _id: failed.portfolio.uuid })).toBeNull();
});

test('an undecodable event is dead-lettered by the projector and written nowhere else', async () => {
  const uuid = randomUUID();
  await side.publishRaw(side.topics.portfolioSubmitted, uuid, Buffer.from('not avro'));
  await side.caughtUp();
  const metrics = await side.metrics.registry.getSingleMetricAsString('dd_dead_letter_total');
  expect(metrics).toContain('code="DD_EVENT_UNDECODABLE"');
  expect(await portfolio(uuid)).toBeNull();
});

test('replaying every event twice, in any order, leaves identical documents', async () => {
  const events = [0, 1, 2].map((i) => portfolioEvents(request, `2024-09-06T00:00:0${i}.000Z`));
  for (const { submitted, calculated } of events) {
    await side.publishSubmitted(submitted);
    await side.publishCalculated(calculated);
  }
  await side.caughtUp();
  const before = await everyDocument();
  expect(before.portfolios.filter((p) => p.status === 'calculated').length).toBeGreaterThanOrEqual(4);
  for (let replay = 0; replay < 2; replay++) {
    for (const { submitted, calculated } of [...events].reverse()) {
      await side.publishCalculated(calculated);
      await side.publishSubmitted(submitted);
    }
  }
  await side.caughtUp();
  expect(await everyDocument()).toEqual(before);
});

test('a retriable failure is retried with backoff, then written and committed', async () => {
  let failures = 2;
  const retrying = await startReadSide('projector-retry', {
    targetVersions: async () => {
      if (failures-- > 0)
        throw new DriveDepositsError('DD_DEPENDENCY_UNAVAILABLE', 'MongoDB unavailable: test');
      return [1];
    },
  });
  try {
    const { submitted } = portfolioEvents(request, '2024-09-07T00:00:00.000Z');
    await retrying.publishSubmitted(submitted);
    await waitFor(
      async () =>
        (await readModelCollections(retrying.mongo.db, 1).portfolios.findOne({
          _id: submitted.portfolio.uuid,
        }))
          ? true
          : undefined,
      'the retried write',
    );
    await retrying.caughtUp();
    expect(failures).toBeLessThan(0);
    const failed = await retrying.metrics.registry.getSingleMetricAsString('dd_events_failed_total');
    expect(failed).toMatch(/code="DD_DEPENDENCY_UNAVAILABLE",service="projector-retry"} 2$/);
  } finally {
    await retrying.stop();
  }
});

describe('PortfolioDeleted', () => {
  const deletion = (uuid: string, owner = 'alice') => ({
    event_id: randomUUID(),
    correlation_id: randomUUID(),
    portfolio_uuid: uuid,
    owner,
    deleted_at: '2024-03-01T00:00:00.000Z',
  });
  const documentsOf = async (uuid: string) => {
    const all = collections();
    return {
      portfolio: await all.portfolios.findOne({ _id: uuid }),
      results: await all.results.countDocuments({ _id: uuid }),
      banks: await all.banks.countDocuments({ portfolio_uuid: uuid }),
      deposits: await all.deposits.countDocuments({ portfolio_uuid: uuid }),
    };
  };
  const tombstone = (uuid: string) => ({
    portfolio: expect.objectContaining({
      _id: uuid,
      status: 'deleted',
      owner: 'alice',
      outcome: null,
      growth_key: null,
      created_at: null,
      period: null,
    }),
    results: 0,
    banks: 0,
    deposits: 0,
  });

  test('removes every document of the portfolio and keeps a tombstone', async () => {
    const events = portfolioEvents(request, '2024-03-01T00:00:00.000Z', 'alice');
    const uuid = events.submitted.portfolio.uuid;
    await side.publishSubmitted(events.submitted);
    await side.publishCalculated(events.calculated);
    await statusOf(uuid, 'calculated');
    expect((await documentsOf(uuid)).deposits).toBeGreaterThan(0);
    await side.publishDeleted(deletion(uuid));
    await statusOf(uuid, 'deleted');
    expect(await documentsOf(uuid)).toEqual(tombstone(uuid));
  });

  test('late events after it — replayed submitted and calculated — do not bring it back', async () => {
    const events = portfolioEvents(request, '2024-03-01T00:00:01.000Z', 'alice');
    const uuid = events.submitted.portfolio.uuid;
    // the deletion first (a rebuild may read the topics in any order), then everything, twice
    await side.publishDeleted(deletion(uuid));
    await statusOf(uuid, 'deleted');
    for (let i = 0; i < 2; i++) {
      await side.publishSubmitted(events.submitted);
      await side.publishCalculated(events.calculated);
    }
    await side.caughtUp();
    expect(await documentsOf(uuid)).toEqual(tombstone(uuid));
  });
});
