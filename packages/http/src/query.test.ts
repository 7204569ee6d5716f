import { createLogger } from '@drive-deposits/logging';
import { createMetrics } from '@drive-deposits/runtime';
import request from 'supertest';
import { createHttpApp, finishHttpApp } from './app';
import { parseQuery, queryParam } from './query';

const spec = {
  order: queryParam.oneOf(['asc', 'desc'], { default: 'desc' }),
  top_k: queryParam.int({ min: 0, max: 1000, default: 10 }),
  period_unit: queryParam.oneOf(['Day', 'Week']),
  period: queryParam.string({ pattern: /^\d+$/, allowed: 'digits' }),
};

function app() {
  const logger = createLogger({ service: 'svc', level: 'silent' });
  const http = createHttpApp({
    logger,
    metrics: createMetrics({ service: 'svc', defaultMetrics: false }),
    readiness: {},
  });
  http.get('/ranked', (req, res) => {
    res.json(parseQuery(req.query, spec));
  });
  return finishHttpApp(http);
}

describe('parseQuery', () => {
  it('applies defaults and parses values', async () => {
    expect((await request(app()).get('/ranked')).body).toEqual({ order: 'desc', top_k: 10 });
    const res = await request(app()).get('/ranked?order=asc&top_k=0&period_unit=Week&period=2');
    expect(res.body).toEqual({ order: 'asc', top_k: 0, period_unit: 'Week', period: '2' });
  });

  it('answers one 400 listing every bad parameter', async () => {
    const res = await request(app()).get('/ranked?order=up&top_k=1001&period=x');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'DD_INVALID_PARAMETER',
      errors: [
        { path: 'order', message: 'Incorrect value: up. Must be one of asc, desc.' },
        { path: 'top_k', message: 'Incorrect value: 1001. Must be an integer from 0 to 1000.' },
        { path: 'period', message: 'Incorrect value: x. Must be digits.' },
      ],
    });
  });

  it.each(['top_k=1e2', 'top_k=-1', 'top_k=', 'top_k=%201', 'top_k=0x10'])('rejects %s', async (query) => {
    expect((await request(app()).get(`/ranked?${query}`)).status).toBe(400);
  });

  it('rejects repeated parameters and operator-shaped keys', async () => {
    const res = await request(app()).get('/ranked?top_k=1&top_k=2&order[$gt]=a');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        path: 'order[$gt]',
        message: 'Unknown parameter. Known parameters: order, top_k, period_unit, period.',
      },
      { path: 'top_k', message: 'Must be given once, as a single value: an integer from 0 to 1000.' },
    ]);
  });

  it('rejects objects even from a nested query parser', () => {
    expect(() => parseQuery({ order: { $gt: '' } }, spec)).toThrow('Invalid query parameters: order');
  });
});
