import { randomUUID } from 'node:crypto';
import { calculationFailedEvent } from '@drive-deposits/core';
import { readModelCollections, readVersions } from '@drive-deposits/read-model';
import { createLogger } from '@drive-deposits/logging';
import { createMetrics } from '@drive-deposits/runtime';
import { portfolioEvents, portfolioRequest, startReadSide, type ReadSide } from './read-side.fixture';
import { rebuildReadModels } from './rebuild-read-models';

jest.setTimeout(60_000);

let side: ReadSide;
beforeAll(async () => {
  side = await startReadSide('rebuild');
});
afterAll(async () => {
  await side?.stop();
});

async function documents(version: number) {
  const all = readModelCollections(side.mongo.db, version);
  const sorted = { sort: { _id: 1 } } as const;
  return {
    portfolios: await all.portfolios.find({}, sorted).toArray(),
    results: await all.results.find({}, sorted).toArray(),
    banks: await all.banks.find({}, sorted).toArray(),
    deposits: await all.deposits.find({}, sorted).toArray(),
  };
}

test('replays the log into version 2, switches active, and version 2 equals what the live projector built', async () => {
  const request = portfolioRequest('1', 'Month', [[{ apy: '5', years: '2', amount: '1000' }]]);
  for (let i = 0; i < 5; i++) {
    const { submitted, calculated } = portfolioEvents(request, `2024-02-01T00:00:0${i}.000Z`);
    await side.publishSubmitted(submitted);
    if (i !== 4) await side.publishCalculated(calculated);
  }
  // a deleted portfolio: the rebuild honours the deletion (a tombstone, no result, bank or deposit)
  const erased = portfolioEvents(request, '2024-02-01T00:00:06.000Z', 'alice');
  await side.publishSubmitted(erased.submitted);
  await side.publishCalculated(erased.calculated);
  await side.publishDeleted({
    event_id: randomUUID(),
    correlation_id: randomUUID(),
    portfolio_uuid: erased.submitted.portfolio.uuid,
    owner: 'alice',
    deleted_at: '2024-02-01T00:00:07.000Z',
  });
  const failed = portfolioEvents(request, '2024-02-01T00:00:05.000Z').submitted;
  await side.publishSubmitted(failed);
  await side.publishCalculated(
    calculationFailedEvent(failed, 'cannot be calculated', { eventId: randomUUID() }),
  );
  // unreadable: dead-lettered by the projector, in no read model
  await side.publishRaw(
    side.topics.portfolioSubmitted,
    '6f0c2f7e-8a43-4a39-9d59-5b1f6a0e2c11',
    Buffer.from('x'),
  );
  await side.caughtUp();
  const lines: string[] = [];
  const result = await rebuildReadModels({
    kafka: side.kafka,
    codec: side.codec,
    db: side.mongo.db,
    topics: side.topics,
    liveGroupId: side.groupId,
    logger: createLogger({ service: 'rebuild-test', level: 'silent' }),
    metrics: createMetrics({ service: 'rebuild-test', defaultMetrics: false }),
    progress: (line) => lines.push(line),
  });
  expect(result.version).toBe(2);
  expect(await readVersions(side.mongo.db)).toEqual({ active: 2, writing: [2] });
  const rebuilt = await documents(2);
  expect(rebuilt).toEqual(await documents(1));
  expect(rebuilt.portfolios.map((p) => p.status).sort()).toEqual([
    'accepted',
    'calculated',
    'calculated',
    'calculated',
    'calculated',
    'deleted',
    'failed',
  ]);
  const erasedUuid = erased.submitted.portfolio.uuid;
  expect(rebuilt.results.some((r) => r._id === erasedUuid)).toBe(false);
  expect(rebuilt.banks.some((b) => b.portfolio_uuid === erasedUuid)).toBe(false);
  expect(rebuilt.deposits.some((d) => d.portfolio_uuid === erasedUuid)).toBe(false);
  expect(lines.at(-1)).toMatch(/^rebuild: done, version 2 active; \d+ events in/);
  // the live projector now writes version 2 only
  const later = portfolioEvents(request, '2024-02-02T00:00:00.000Z');
  await side.publishSubmitted(later.submitted);
  await side.caughtUp();
  expect(
    await readModelCollections(side.mongo.db, 2).portfolios.countDocuments({
      _id: later.submitted.portfolio.uuid,
    }),
  ).toBe(1);
  expect(
    await readModelCollections(side.mongo.db, 1).portfolios.countDocuments({
      _id: later.submitted.portfolio.uuid,
    }),
  ).toBe(0);
});
