// Liveness and readiness when MongoDB goes away and comes back: the query API and the command API
// as real processes against a private FerretDB (the shared test server is never stopped), on the
// shared Kafka and registry. Down: /readyz 503 naming mongo, /healthz 200, queries answer 503
// problems. Back on the same port and data: ready again, queries answer again, no restart needed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildServices,
  freePort,
  REPO_ROOT,
  startFerretDb,
  startServiceProcess,
  testAuthorization,
  uniqueName,
  type PrivateFerretDb,
  type ServiceProcess,
} from '@drive-deposits/testing';
import { eventually, postJson } from './operations.support';

const name = uniqueName('ops-deps');
const dataDir = mkdtempSync(join(tmpdir(), 'dd-ferretdb-'));
let mongoPort: number;
let mongo: PrivateFerretDb | undefined;
const services: Record<'query' | 'command', ServiceProcess | undefined> = {
  query: undefined,
  command: undefined,
};
const url = (s: 'query' | 'command') => services[s]!.url;

const problem = async (res: Response) => ({
  status: res.status,
  type: res.headers.get('content-type'),
  body: (await res.json()) as any,
});
const readyz = async (s: 'query' | 'command') => problem(await fetch(`${url(s)}/readyz`));
const topPortfolios = async () =>
  problem(
    await fetch(`${url('query')}/by-level-for-portfolios/delta-growth?top_k=3`, {
      headers: testAuthorization(),
    }),
  );
const requestBody = readFileSync(join(REPO_ROOT, 'examples/requests/one-bank-1-year.json'), 'utf8');

describe('MongoDB stopped and started again', () => {
  beforeAll(async () => {
    buildServices();
    mongoPort = await freePort();
    mongo = await startFerretDb(mongoPort, dataDir);
    const env = {
      MONGO_URL: mongo.url,
      MONGO_DB: name.replace(/-/g, '_'),
      KAFKA_TOPIC_PREFIX: `${name}.`,
      KAFKA_TOPIC_PARTITIONS: '1',
      SHUTDOWN_TIMEOUT_MS: '5000',
    };
    [services.query, services.command] = await Promise.all([
      startServiceProcess('query-api', env),
      startServiceProcess('command-api', env),
    ]);
  }, 120_000);

  afterAll(async () => {
    const codes = await Promise.all([services.query?.stop(), services.command?.stop()]);
    await mongo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    expect(codes).toEqual([0, 0]);
  });

  it('is ready with every dependency up, and answers queries', async () => {
    expect(await readyz('query')).toMatchObject({
      status: 200,
      body: { status: 'ok', checks: { mongo: 'ok' } },
    });
    expect(await readyz('command')).toMatchObject({
      status: 200,
      body: { checks: { kafka: 'ok', registry: 'ok', mongo: 'ok' } },
    });
    expect((await topPortfolios()).status).toBe(200);
  });

  describe('while MongoDB is down', () => {
    beforeAll(async () => {
      await mongo!.stop();
    });

    it('/readyz answers a 503 problem naming mongo (and only mongo), /healthz stays 200', async () => {
      for (const s of ['query', 'command'] as const) {
        const ready = await readyz(s);
        expect(ready).toMatchObject({
          status: 503,
          type: expect.stringMatching(/^application\/problem\+json/),
          body: { code: 'DD_DEPENDENCY_UNAVAILABLE', status: 503, detail: expect.stringContaining('mongo') },
        });
        expect(ready.body.errors.map((e: { path: string }) => e.path)).toEqual(['mongo']);
        const health = await fetch(`${url(s)}/healthz`);
        expect(health.status).toBe(200);
      }
    }, 20_000);

    it('the query API answers queries with 503 problems, not 500', async () => {
      const started = Date.now();
      for (const path of [
        '/by-level-for-portfolios/delta-growth?top_k=3',
        `/portfolios/${'1'.repeat(8)}-1111-4111-8111-${'1'.repeat(12)}`,
      ]) {
        const res = await problem(await fetch(`${url('query')}${path}`, { headers: testAuthorization() }));
        expect(res).toMatchObject({
          status: 503,
          type: expect.stringMatching(/^application\/problem\+json/),
          body: { code: 'DD_DEPENDENCY_UNAVAILABLE' },
        });
      }
      // within the driver's server-selection bound, not a hung request
      expect(Date.now() - started).toBeLessThan(15_000);
    }, 20_000);

    it('the command API answers an Idempotency-Key command (which needs MongoDB) with a 503 problem', async () => {
      const res = await postJson(url('command'), '/portfolios', requestBody, {
        'Idempotency-Key': `${name}-1`,
      });
      expect(res.kind).toBe('answered');
      if (res.kind !== 'answered') return;
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body)).toMatchObject({ code: 'DD_DEPENDENCY_UNAVAILABLE' });
    }, 20_000);
  });

  describe('after MongoDB is back', () => {
    beforeAll(async () => {
      mongo = await startFerretDb(mongoPort, dataDir);
    }, 30_000);

    it('/readyz answers 200 again and queries answer again, without restarting the services', async () => {
      await eventually(
        async () => {
          expect((await readyz('query')).status).toBe(200);
          expect((await readyz('command')).status).toBe(200);
          expect((await topPortfolios()).status).toBe(200);
        },
        30_000,
        500,
      );
      const res = await postJson(url('command'), '/portfolios', requestBody, {
        'Idempotency-Key': `${name}-2`,
      });
      expect(res.kind === 'answered' && res.status).toBe(202);
    }, 40_000);
  });
});
