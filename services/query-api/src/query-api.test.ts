// How the query API answers when MongoDB fails: a stub Db whose every operation fails the way the
// driver does when the server is down or too slow. (Real outages: e2e/operations.e2e.test.ts.)
import { createLogger } from '@drive-deposits/logging';
import { createMetrics } from '@drive-deposits/runtime';
import { MongoNetworkError, MongoServerError, type Db } from 'mongodb';
import request from 'supertest';
import { createQueryApi } from './query-api';
import { withoutAuthentication } from '@drive-deposits/http';

function failingDb(error: Error): Db {
  const fail = () => Promise.reject(error);
  const cursor = { toArray: fail };
  const collection = { findOne: fail, find: () => cursor, insertOne: fail };
  return { collection: () => collection } as unknown as Db;
}

const appOver = (db: Db) =>
  createQueryApi({
    db,
    logger: createLogger({ service: 'query-api-test', level: 'silent' }),
    metrics: createMetrics({ service: 'query-api-test' }),
    readiness: {},
    authenticate: withoutAuthentication,
  });

const UUID = '6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b';

describe.each([
  ['unreachable', new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017')],
  [
    'too slow (MaxTimeMSExpired)',
    new MongoServerError({ code: 50, errmsg: 'operation exceeded time limit' }),
  ],
])('MongoDB %s', (_case, error) => {
  it.each([
    '/by-level-for-portfolios/delta-growth',
    `/portfolios/${UUID}`,
    `/portfolios/${UUID}/by-level-for-deposits/maturity-date`,
  ])('GET %s is a 503 problem with Retry-After, not a 500', async (path) => {
    const res = await request(appOver(failingDb(error))).get(path);
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toMatchObject({ code: 'DD_DEPENDENCY_UNAVAILABLE', status: 503 });
  });
});

it('a MongoDB error that is not an outage stays a 500 without internals', async () => {
  const res = await request(
    appOver(failingDb(new MongoServerError({ code: 2, errmsg: 'BadValue secret' }))),
  ).get('/by-level-for-portfolios/delta-growth');
  expect(res.status).toBe(500);
  expect(res.body.code).toBe('DD_INTERNAL');
  expect(JSON.stringify(res.body)).not.toContain('secret');
});
