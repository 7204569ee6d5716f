// The read side end to end: real events → projector → MongoDB → query API (in-process).
import { randomUUID } from 'node:crypto';
import { calculationFailedEvent, type PortfolioCalculated } from '@drive-deposits/core';
import { createLogger } from '@drive-deposits/logging';
import { readModelCollections } from '@drive-deposits/read-model';
import { createMetrics } from '@drive-deposits/runtime';
import type { Express } from 'express';
import { authHeader, openApiValidator, sortPlanOf, testAuthSettings } from '@drive-deposits/testing';
import { rankingQuery, RANKINGS, type Order, type RankingName } from '../services/query-api/src/rankings';
import request from 'supertest';
// The projector's harness: the read models here are written by the real projector.
import {
  portfolioEvents,
  portfolioRequest,
  startReadSide,
  waitFor,
  type ReadSide,
} from '../services/projector/src/read-side.fixture';
import { createQueryApi } from '../services/query-api/src/query-api';
import { authenticate, withoutAuthentication } from '@drive-deposits/http';

jest.setTimeout(60_000);

let side: ReadSide;
let app: Express;
const calculated: PortfolioCalculated[] = [];
let pending: string;

const cents = (money: string) => BigInt(money.replace('.', ''));
const growthOf = (c: PortfolioCalculated) => c.portfolio.outcome.delta!.growth;

/** The ranking spec §6 asks for, computed independently of the database: numeric, then created_at, then uuid. */
function expectedOrder<T>(
  items: T[],
  key: (t: T) => bigint,
  createdAt: (t: T) => string,
  id: (t: T) => string,
  order: Order,
) {
  const sign = order === 'asc' ? 1 : -1;
  return [...items].sort((a, b) => {
    const byKey = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
    if (byKey !== 0) return sign * byKey;
    if (createdAt(a) !== createdAt(b)) return sign * (createdAt(a) < createdAt(b) ? -1 : 1);
    return sign * (id(a) < id(b) ? -1 : 1);
  });
}

beforeAll(async () => {
  side = await startReadSide('query-api');
  app = createQueryApi({
    db: side.mongo.db,
    logger: createLogger({ service: 'query-api-test', level: 'silent' }),
    metrics: createMetrics({ service: 'query-api-test', defaultMetrics: false }),
    readiness: { mongo: side.mongo.ping },
    authenticate: withoutAuthentication,
  });
  const big = { apy: '5', years: '1', amount: '100000' }; // 13.70 a day
  const requests = [
    ['2024-01-01T00:00:00.000Z', portfolioRequest('2', 'Day', [[big]])], // 27.40
    ['2024-01-01T00:00:01.000Z', portfolioRequest('15', 'Day', [[big]])], // 205.48
    ['2024-01-01T00:00:02.000Z', portfolioRequest('15', 'Day', [[big]])], // tie on growth → created_at
    ['2024-01-01T00:00:02.000Z', portfolioRequest('15', 'Day', [[big]])], // tie on both → uuid
    [
      '2024-01-01T00:00:03.000Z',
      portfolioRequest('1', 'Month', [
        [big, { apy: '0.01', years: '10', amount: '100' }],
        [
          {
            apy: '4',
            years: '1.5',
            amount: '7000',
            account_type: 'BrokerageCertificateOfDeposit',
            start: '2023-11-23',
          },
        ],
        [big],
      ]),
    ],
    ['2024-01-01T00:00:04.000Z', portfolioRequest('1.0', 'Month', [[{ apy: '0', years: '1', amount: '5' }]])], // 0.00
  ] as const;
  for (const [createdAt, req] of requests) {
    const events = portfolioEvents(req, createdAt);
    await side.publishSubmitted(events.submitted);
    await side.publishCalculated(events.calculated);
    calculated.push(events.calculated);
  }
  const accepted = portfolioEvents(portfolioRequest('1', 'Week', [[big]]), '2024-01-01T00:00:05.000Z');
  await side.publishSubmitted(accepted.submitted);
  pending = accepted.submitted.portfolio.uuid;
  await side.caughtUp();
});
afterAll(async () => {
  await side?.stop();
});

const get = (path: string) => request(app).get(path);

async function allPages(path: string, topK: number): Promise<unknown[]> {
  const items: unknown[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await get(`${path}${sep}top_k=${topK}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    items.push(...res.body.data.responses);
    cursor = res.body.data.next_cursor;
    if (cursor === undefined) return items;
  }
  throw new Error('pagination did not end');
}

describe.each(['desc', 'asc'] as const)('ranking %s', (order) => {
  const portfolioIds = (list: PortfolioCalculated[]) =>
    expectedOrder(
      list,
      (c) => cents(growthOf(c)),
      (c) => c.portfolio.created_at,
      (c) => c.portfolio.uuid,
      order,
    ).map((c) => c.portfolio.uuid);

  test('portfolios: numeric growth, ties by created_at then uuid; the response shape of the original', async () => {
    const res = await get(`/by-level-for-portfolios/delta-growth?order=${order}&top_k=1000`);
    expect(res.status).toBe(200);
    expect(res.body.data.responses.map((r: { portfolio_uuid: string }) => r.portfolio_uuid)).toEqual(
      portfolioIds(calculated),
    );
    expect(res.body.data.count_responses).toBe(calculated.length);
    expect(res.body.data.next_cursor).toBeUndefined();
    expect(res.body.metadata).toEqual({
      order,
      top_k: 1000,
      sort_criteria_description:
        'Calculation results sorted by delta period growth for the overall calculation at the portfolios level',
    });
    const first = calculated.find((c) => c.portfolio.uuid === res.body.data.responses[0].portfolio_uuid)!;
    expect(res.body.data.responses[0]).toEqual({
      portfolio_uuid: first.portfolio.uuid,
      outcome: first.portfolio.outcome,
      created_at: first.portfolio.created_at,
    });
  });

  test('portfolios filtered by period rank like with like ("1.0" Month is "1" Month)', async () => {
    const fifteen = calculated.filter((c) => c.portfolio.outcome.delta!.period === '15');
    const res = await get(`/by-level-for-portfolios/delta-growth?order=${order}&period=15&period_unit=Day`);
    expect(res.body.data.responses.map((r: { portfolio_uuid: string }) => r.portfolio_uuid)).toEqual(
      portfolioIds(fifteen),
    );
    const month = await get(
      `/by-level-for-portfolios/delta-growth?order=${order}&period=1.00&period_unit=Month`,
    );
    expect(month.body.data.count_responses).toBe(2);
    const none = await get(`/by-level-for-portfolios/delta-growth?period=15&period_unit=Week`);
    expect(none.body.data).toEqual({ responses: [], count_responses: 0 });
  });

  test('banks and deposits of one portfolio, by growth and by maturity date', async () => {
    const portfolio = calculated[4]!.portfolio;
    const banks = await get(`/portfolios/${portfolio.uuid}/by-level-for-banks/delta-growth?order=${order}`);
    const bankOrder = expectedOrder(
      portfolio.banks,
      (b) => cents(b.outcome.delta!.growth),
      () => portfolio.created_at,
      (b) => b.uuid,
      order,
    );
    expect(banks.body.data.responses.map((b: { bank_uuid: string }) => b.bank_uuid)).toEqual(
      bankOrder.map((b) => b.uuid),
    );
    expect(banks.body.metadata.sort_criteria_description).toBe(
      `Calculation results sorted by delta period growth at the banks level for portfolio ${portfolio.uuid}`,
    );
    const deposits = portfolio.banks.flatMap((b) => b.deposits.map((d) => ({ ...d, bank: b })));
    const byGrowth = await get(
      `/portfolios/${portfolio.uuid}/by-level-for-deposits/delta-growth?order=${order}`,
    );
    const growthOrder = expectedOrder(
      deposits,
      (d) => cents(d.outcome.delta!.growth),
      () => portfolio.created_at,
      (d) => d.uuid,
      order,
    );
    expect(byGrowth.body.data.responses.map((d: { deposit_uuid: string }) => d.deposit_uuid)).toEqual(
      growthOrder.map((d) => d.uuid),
    );
    const byDate = await get(
      `/portfolios/${portfolio.uuid}/by-level-for-deposits/maturity-date?order=${order}`,
    );
    const dateOrder = expectedOrder(
      deposits,
      (d) => BigInt(Date.parse(d.outcome_with_dates.maturity_date_in_bank_tz!)),
      () => portfolio.created_at,
      (d) => d.uuid,
      order,
    );
    expect(byDate.body.data.responses.map((d: { deposit_uuid: string }) => d.deposit_uuid)).toEqual(
      dateOrder.map((d) => d.uuid),
    );
    const top = dateOrder[0]!;
    expect(byDate.body.data.responses[0]).toEqual({
      deposit_uuid: top.uuid,
      bank_uuid: top.bank.uuid,
      bank_name: top.bank.name,
      portfolio_uuid: portfolio.uuid,
      account: top.account,
      account_type: top.account_type,
      apy: top.apy,
      years: top.years,
      deposit_delta_growth: top.outcome.delta!.growth,
      deposit_maturity_date_in_bank_tz: top.outcome_with_dates.maturity_date_in_bank_tz,
      outcome: top.outcome,
      outcome_with_dates: top.outcome_with_dates,
      created_at: portfolio.created_at,
    });
  });

  test('paging through every ranking with next_cursor yields the full ordered list', async () => {
    const uuid = calculated[4]!.portfolio.uuid;
    for (const path of [
      `/by-level-for-portfolios/delta-growth?order=${order}`,
      `/by-level-for-portfolios/delta-growth?order=${order}&period=15&period_unit=Day`,
      `/portfolios/${uuid}/by-level-for-banks/delta-growth?order=${order}`,
      `/portfolios/${uuid}/by-level-for-deposits/delta-growth?order=${order}`,
      `/portfolios/${uuid}/by-level-for-deposits/maturity-date?order=${order}`,
    ]) {
      const full = (await get(`${path}&top_k=1000`)).body.data.responses;
      expect(await allPages(path, 1)).toEqual(full);
      expect(await allPages(path, 2)).toEqual(full);
    }
  });
});

test('top_k bounds the page and defaults to 10; top_k=0 is an empty page', async () => {
  const two = await get('/by-level-for-portfolios/delta-growth?top_k=2');
  expect(two.body.data.count_responses).toBe(2);
  expect(typeof two.body.data.next_cursor).toBe('string');
  expect((await get('/by-level-for-portfolios/delta-growth')).body.metadata.top_k).toBe(10);
  expect((await get('/by-level-for-portfolios/delta-growth?top_k=0')).body.data).toEqual({
    responses: [],
    count_responses: 0,
  });
});

test('status lookup: accepted, then calculated with the result; unknown → 404', async () => {
  expect((await get(`/portfolios/${pending}`)).body).toEqual({
    portfolio_uuid: pending,
    status: 'accepted',
    created_at: '2024-01-01T00:00:05.000Z',
  });
  const done = calculated[0]!.portfolio;
  expect((await get(`/portfolios/${done.uuid}`)).body).toEqual({
    portfolio_uuid: done.uuid,
    status: 'calculated',
    created_at: done.created_at,
    portfolio: done,
  });
  const unknown = randomUUID();
  for (const path of [
    `/portfolios/${unknown}`,
    `/portfolios/${unknown}/by-level-for-banks/delta-growth`,
    `/portfolios/${unknown}/by-level-for-deposits/delta-growth`,
    `/portfolios/${unknown}/by-level-for-deposits/maturity-date`,
  ]) {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'DD_NOT_FOUND', detail: `No portfolio ${unknown}.` });
  }
});

test('a failed portfolio reports its error', async () => {
  const { submitted } = portfolioEvents(
    portfolioRequest('1', 'Day', [[{ apy: '1', years: '1', amount: '1' }]]),
    '2024-01-02T00:00:00.000Z',
  );
  await side.publishSubmitted(submitted);
  await side.publishCalculated(calculationFailedEvent(submitted, 'the reason', { eventId: randomUUID() }));
  const body = await waitFor(async () => {
    const res = await get(`/portfolios/${submitted.portfolio.uuid}`);
    return res.body.status === 'failed' ? res.body : undefined;
  }, 'the failed status');
  expect(body).toEqual({
    portfolio_uuid: submitted.portfolio.uuid,
    status: 'failed',
    created_at: submitted.portfolio.created_at,
    error: { code: 'DD_CALCULATION_FAILED', message: 'the reason' },
  });
});

describe('bad parameters are 400 problems that never reach MongoDB', () => {
  const uuid = () => calculated[0]!.portfolio.uuid;
  const otherOrderCursor = async () =>
    (await get('/by-level-for-portfolios/delta-growth?top_k=1&order=asc')).body.data.next_cursor as string;
  it.each([
    ['/portfolios/NOT-A-UUID', 'uuid'],
    ['/portfolios/0B9F4A52-1C1E-4D8E-9D7E-3F1A2B3C4D5E/by-level-for-banks/delta-growth', 'uuid'],
    ['/by-level-for-portfolios/delta-growth?order=up', 'order'],
    ['/by-level-for-portfolios/delta-growth?order=ASC', 'order'],
    ['/by-level-for-portfolios/delta-growth?top_k=1001', 'top_k'],
    ['/by-level-for-portfolios/delta-growth?top_k=-1', 'top_k'],
    ['/by-level-for-portfolios/delta-growth?top_k=1.5', 'top_k'],
    ['/by-level-for-portfolios/delta-growth?top_k=ten', 'top_k'],
    ['/by-level-for-portfolios/delta-growth?order[$gt]=', 'order[$gt]'],
    ['/by-level-for-portfolios/delta-growth?order=asc&order=desc', 'order'],
    ['/by-level-for-portfolios/delta-growth?sort=growth', 'sort'],
    ['/by-level-for-portfolios/delta-growth?period=15', 'period_unit'],
    ['/by-level-for-portfolios/delta-growth?period_unit=Day', 'period'],
    ['/by-level-for-portfolios/delta-growth?period=0&period_unit=Day', 'period'],
    ['/by-level-for-portfolios/delta-growth?period=abc&period_unit=Day', 'period'],
    ['/by-level-for-portfolios/delta-growth?period=1&period_unit=Century', 'period_unit'],
    ['/by-level-for-portfolios/delta-growth?cursor=not-a-cursor', 'cursor'],
    ['/by-level-for-portfolios/delta-growth?cursor=a%20b', 'cursor'],
    ['/portfolios/{uuid}?top_k=1', 'top_k'],
  ])('%s', async (path, parameter) => {
    const res = await get(path.replace('{uuid}', uuid()));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('DD_INVALID_PARAMETER');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(parameter);
  });

  it('a cursor of another order or route', async () => {
    const cursor = await otherOrderCursor();
    const desc = await get(`/by-level-for-portfolios/delta-growth?order=desc&cursor=${cursor}`);
    expect(desc.status).toBe(400);
    expect(desc.body.errors[0].path).toBe('cursor');
    const banks = await get(
      `/portfolios/${uuid()}/by-level-for-banks/delta-growth?order=asc&cursor=${cursor}`,
    );
    expect(banks.status).toBe(400);
  });
});

test('every ranking query, first page and keyset pages, walks its index with no in-memory sort', async () => {
  const collections = readModelCollections(side.mongo.db, 1);
  const scopes: Record<RankingName, Record<string, string>> = {
    portfolios_by_growth: { status: 'calculated' },
    portfolios_by_period_growth: { status: 'calculated', period_key: '15|Day' },
    portfolios_by_owner_growth: { owner: 'alice', status: 'calculated' },
    portfolios_by_owner_period_growth: { owner: 'alice', status: 'calculated', period_key: '15|Day' },
    banks_by_growth: { portfolio_uuid: calculated[4]!.portfolio.uuid },
    deposits_by_growth: { portfolio_uuid: calculated[4]!.portfolio.uuid },
    deposits_by_maturity: { portfolio_uuid: calculated[4]!.portfolio.uuid },
  };
  for (const name of Object.keys(RANKINGS) as RankingName[]) {
    for (const order of ['asc', 'desc'] as const) {
      const after = {
        key: name === 'deposits_by_maturity' ? 20000 : '00045000',
        created_at: '2024-01-01T00:00:02.000Z',
        _id: randomUUID(),
      };
      for (const position of [undefined, after]) {
        const { ranges, sort } = rankingQuery(name, scopes[name], order, position);
        const collection = collections[RANKINGS[name].collection];
        for (const range of ranges) {
          // MongoDB: IXSCAN of the ranking's index, no SORT stage. FerretDB (with infra/ferretdb/patches):
          // the filter, sort and limit pushed down to SQLite, which searches that index, no TEMP B-TREE.
          const plan = sortPlanOf(await collection.find(range as never, { sort, limit: 11 }).explain());
          expect({ name, order, range, ...plan }).toMatchObject({
            name,
            order,
            range,
            sortFromIndex: true,
            indexesUsed: [RANKINGS[name].index],
          });
        }
      }
    }
  }
});

test('responses match the OpenAPI document served at /openapi.json', async () => {
  const validator = openApiValidator((await get('/openapi.json')).body);
  const uuid = calculated[4]!.portfolio.uuid;
  const cases: [string, string, number][] = [
    ['/by-level-for-portfolios/delta-growth', '/by-level-for-portfolios/delta-growth?top_k=2', 200],
    ['/by-level-for-portfolios/delta-growth', '/by-level-for-portfolios/delta-growth?top_k=x', 400],
    [
      '/portfolios/{uuid}/by-level-for-banks/delta-growth',
      `/portfolios/${uuid}/by-level-for-banks/delta-growth`,
      200,
    ],
    [
      '/portfolios/{uuid}/by-level-for-deposits/delta-growth',
      `/portfolios/${uuid}/by-level-for-deposits/delta-growth`,
      200,
    ],
    [
      '/portfolios/{uuid}/by-level-for-deposits/maturity-date',
      `/portfolios/${uuid}/by-level-for-deposits/maturity-date`,
      200,
    ],
    [
      '/portfolios/{uuid}/by-level-for-banks/delta-growth',
      `/portfolios/${randomUUID()}/by-level-for-banks/delta-growth`,
      404,
    ],
    ['/portfolios/{uuid}', `/portfolios/${uuid}`, 200],
    ['/portfolios/{uuid}', `/portfolios/${pending}`, 200],
  ];
  for (const [template, path, status] of cases) {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(validator.errors('GET', template, status, res.body)).toEqual([]);
  }
});

describe('owners: an authenticated query API over the same read models', () => {
  let owned: Express;
  const mine: PortfolioCalculated[] = [];
  let theirs: PortfolioCalculated;
  const as = (owner: string, scopes: string[]) => authHeader({ owner, scopes });

  beforeAll(async () => {
    owned = createQueryApi({
      db: side.mongo.db,
      logger: createLogger({ service: 'query-api-test', level: 'silent' }),
      metrics: createMetrics({ service: 'query-api-test', defaultMetrics: false }),
      readiness: {},
      authenticate: authenticate(testAuthSettings),
    });
    const deposit = { apy: '5', years: '1', amount: '100000' };
    for (const [owner, createdAt] of [
      ['alice', '2024-02-01T00:00:00.000Z'],
      ['alice', '2024-02-01T00:00:01.000Z'],
      ['bob', '2024-02-01T00:00:02.000Z'],
    ] as const) {
      const events = portfolioEvents(portfolioRequest('15', 'Day', [[deposit]]), createdAt, owner);
      await side.publishSubmitted(events.submitted);
      await side.publishCalculated(events.calculated);
      if (owner === 'alice') mine.push(events.calculated);
      else theirs = events.calculated;
    }
    await side.caughtUp();
  });

  const ids = (res: request.Response) =>
    (res.body.data.responses as { portfolio_uuid: string }[]).map((p) => p.portfolio_uuid);

  it("the portfolio ranking of a portfolios:read caller holds only the caller's portfolios, in order", async () => {
    for (const path of [
      '/by-level-for-portfolios/delta-growth?top_k=100',
      '/by-level-for-portfolios/delta-growth?top_k=100&period=15&period_unit=Day',
    ]) {
      const res = await request(owned)
        .get(path)
        .set(await as('alice', ['portfolios:read']));
      expect(res.status).toBe(200);
      expect(ids(res)).toEqual(mine.map((c) => c.portfolio.uuid).reverse());
      const paged = await request(owned)
        .get(`${path.replace('top_k=100', 'top_k=1')}`)
        .set(await as('alice', ['portfolios:read']));
      expect(paged.body.data.next_cursor).toBeDefined();
    }
  });

  it('rankings:read:all ranks every owner, portfolios from before authentication included', async () => {
    const res = await request(owned)
      .get('/by-level-for-portfolios/delta-growth?top_k=1000')
      .set(await as('auditor', ['rankings:read:all']));
    expect(ids(res)).toEqual(expect.arrayContaining([...mine, theirs].map((c) => c.portfolio.uuid)));
    expect(ids(res)).toContain(calculated[0]!.portfolio.uuid);
  });

  it("another owner's portfolio, and one from before authentication (owner null), answer 404 on every route", async () => {
    for (const uuid of [theirs.portfolio.uuid, calculated[4]!.portfolio.uuid]) {
      for (const suffix of [
        '',
        '/by-level-for-banks/delta-growth',
        '/by-level-for-deposits/delta-growth',
        '/by-level-for-deposits/maturity-date',
      ]) {
        const res = await request(owned)
          .get(`/portfolios/${uuid}${suffix}`)
          .set(await as('alice', ['portfolios:read', 'rankings:read:all']));
        expect({ suffix, status: res.status }).toEqual({ suffix, status: 404 });
        expect(res.body.code).toBe('DD_NOT_FOUND');
      }
    }
    const own = await request(owned)
      .get(`/portfolios/${mine[0]!.portfolio.uuid}/by-level-for-banks/delta-growth`)
      .set(await as('alice', ['portfolios:read']));
    expect(own.status).toBe(200);
    expect(own.body.data.count_responses).toBe(1);
  });

  it('the owner-scoped rankings walk the owner-first indexes (plans asserted with the others above)', () => {
    expect(RANKINGS.portfolios_by_owner_growth.index).toBe('by_owner_growth');
    expect(RANKINGS.portfolios_by_owner_period_growth.index).toBe('by_owner_period_growth');
  });
});
