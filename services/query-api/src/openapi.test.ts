// The served /openapi.json loads in a standard OpenAPI 3.1 tool, and its parameter rules are the
// ones the routes apply: a value the document allows passes validation (here it then reaches the
// failing stub database: 503), a value it forbids is a 400.
import { createLogger } from '@drive-deposits/logging';
import { createMetrics } from '@drive-deposits/runtime';
import { openApiLoadProblems } from '@drive-deposits/testing';
import { MongoNetworkError, type Db } from 'mongodb';
import request from 'supertest';
import { createQueryApi } from './query-api';
import { withoutAuthentication } from '@drive-deposits/http';

function unreachableDb(): Db {
  const fail = () => Promise.reject(new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017'));
  const collection = { findOne: fail, find: () => ({ toArray: fail }) };
  return { collection: () => collection } as unknown as Db;
}

const app = createQueryApi({
  db: unreachableDb(),
  logger: createLogger({ service: 'query-api-test', level: 'silent' }),
  metrics: createMetrics({ service: 'query-api-test', defaultMetrics: false }),
  readiness: {},
  authenticate: withoutAuthentication,
});

type Parameter = { name: string; in: string; schema: { pattern?: string; enum?: string[] } };
async function served() {
  const res = await request(app).get('/openapi.json');
  expect(res.status).toBe(200);
  return res.body as { openapi: string; paths: Record<string, { get: { parameters: Parameter[] } }> };
}

it('serves a valid OpenAPI 3.1 document whose every $ref resolves inside it', async () => {
  const document = await served();
  expect(document.openapi).toBe('3.1.0');
  expect(await openApiLoadProblems(document)).toEqual([]);
});

describe('parameter rules: the document and the server agree', () => {
  const UUID = '6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b';
  const pattern = async (path: string, name: string) => {
    const parameter = (await served()).paths[path]?.get.parameters.find((p) => p.name === name);
    return new RegExp(parameter?.schema.pattern ?? 'missing', 'u');
  };

  it.each([
    ['1', true],
    ['+0.5', true],
    ['1.0000000001', true],
    ['007', true],
    ['', false],
    ['NaN', false],
    ['0', false],
    ['0.000', false],
    ['-1', false],
    ['1.', false],
    ['1e3', false],
    ['1.00000000001', false],
    ['١', false],
  ])('period %p allowed: %p', async (period, allowed) => {
    expect((await pattern('/by-level-for-portfolios/delta-growth', 'period')).test(period)).toBe(allowed);
    const res = await request(app)
      .get('/by-level-for-portfolios/delta-growth')
      .query({ period, period_unit: 'Month' });
    expect(res.status).toBe(allowed ? 503 : 400);
  });

  it.each([
    ['eyJ2IjoxfQ', true],
    ['', false],
    ['a b', false],
    ['x'.repeat(1001), false],
  ])(
    'cursor %p matches the documented pattern: %p (and is refused when it does not)',
    async (cursor, matches) => {
      expect((await pattern('/by-level-for-portfolios/delta-growth', 'cursor')).test(cursor)).toBe(matches);
      if (!matches) {
        const res = await request(app).get('/by-level-for-portfolios/delta-growth').query({ cursor });
        expect([res.status, res.body.code]).toEqual([400, 'DD_INVALID_PARAMETER']);
      }
    },
  );

  it.each([
    [UUID, true],
    [UUID.toUpperCase(), false],
    ['not-a-uuid', false],
  ])('uuid %p allowed: %p', async (uuid, allowed) => {
    expect((await pattern('/portfolios/{uuid}', 'uuid')).test(uuid)).toBe(allowed);
    expect((await request(app).get(`/portfolios/${uuid}`)).status).toBe(allowed ? 503 : 400);
  });

  it('period without period_unit (or the reverse) is a 400, as the description says', async () => {
    for (const query of [{ period: '1' }, { period_unit: 'Month' }]) {
      const res = await request(app).get('/by-level-for-portfolios/delta-growth').query(query);
      expect([res.status, res.body.code]).toEqual([400, 'DD_INVALID_PARAMETER']);
    }
  });
});

describe('unsupported methods', () => {
  it.each([
    ['delete', '/portfolios/6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b'],
    ['put', '/portfolios/6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b/by-level-for-banks/delta-growth'],
    ['patch', '/portfolios/6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b/by-level-for-deposits/maturity-date'],
    ['post', '/by-level-for-portfolios/delta-growth'],
  ] as const)('%s %s is a 405 problem with Allow', async (method, path) => {
    const res = await request(app)[method](path);
    expect([res.status, res.body.code, res.headers.allow]).toEqual([
      405,
      'DD_METHOD_NOT_ALLOWED',
      'GET, HEAD',
    ]);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('an unknown path stays a 404', async () => {
    expect((await request(app).delete('/nothing-here')).status).toBe(404);
  });
});
