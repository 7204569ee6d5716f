// The dashboard's app against stand-in APIs (plain HTTP servers on 127.0.0.1): what it forwards,
// what it answers itself, and that every failure is a problem+json answer.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { createLogger } from '@drive-deposits/logging';
import { createMetrics } from '@drive-deposits/runtime';
import request from 'supertest';
import { createDashboardApp, requirePage } from './app';
import { apiReady } from './readiness';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface Stub {
  url: string;
  seen: Seen[];
  answer: (req: IncomingMessage, res: ServerResponse) => void;
  server: Server;
}

async function stub(): Promise<Stub> {
  const s = {
    seen: [] as Seen[],
    answer: (_req: IncomingMessage, res: ServerResponse) => res.end(),
  } as Partial<Stub> as Stub;
  s.server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    s.seen.push({
      method: req.method!,
      url: req.url!,
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    });
    s.answer(req, res);
  });
  await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
  s.url = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
  return s;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

let command: Stub;
let query: Stub;
let publicDir: string;

beforeAll(async () => {
  [command, query] = await Promise.all([stub(), stub()]);
  publicDir = mkdtempSync(join(tmpdir(), 'dashboard-'));
  writeFileSync(join(publicDir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(publicDir, 'app.js'), 'console.log(1)');
  writeFileSync(join(publicDir, 'app.js.gz'), gzipSync('console.log(1)'));
});

afterAll(async () => {
  await Promise.all([command, query].map((s) => new Promise((resolve) => s.server.close(resolve))));
});

beforeEach(() => {
  command.seen.length = 0;
  query.seen.length = 0;
});

function app(options: { timeoutMs?: number; commandUrl?: string } = {}) {
  return createDashboardApp({
    logger: createLogger({ service: 'dashboard', level: 'silent' }),
    metrics: createMetrics({ service: 'dashboard', defaultMetrics: false }),
    readiness: { 'command-api': apiReady(command.url), 'query-api': apiReady(query.url) },
    proxy: {
      command: { name: 'command API', url: options.commandUrl ?? command.url },
      query: { name: 'query API', url: `${query.url}/` },
      timeoutMs: options.timeoutMs ?? 2000,
    },
    publicDir,
  });
}

const expectProblem = (res: request.Response, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.code).toBe(code);
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/);
};

describe('the page', () => {
  it('serves index.html at / and the bundle, with a same-origin-only policy', async () => {
    const page = await request(app()).get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    const script = await request(app()).get('/app.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
  });

  it('serves the bundle gzipped to browsers that accept it', async () => {
    const zipped = await request(app()).get('/app.js').set('Accept-Encoding', 'gzip');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toMatch(/^text\/javascript/);
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/);
    expect(zipped.text).toBe('console.log(1)');
    const plain = await request(app()).get('/app.js').set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe('console.log(1)');
  });

  it('answers unknown paths 404 and other methods on the page 405, as problems', async () => {
    expectProblem(await request(app()).get('/nothing.js'), 404, 'DD_NOT_FOUND');
    const post = await request(app()).post('/').send('x');
    expectProblem(post, 405, 'DD_METHOD_NOT_ALLOWED');
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('refuses to start without the built page, saying how to build it', () => {
    expect(() => requirePage(join(publicDir, 'missing'))).toThrow(
      /not built: .*index\.html is missing\. Run `npm run build`/,
    );
  });
});

describe('/api/… forwarding', () => {
  it('sends GETs to the query API with path, query and Authorization untouched', async () => {
    query.answer = (_req, res) => json(res, 200, { data: { responses: [] } }, { 'x-extra': 'kept' });
    const res = await request(app())
      .get('/api/by-level-for-portfolios/delta-growth?order=asc&top_k=3')
      .set('Authorization', 'Bearer abc.def')
      .set('X-Correlation-Id', 'corr-1');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { responses: [] } });
    expect(res.headers['x-extra']).toBe('kept');
    expect(query.seen).toHaveLength(1);
    expect(command.seen).toHaveLength(0);
    const [seen] = query.seen;
    expect(seen!.url).toBe('/by-level-for-portfolios/delta-growth?order=asc&top_k=3');
    expect(seen!.headers.authorization).toBe('Bearer abc.def');
    expect(seen!.headers['x-correlation-id']).toBe('corr-1');
  });

  it('sends POSTs to the command API byte for byte, and puts a relative Location under /api', async () => {
    command.answer = (_req, res) =>
      json(res, 202, { portfolio_uuid: 'u', status: 'accepted' }, { location: '/portfolios/u' });
    const body = '{ "new_delta" : 1,\n "x": "\u00e9" }';
    const res = await request(app())
      .post('/api/portfolios')
      .set('Content-Type', 'application/json')
      .set('Idempotency-Key', 'key-1')
      .set('Prefer', 'wait=1')
      .send(body);
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe('/api/portfolios/u');
    const [seen] = command.seen;
    expect(seen).toMatchObject({ method: 'POST', url: '/portfolios', body });
    expect(seen!.headers['content-type']).toBe('application/json');
    expect(seen!.headers['idempotency-key']).toBe('key-1');
    expect(seen!.headers.prefer).toBe('wait=1');
  });

  it("relays the APIs' own problems as they are (a malformed body is the API's to judge)", async () => {
    const problem = { code: 'DD_MALFORMED_JSON', status: 400, errors: [{ path: 'x', message: 'y' }] };
    command.answer = (_req, res) => json(res, 400, problem, { 'content-type': 'application/problem+json' });
    const res = await request(app()).post('/api/portfolios').set('Content-Type', 'text/plain').send('{oops');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toEqual(problem);
    expect(command.seen[0]!.body).toBe('{oops');
  });

  it('labels forwarded requests by one route template in its metrics', async () => {
    query.answer = (_req, res) => json(res, 200, {});
    const dashboard = app();
    await request(dashboard).get('/api/portfolios/abc?x=1');
    const metrics = await request(dashboard).get('/metrics');
    expect(metrics.text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/api\/\*rest"[^}]*\} 1/);
    expect(query.seen[0]!.url).toBe('/portfolios/abc?x=1');
  });

  it("keeps the APIs' operational routes internal", async () => {
    for (const path of [
      '/api/metrics',
      '/api/healthz',
      '/api/readyz',
      '/api/x/../metrics',
      '/api/%2e%2e/readyz',
    ]) {
      expectProblem(await request(app()).get(path), 404, 'DD_NOT_FOUND');
    }
    expect(query.seen).toHaveLength(0);
  });

  it('answers 503 with Retry-After when an API cannot be reached', async () => {
    const res = await request(app({ commandUrl: 'http://127.0.0.1:1' }))
      .post('/api/portfolios')
      .send('{}');
    expectProblem(res, 503, 'DD_DEPENDENCY_UNAVAILABLE');
    expect(res.body.detail).toMatch(/^The command API cannot be reached \(ECONNREFUSED\)\.$/);
    expect(res.headers['retry-after']).toBe('1');
  });

  it('answers 503 for a 5xx that is no problem document (e.g. an HTML error page)', async () => {
    query.answer = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<h1>Bad Gateway</h1>');
    };
    const res = await request(app()).get('/api/portfolios/x');
    expectProblem(res, 503, 'DD_DEPENDENCY_UNAVAILABLE');
    expect(res.body.detail).toBe('The query API answered 502 without a problem document.');
  });

  it('answers 504 when an API does not answer in time', async () => {
    query.answer = (_req, res) => setTimeout(() => json(res, 200, {}), 500);
    const res = await request(app({ timeoutMs: 100 })).get('/api/portfolios/x');
    expectProblem(res, 504, 'DD_TIMEOUT');
    expect(res.body.detail).toBe('The query API did not answer within 100 ms.');
  });
});

describe('readiness', () => {
  it('is ready when both APIs answer their /readyz, and names the one that does not', async () => {
    command.answer = (_req, res) => json(res, 200, { status: 'ok' });
    query.answer = (_req, res) => json(res, 200, { status: 'ok' });
    const ready = await request(app()).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ 'command-api': 'ok', 'query-api': 'ok' });
    expect(query.seen.map((s) => s.url)).toEqual(['/readyz']);

    query.answer = (_req, res) => json(res, 503, { code: 'DD_DEPENDENCY_UNAVAILABLE' });
    const notReady = await request(app()).get('/readyz');
    expectProblem(notReady, 503, 'DD_DEPENDENCY_UNAVAILABLE');
    expect(notReady.body.errors).toEqual([
      { path: 'query-api', message: `GET ${query.url}/readyz answered 503` },
    ]);
  });
});
