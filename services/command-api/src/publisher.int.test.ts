// Group commit on the real broker: a batch the broker refuses answers every one of its callers 503,
// and none of their events is published, then or on the clients' retries, more than once.
// The refusal is real: the topic's max.message.bytes lets one event through but not a batch of them.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@drive-deposits/config';
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
import { createMetrics } from '@drive-deposits/runtime';
import { kafkaBrokers, mongoUrl, readTopic, schemaRegistryUrl, uniqueName } from '@drive-deposits/testing';
import type { Express } from 'express';
import request from 'supertest';
import { createCommandApi } from './app';
import { commandApiConfigSpec } from './config';
import { createIdempotencyStore, storedKeyOf } from './idempotency';
import { createEventPublisher, type EventPublisher } from './publisher';
import { acceptedInReadModel, calculatedFromReadModel } from './read-model';
import { createResultListener } from './result-listener';
import { withoutAuthentication } from '@drive-deposits/http';

/** DELETE is not what this file tests (e2e/deletion.e2e.test.ts does): every portfolio unknown to it. */
const noDeletions = {
  portfolio: async () => undefined,
  deletions: { publish: async () => undefined },
  recordDeleted: async () => undefined,
};

const EXAMPLE = join(__dirname, '../../../../shared/spec/examples/portfolio-request-valid.json');
const example = () => JSON.parse(readFileSync(EXAMPLE, 'utf8')) as object;

const config = loadConfig(commandApiConfigSpec, {
  LOG_LEVEL: 'warn',
  KAFKA_BROKERS: kafkaBrokers().join(','),
  SCHEMA_REGISTRY_URL: schemaRegistryUrl(),
  MONGO_URL: mongoUrl(),
  MONGO_DB: uniqueName('cmdbatch'),
  KAFKA_TOPIC_PREFIX: `${uniqueName('cmdbatch')}.`,
});
const logger = createLogger({ service: 'command-api-batch-test', level: 'fatal' });
const topics = topicNames(config.kafka.topicPrefix);
const kafka = createKafka(config.kafka, logger);
/** one PortfolioSubmitted of the example is ≈ 1.1 KB as a record batch; two are not */
const MAX_MESSAGE_BYTES = 1600;
const STALE_AFTER_MS = 500;

let mongo: MongoConnection;
let codec: EventCodec;
let publisher: EventPublisher;
let app: Express;

beforeAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic: topics.portfolioSubmitted,
        numPartitions: 1,
        configEntries: [{ name: 'max.message.bytes', value: String(MAX_MESSAGE_BYTES) }],
      },
      { topic: topics.portfolioCalculated, numPartitions: 1 },
    ],
  });
  await admin.disconnect();
  codec = createEventCodec(createEventRegistry(config.registry), { topics });
  await codec.init();
  mongo = await connectMongo(config.mongo, logger);
  publisher = createEventPublisher({
    newProducer: () =>
      createProducer(kafka, { idempotent: true, maxInFlightRequests: 1, retry: { retries: 2 } }),
    codec,
    topic: topics.portfolioSubmitted,
    timeoutMs: 5000,
    logger,
    // a long linger, so that the concurrent requests below certainly share one send
    batching: { lingerMs: 400 },
  });
  await publisher.connect();
  app = createCommandApi({
    logger,
    metrics: createMetrics({ service: 'command-api-batch-test', defaultMetrics: false }),
    readiness: {},
    authenticate: withoutAuthentication,
    publisher,
    idempotency: createIdempotencyStore(mongo.db, { ttlSeconds: 600, staleAfterMs: STALE_AFTER_MS, logger }),
    results: createResultListener({ kafka, codec, topic: topics.portfolioCalculated, logger }),
    calculated: calculatedFromReadModel(mongo.db),
    recordAccepted: acceptedInReadModel(mongo.db),
    ...noDeletions,
    syncWaitMaxSeconds: 5,
  });
});

afterAll(async () => {
  await publisher?.disconnect();
  await mongo?.db.dropDatabase();
  await mongo?.close();
});

it('answers all callers of a batch the broker refuses 503, and publishes none of them twice', async () => {
  const keys = Array.from({ length: 5 }, () => `batch-${randomUUID()}`);
  const post = (key: string) => request(app).post('/portfolios').set('Idempotency-Key', key).send(example());

  const refused = await Promise.all(keys.map(post));
  expect(refused.map((res) => [res.status, res.body.code])).toEqual(
    keys.map(() => [503, 'DD_DEPENDENCY_UNAVAILABLE']),
  );
  expect(refused.map((res) => res.headers['retry-after'])).toEqual(keys.map(() => '5'));
  expect(await readTopic(kafka, topics.portfolioSubmitted)).toHaveLength(0);

  // The clients retry with their keys, one after another (each event alone fits the topic): each
  // retry republishes the event stored with its key, so every portfolio is published exactly once.
  const stored = await mongo.db
    .collection<{ _id: string; portfolio_uuid: string; event: { event_id: string } }>('idempotency_keys')
    // AUTH_MODE=off here: every key belongs to owner `anonymous`
    .find({ _id: { $in: keys.map((key) => storedKeyOf('anonymous', key)) } })
    .toArray();
  expect(stored).toHaveLength(keys.length);
  await new Promise((resolve) => setTimeout(resolve, STALE_AFTER_MS + 100));
  const uuids: string[] = [];
  for (const key of keys) {
    const retried = await post(key);
    expect(retried.status).toBe(202);
    uuids.push(retried.body.portfolio_uuid as string);
  }
  expect(uuids).toEqual(
    keys.map((key) => stored.find((s) => s._id === storedKeyOf('anonymous', key))!.portfolio_uuid),
  );

  const published = await readTopic(kafka, topics.portfolioSubmitted);
  const events = await Promise.all(published.map((m) => codec.decode(m.value!, 'PortfolioSubmitted')));
  expect(events.map((e) => e.portfolio.uuid).sort()).toEqual([...uuids].sort());
  expect(events.map((e) => e.event_id).sort()).toEqual(stored.map((s) => s.event.event_id).sort());
});
