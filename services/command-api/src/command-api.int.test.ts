// The command API on real Kafka, schema registry and MongoDB (no calculator running here: see
// services/calculator for the pipeline). Each run uses its own topics and database.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validatePortfolioRequest, type PortfolioRequest } from '@drive-deposits/core';
import {
  createEventCodec,
  createEventRegistry,
  createKafka,
  createProducer,
  topicNames,
  type EventCodec,
} from '@drive-deposits/kafka';
import { createLogger } from '@drive-deposits/logging';
import { connectMongo, type MongoConnection } from '@drive-deposits/mongo';
import { createMetrics, type Service } from '@drive-deposits/runtime';
import {
  kafkaBrokers,
  mongoUrl,
  readTopic,
  schemaRegistryUrl,
  testAuthEnv,
  testToken,
  uniqueName,
} from '@drive-deposits/testing';
import { Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import { createCommandApi } from './app';
import { loadCommandApiConfig } from './config';
import { createIdempotencyStore, fingerprintOf, storedKeyOf } from './idempotency';
import { createEventPublisher } from './publisher';
import { acceptedInReadModel, calculatedFromReadModel } from './read-model';
import { createResultListener } from './result-listener';
import { createCommandApiService } from './service';
import { withoutAuthentication } from '@drive-deposits/http';

/** DELETE is not what this file tests (e2e/deletion.e2e.test.ts does): every portfolio unknown to it. */
const noDeletions = {
  portfolio: async () => undefined,
  deletions: { publish: async () => undefined },
  recordDeleted: async () => undefined,
};

const EXAMPLE = join(__dirname, '../../../../shared/spec/examples/portfolio-request-valid.json');
const readExample = (): PortfolioRequest => {
  try {
    return JSON.parse(readFileSync(EXAMPLE, 'utf8')) as PortfolioRequest;
  } catch (error) {
    throw new Error(`The shared spec example ${EXAMPLE} is needed by this test: ${(error as Error).message}`);
  }
};

const env = {
  LOG_LEVEL: 'warn',
  KAFKA_BROKERS: kafkaBrokers().join(','),
  SCHEMA_REGISTRY_URL: schemaRegistryUrl(),
  MONGO_URL: mongoUrl(),
  MONGO_DB: uniqueName('cmd'),
  KAFKA_TOPIC_PREFIX: `${uniqueName('cmd')}.`,
  KAFKA_TOPIC_PARTITIONS: '2',
  SYNC_WAIT_MAX_SECONDS: '5',
  ...testAuthEnv(),
};
const loaded = loadCommandApiConfig(env);
const config = { ...loaded, service: { ...loaded.service, port: 0 } }; // any free port
const logger = createLogger({ service: 'command-api-test', level: 'warn' });
const topics = topicNames(config.kafka.topicPrefix);
const kafka = createKafka(config.kafka, logger);
const PUBLISH_TIMEOUT_MS = 2000;

let service: Service;
let base: string;
let mongo: MongoConnection;
let codec: EventCodec;
let token: string;
/** the service under test, every request with a valid token (authentication: packages/http, e2e/system) */
const api = () => request.agent(base).set('Authorization', `Bearer ${token}`);

beforeAll(async () => {
  token = await testToken({ owner: 'command-api-test' });
  service = createCommandApiService(config, logger, { publishTimeoutMs: PUBLISH_TIMEOUT_MS });
  await service.start();
  base = `http://127.0.0.1:${service.port}`;
  mongo = await connectMongo(config.mongo, logger);
  codec = createEventCodec(createEventRegistry(config.registry), { topics });
  await codec.init();
});

afterAll(async () => {
  await service?.stop();
  await mongo?.db.dropDatabase();
  await mongo?.close();
});

/** The PortfolioSubmitted events on the topic, decoded, for one portfolio. */
async function submittedFor(uuid: string) {
  const messages = await readTopic(kafka, topics.portfolioSubmitted);
  const mine = messages.filter((m) => m.key?.toString() === uuid);
  return Promise.all(mine.map((m) => codec.decode(m.value!, 'PortfolioSubmitted')));
}

describe('POST /portfolios', () => {
  it('publishes PortfolioSubmitted keyed by the portfolio uuid and answers 202 with Location', async () => {
    const res = await api().post('/portfolios').set('X-Correlation-Id', 'corr-1').send(readExample());
    expect(res.status).toBe(202);
    const uuid = res.body.portfolio_uuid as string;
    expect(res.body).toEqual({ portfolio_uuid: uuid, status: 'accepted' });
    expect(res.headers.location).toBe(`/portfolios/${uuid}`);
    const [event, ...more] = await submittedFor(uuid);
    expect(more).toHaveLength(0);
    expect(event?.correlation_id).toBe('corr-1');
    expect(event?.portfolio.uuid).toBe(uuid);
    expect(event?.portfolio.new_banks.map((b) => b.name)).toEqual(readExample().new_banks.map((b) => b.name));
    expect(Date.parse(event!.portfolio.created_at)).not.toBeNaN();
  });

  it('answers 400 listing every invalid field, and publishes nothing', async () => {
    const body = readExample();
    body.new_delta.period_unit = 'Century!' as never;
    body.new_banks[0]!.bank_tz = 'America/Chicag';
    const res = await api().post('/portfolios').send(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('DD_VALIDATION_FAILED');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([
      'new_delta.period_unit',
      'new_banks[0].bank_tz',
    ]);
  });

  it('maps body and routing errors to problems (413, 415, malformed JSON, 404, 405)', async () => {
    const big = await api()
      .post('/portfolios')
      .set('Content-Type', 'application/json')
      .send(`{"x":"${'a'.repeat(1024 * 1024)}"}`);
    expect([big.status, big.body.code]).toEqual([413, 'DD_PAYLOAD_TOO_LARGE']);
    const text = await api().post('/portfolios').set('Content-Type', 'text/plain').send('hi');
    expect([text.status, text.body.code]).toEqual([415, 'DD_UNSUPPORTED_MEDIA_TYPE']);
    const broken = await api().post('/portfolios').set('Content-Type', 'application/json').send('{"a":');
    expect([broken.status, broken.body.code]).toEqual([400, 'DD_MALFORMED_JSON']);
    const unknown = await api().post('/nothing-here').send({});
    expect([unknown.status, unknown.body.code]).toEqual([404, 'DD_NOT_FOUND']);
    const wrong = await api().put('/portfolios').send({});
    expect([wrong.status, wrong.body.code, wrong.headers.allow]).toEqual([
      405,
      'DD_METHOD_NOT_ALLOWED',
      'POST',
    ]);
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('serves /healthz, /readyz (kafka, registry, mongo), /metrics and /openapi.json', async () => {
    expect((await api().get('/healthz')).status).toBe(200);
    const ready = await api().get('/readyz');
    expect(ready.body).toEqual({ status: 'ok', checks: { kafka: 'ok', registry: 'ok', mongo: 'ok' } });
    expect((await api().get('/metrics')).text).toContain('http_request_duration_seconds');
    const doc = await api().get('/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual([
      '/portfolios',
      '/api/drive-deposits/calculate-portfolio',
      '/portfolios/{uuid}',
    ]);
  });
});

describe('Idempotency-Key', () => {
  it('answers the same portfolio for the same body and publishes exactly one event', async () => {
    const key = `key-${randomUUID()}`;
    const first = await api().post('/portfolios').set('Idempotency-Key', key).send(readExample());
    const second = await api().post('/portfolios').set('Idempotency-Key', key).send(readExample());
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body.portfolio_uuid).toBe(first.body.portfolio_uuid);
    expect(await submittedFor(first.body.portfolio_uuid)).toHaveLength(1);
  });

  it('answers 422 for the same key with a different body', async () => {
    const key = `key-${randomUUID()}`;
    await api().post('/portfolios').set('Idempotency-Key', key).send(readExample()).expect(202);
    const other = readExample();
    other.new_delta.period = '2';
    const res = await api().post('/portfolios').set('Idempotency-Key', key).send(other);
    expect([res.status, res.body.code]).toEqual([422, 'DD_IDEMPOTENCY_KEY_REUSED']);
  });

  it("is the caller's own: another owner's equal key makes its own portfolio, with another body too", async () => {
    const key = `key-${randomUUID()}`;
    const mine = await api().post('/portfolios').set('Idempotency-Key', key).send(readExample()).expect(202);
    const other = readExample();
    other.new_delta.period = '2';
    const stranger = `Bearer ${await testToken({ owner: 'someone-else' })}`;
    const theirs = await request(base)
      .post('/portfolios')
      .set('Authorization', stranger)
      .set('Idempotency-Key', key)
      .send(other)
      .expect(202);
    expect(theirs.body.portfolio_uuid).not.toBe(mine.body.portfolio_uuid);
  });

  it('rejects a malformed key with 400', async () => {
    const res = await api().post('/portfolios').set('Idempotency-Key', 'has space').send(readExample());
    expect([res.status, res.body.code]).toEqual([400, 'DD_INVALID_PARAMETER']);
  });

  it('answers 409 while a key is pending, and republishes the stored event once it is stale', async () => {
    const store = createIdempotencyStore(mongo.db, {
      ttlSeconds: 600,
      staleAfterMs: PUBLISH_TIMEOUT_MS,
      logger,
    });
    const body = readExample();
    const canonical = validatePortfolioRequest(body);
    if (!canonical.ok) throw new Error('the example must be valid');
    const stored = (await submittedFor((await api().post('/portfolios').send(body)).body.portfolio_uuid))[0]!;
    const pendingEvent = {
      ...stored,
      event_id: randomUUID(),
      portfolio: { ...stored.portfolio, uuid: randomUUID() },
    };

    const fresh = `key-${randomUUID()}`;
    await store.reserve(storedKeyOf('command-api-test', fresh), fingerprintOf(canonical.value), pendingEvent);
    const busy = await api().post('/portfolios').set('Idempotency-Key', fresh).send(body);
    expect([busy.status, busy.body.code]).toEqual([409, 'DD_IDEMPOTENCY_KEY_IN_PROGRESS']);
    expect(Number(busy.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    const stale = `key-${randomUUID()}`;
    await store.reserve(
      storedKeyOf('command-api-test', stale),
      fingerprintOf(canonical.value),
      pendingEvent,
      new Date(Date.now() - 60_000),
    );
    const retried = await api().post('/portfolios').set('Idempotency-Key', stale).send(body);
    expect([retried.status, retried.body.portfolio_uuid]).toEqual([202, pendingEvent.portfolio.uuid]);
    const republished = await submittedFor(pendingEvent.portfolio.uuid);
    expect(republished.map((e) => e.event_id)).toEqual([pendingEvent.event_id]);
  });
});

describe('Prefer: wait', () => {
  it('answers 202 with Preference-Applied when no result comes in time (no calculator here)', async () => {
    const res = await api().post('/portfolios').set('Prefer', 'wait=1').send(readExample());
    expect(res.status).toBe(202);
    expect(res.headers['preference-applied']).toBe('wait=1');
  });

  it.each(['wait=abc', 'wait=1.5'])(
    'ignores %p, a wait it cannot honour (RFC 7240), and answers 202 at once',
    async (prefer) => {
      const res = await api().post('/portfolios').set('Prefer', prefer).send(readExample());
      expect(res.status).toBe(202);
      expect(res.headers['preference-applied']).toBeUndefined();
    },
  );
});

describe('when Kafka cannot be reached', () => {
  it('answers 503 DD_DEPENDENCY_UNAVAILABLE with Retry-After, never 202', async () => {
    // A producer pointed at a closed port; the shared broker stays up for the other tests.
    // Few connection retries, so nothing keeps retrying in the background after the test.
    const deadKafka = new Kafka({
      brokers: ['127.0.0.1:1'],
      retry: { retries: 1, initialRetryTime: 100 },
      logLevel: logLevel.NOTHING,
    });
    const publisher = createEventPublisher({
      newProducer: () => createProducer(deadKafka, { idempotent: true, maxInFlightRequests: 1 }),
      codec,
      topic: topics.portfolioSubmitted,
      timeoutMs: 1500,
      logger,
    });
    const app = createCommandApi({
      logger,
      metrics: createMetrics({ service: 'command-api-test', defaultMetrics: false }),
      readiness: {},
      authenticate: withoutAuthentication,
      publisher,
      idempotency: createIdempotencyStore(mongo.db, { ttlSeconds: 600, staleAfterMs: 1500, logger }),
      results: createResultListener({ kafka: deadKafka, codec, topic: topics.portfolioCalculated, logger }),
      calculated: calculatedFromReadModel(mongo.db),
      recordAccepted: acceptedInReadModel(mongo.db),
      ...noDeletions,
      syncWaitMaxSeconds: 5,
    });
    const res = await request(app)
      .post('/portfolios')
      .set('Idempotency-Key', randomUUID())
      .send(readExample());
    expect([res.status, res.body.code]).toEqual([503, 'DD_DEPENDENCY_UNAVAILABLE']);
    expect(res.headers['retry-after']).toBe('2');
    await publisher.disconnect();
  });
});
