import { Writable } from 'node:stream';
import { DriveDepositsError } from '@drive-deposits/core';
import { createLogger } from '@drive-deposits/logging';
import { createMetrics } from '@drive-deposits/runtime';
import request from 'supertest';
import { createHttpApp, finishHttpApp } from './app';
import type { ReadinessChecks } from './health';

function build(readiness: ReadinessChecks = {}) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ service: 'svc', level: 'debug', destination });
  const metrics = createMetrics({ service: 'svc', defaultMetrics: false });
  const app = createHttpApp({ logger, metrics, readiness, readinessTimeoutMs: 50 });
  app.post('/echo', (req, res) => {
    res.json({ body: req.body ?? null, correlation_id: req.correlationId });
  });
  app.get('/portfolios/:uuid', (req, res) => {
    res.json({ uuid: req.params.uuid });
  });
  app.get('/busy', async () => {
    throw new DriveDepositsError('DD_IDEMPOTENCY_KEY_IN_PROGRESS', 'still working', {
      retryAfterSeconds: 1.5,
    });
  });
  app.get('/invalid', () => {
    throw new DriveDepositsError('DD_VALIDATION_FAILED', 'bad', { errors: [{ path: 'a', message: 'no' }] });
  });
  app.get('/crash', async () => {
    throw new Error('secret internals at /srv/app.js:12');
  });
  finishHttpApp(app);
  return { app, lines, metrics };
}

const PROBLEM_TYPE = /^application\/problem\+json/;

describe('correlation id', () => {
  it('echoes a usable X-Correlation-Id and exposes it to handlers', async () => {
    const res = await request(build().app).post('/echo').set('X-Correlation-Id', 'abc-123:x.y_z').send({});
    expect(res.headers['x-correlation-id']).toBe('abc-123:x.y_z');
    expect(res.body.correlation_id).toBe('abc-123:x.y_z');
  });

  it.each([undefined, '', 'has space', 'x'.repeat(129), 'quote"', 'tab\tchar'])(
    'generates a UUID v4 when the header is %p',
    async (header) => {
      const call = request(build().app).get('/healthz');
      const res = await (header === undefined ? call : call.set('X-Correlation-Id', header));
      expect(res.headers['x-correlation-id']).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    },
  );

  it('puts the correlation id on the request log line', async () => {
    const { app, lines } = build();
    await request(app).get('/portfolios/p-1').set('X-Correlation-Id', 'c-9');
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'request',
        correlation_id: 'c-9',
        route: '/portfolios/:uuid',
        status: 200,
      }),
    );
  });
});

describe('JSON bodies', () => {
  it('parses application/json and application/*+json', async () => {
    const app = build().app;
    expect((await request(app).post('/echo').send({ a: 1 })).body.body).toEqual({ a: 1 });
    const merge = await request(app)
      .post('/echo')
      .set('Content-Type', 'application/merge-patch+json')
      .send('{"b":2}');
    expect(merge.body.body).toEqual({ b: 2 });
  });

  it('lets a request without a body through', async () => {
    const res = await request(build().app).post('/echo');
    expect(res.status).toBe(200);
    expect(res.body.body).toBeNull();
  });

  it('answers 415 for another content type', async () => {
    const res = await request(build().app).post('/echo').set('Content-Type', 'text/plain').send('hi');
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toMatch(PROBLEM_TYPE);
    expect(res.body).toMatchObject({
      type: 'urn:drive-deposits:problem:DD_UNSUPPORTED_MEDIA_TYPE',
      code: 'DD_UNSUPPORTED_MEDIA_TYPE',
      status: 415,
      detail: 'Content-Type text/plain is not supported. Send application/json.',
    });
  });

  it('answers 400 DD_MALFORMED_JSON saying where the JSON broke', async () => {
    const res = await request(build().app)
      .post('/echo')
      .set('Content-Type', 'application/json')
      .send('{\n  "a": 1,\n  }');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('DD_MALFORMED_JSON');
    expect(res.body.detail).toMatch(/^The body is not valid JSON: .*position 14 \(line 3, column 3\)$/);
  });

  it('answers 400 for a top-level scalar', async () => {
    const res = await request(build().app).post('/echo').set('Content-Type', 'application/json').send('"x"');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('DD_MALFORMED_JSON');
  });

  it('answers 400 for a Content-Encoding the bytes do not match (found by e2e/fuzz)', async () => {
    const res = await request(build().app)
      .post('/echo')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('{"a":1}');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('DD_MALFORMED_JSON');
    expect(res.body.detail).toMatch(/^The body cannot be read: /);
  });

  it('answers 413 above 1 MiB', async () => {
    const big = JSON.stringify({ a: 'x'.repeat(1024 * 1024) });
    const res = await request(build().app).post('/echo').set('Content-Type', 'application/json').send(big);
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('DD_PAYLOAD_TOO_LARGE');
  });

  it('leaves bodies unread with parseJsonBodies: false (a proxy forwards them as sent)', async () => {
    const logger = createLogger({ service: 'svc', level: 'silent' });
    const metrics = createMetrics({ service: 'svc', defaultMetrics: false });
    const app = createHttpApp({ logger, metrics, readiness: {}, parseJsonBodies: false });
    app.post('/raw', async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      res.json({ parsed: req.body !== undefined, raw: Buffer.concat(chunks).toString() });
    });
    finishHttpApp(app);
    const res = await request(app).post('/raw').set('Content-Type', 'text/plain').send('{not json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ parsed: false, raw: '{not json' });
  });
});

describe('problems', () => {
  it('answers unknown routes with a 404 problem', async () => {
    const res = await request(build().app).get('/nowhere').set('X-Correlation-Id', 'c-1');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(PROBLEM_TYPE);
    expect(res.body).toEqual({
      type: 'urn:drive-deposits:problem:DD_NOT_FOUND',
      title: 'Not found',
      status: 404,
      detail: 'No route for GET /nowhere.',
      code: 'DD_NOT_FOUND',
      correlation_id: 'c-1',
    });
  });

  it('maps a DriveDepositsError with its errors and Retry-After', async () => {
    const app = build().app;
    const invalid = await request(app).get('/invalid');
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toEqual([{ path: 'a', message: 'no' }]);
    const busy = await request(app).get('/busy');
    expect(busy.status).toBe(409);
    expect(busy.headers['retry-after']).toBe('2');
  });

  it('answers anything else with a 500 that reveals nothing, and logs the stack', async () => {
    const { app, lines } = build();
    const res = await request(app).get('/crash');
    expect(res.status).toBe(500);
    expect(res.body.code).toBe('DD_INTERNAL');
    expect(JSON.stringify(res.body)).not.toMatch(/secret|srv/);
    const logged = lines.find((l) => l.level === 'error') as { err: { message: string; stack: string } };
    expect(logged.err.message).toBe('secret internals at /srv/app.js:12');
    expect(logged.err.stack).toContain('app.test.ts');
  });
});

describe('health, readiness and metrics', () => {
  it('answers /healthz', async () => {
    const res = await request(build().app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 with each check ok', async () => {
    const res = await request(build({ kafka: async () => {}, mongo: async () => {} }).app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', checks: { kafka: 'ok', mongo: 'ok' } });
  });

  it('answers /readyz 503 naming each failed or slow dependency', async () => {
    const readiness: ReadinessChecks = {
      kafka: async () => {},
      mongo: async () => {
        throw new Error('connect ECONNREFUSED');
      },
      registry: () => new Promise(() => undefined),
    };
    const res = await request(build(readiness).app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(PROBLEM_TYPE);
    expect(res.body).toMatchObject({
      code: 'DD_DEPENDENCY_UNAVAILABLE',
      detail: 'Not ready: mongo (connect ECONNREFUSED), registry (no answer within 50 ms)',
      errors: [
        { path: 'mongo', message: 'connect ECONNREFUSED' },
        { path: 'registry', message: 'no answer within 50 ms' },
      ],
    });
  });

  it('serves Prometheus metrics with latency by route template', async () => {
    const { app } = build();
    await request(app).get('/portfolios/123');
    await request(app).get('/nowhere/456');
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('route="/portfolios/:uuid",status="200"');
    expect(res.text).toContain('route="unmatched",status="404"');
    // no raw path as a label (a latency sum may contain the digits 123, so only labels are checked)
    expect(res.text).not.toMatch(/route="[^"]*(123|456)/);
  });
});
