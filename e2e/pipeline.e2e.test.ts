// The command side end to end on real servers: command-api → PortfolioSubmitted → calculator →
// PortfolioCalculated (read_committed), the synchronous route, and poison messages dead-lettered
// inside the calculator's transactions while later events still flow.
import { randomBytes, randomUUID } from 'node:crypto';
import { submitPortfolio } from '@drive-deposits/core';
import {
  createEventCodec,
  createEventRegistry,
  createKafka,
  createProducer,
  DEAD_LETTER_HEADERS,
  topicNames,
  type EventCodec,
} from '@drive-deposits/kafka';
import { createLogger } from '@drive-deposits/logging';
import type { Service } from '@drive-deposits/runtime';
import {
  authHeader,
  kafkaBrokers,
  mongoUrl,
  schemaRegistryUrl,
  testAuthEnv,
  uniqueName,
} from '@drive-deposits/testing';
import type { Producer } from 'kafkajs';
import request from 'supertest';
import { runAnalyticsConsumer } from '../examples/analytics-consumer/consumer';
import { loadCommandApiConfig } from '../services/command-api/src/config';
import { createCommandApiService } from '../services/command-api/src/service';
import { calculatedEventId } from '../services/calculator/src/event-id';
import {
  asExpected,
  collectTopic,
  specExpected,
  specRequest,
  testCalculatorConfig,
} from './pipeline.fixture';
import { createCalculatorService } from '../services/calculator/src/service';

const prefix = `${uniqueName('pipe')}.`;
const topics = topicNames(prefix);
const logger = createLogger({ service: 'pipeline-test', level: 'warn' });
const calculatorConfig = testCalculatorConfig(prefix);
const commandEnvConfig = loadCommandApiConfig({
  ...testAuthEnv(),
  LOG_LEVEL: 'warn',
  KAFKA_BROKERS: kafkaBrokers().join(','),
  SCHEMA_REGISTRY_URL: schemaRegistryUrl(),
  MONGO_URL: mongoUrl(),
  MONGO_DB: uniqueName('pipe'),
  KAFKA_TOPIC_PREFIX: prefix,
  KAFKA_TOPIC_PARTITIONS: '3',
});
const commandConfig = { ...commandEnvConfig, service: { ...commandEnvConfig.service, port: 0 } };
const kafka = createKafka(commandConfig.kafka, logger);

let commandApi: Service;
let calculator: Service;
let base: string;
let codec: EventCodec;
let producer: Producer;
let calculated: Awaited<ReturnType<typeof collectTopic>>;
let deadLetters: Awaited<ReturnType<typeof collectTopic>>;

// The owner every request here submits as: it travels in both events.
const OWNER = 'pipeline-owner';
let authorization: { Authorization: string };

beforeAll(async () => {
  authorization = await authHeader({ owner: OWNER });
  commandApi = createCommandApiService(commandConfig, logger);
  calculator = createCalculatorService(calculatorConfig, logger);
  await commandApi.start();
  await calculator.start();
  base = `http://127.0.0.1:${commandApi.port}`;
  codec = createEventCodec(createEventRegistry(commandConfig.registry), { topics });
  await codec.init();
  producer = createProducer(kafka);
  await producer.connect();
  calculated = await collectTopic(kafka, topics.portfolioCalculated);
  deadLetters = await collectTopic(kafka, topics.deadLetter);
});

afterAll(async () => {
  await Promise.all([calculated?.stop(), deadLetters?.stop(), producer?.disconnect()]);
  await calculator?.stop();
  await commandApi?.stop();
});

const resultFor = (uuid: string) =>
  calculated
    .waitFor((all) => all.find((m) => m.key === uuid))
    .then((m) => codec.decode(m.value, 'PortfolioCalculated'));

it('POST /portfolios → PortfolioCalculated with the spec numbers at all three levels', async () => {
  const res = await request(base)
    .post('/portfolios')
    .set(authorization)
    .set('X-Correlation-Id', 'e2e-1')
    .send(specRequest());
  expect(res.status).toBe(202);
  const event = await resultFor(res.body.portfolio_uuid);
  expect(event.owner).toBe(OWNER);
  expect(asExpected(event.portfolio)).toEqual(specExpected());
  expect(event.correlation_id).toBe('e2e-1');
  expect(event.event_id).toBe(calculatedEventId(event.source_event_id));
  expect(event.portfolio.uuid).toBe(res.body.portfolio_uuid);
});

it('the synchronous route answers 200 with the full response', async () => {
  const res = await request(base)
    .post('/api/drive-deposits/calculate-portfolio')
    .set(authorization)
    .send(specRequest());
  expect(res.status).toBe(200);
  expect(res.headers['preference-applied']).toBe('wait=10');
  expect(asExpected(res.body)).toEqual(specExpected());
  expect(res.headers.location).toBe(`/portfolios/${res.body.uuid}`);
});

it('dead-letters random bytes with the headers; an event failing validation is answered by a PortfolioCalculated saying why; a later event flows', async () => {
  const invalid = submitPortfolio(specRequest(), {
    newId: randomUUID,
    now: new Date().toISOString(),
    correlationId: 'poison',
    eventId: randomUUID(),
  });
  invalid.portfolio.new_banks[0]!.new_deposits[0]!.apy = 'lots'; // still a string: valid Avro
  const valid = submitPortfolio(specRequest(), {
    newId: randomUUID,
    now: new Date().toISOString(),
    correlationId: 'after-poison',
    eventId: randomUUID(),
  });
  const garbageKey = randomUUID();
  // One key: same partition, so the valid event is behind both bad messages.
  const key = valid.portfolio.uuid;
  await producer.send({
    topic: topics.portfolioSubmitted,
    messages: [
      { key, value: randomBytes(64), headers: { marker: garbageKey } },
      { key, value: codec.encode(topics.portfolioSubmitted, invalid) },
      { key, value: codec.encode(topics.portfolioSubmitted, valid) },
    ],
  });
  const event = await resultFor(key);
  expect(event.source_event_id).toBe(valid.event_id);

  // The invalid portfolio's answer: a domain event, not a dead letter.
  const failed = await resultFor(invalid.portfolio.uuid);
  expect(failed.source_event_id).toBe(invalid.event_id);
  expect(failed.correlation_id).toBe('poison');
  expect(failed.portfolio.banks).toEqual([]);
  expect(failed.portfolio.outcome.delta).toBeNull();
  expect(failed.portfolio.outcome.maturity).toBeNull();
  expect(failed.portfolio.outcome.errors).toHaveLength(1);
  expect(failed.portfolio.outcome.errors[0]!.uuid).toBe(invalid.portfolio.uuid);
  expect(failed.portfolio.outcome.errors[0]!.message).toContain('new_banks[0].new_deposits[0].apy');

  const parked = await deadLetters.waitFor((all) => {
    const mine = all.filter((m) => m.key === key);
    return mine.length >= 1 ? mine : undefined;
  });
  const header = (name: string) => parked[0]!.headers[name]?.toString();
  expect(header(DEAD_LETTER_HEADERS.code)).toBe('DD_EVENT_UNDECODABLE');
  expect(header('marker')).toBe(garbageKey); // original headers kept
  expect(header(DEAD_LETTER_HEADERS.topic)).toBe(topics.portfolioSubmitted);
  expect(header(DEAD_LETTER_HEADERS.group)).toBe(calculatorConfig.consumer.consumerGroup);
  expect(Number(header(DEAD_LETTER_HEADERS.offset))).toBeGreaterThanOrEqual(0);
  expect(header(DEAD_LETTER_HEADERS.partition)).toMatch(/^\d+$/);
  expect(Date.parse(header(DEAD_LETTER_HEADERS.failedAt)!)).not.toBeNaN();
  // the calculated topic has each portfolio once; the dead-letter topic only the unreadable message
  expect(calculated.messages.filter((m) => m.key === key)).toHaveLength(1);
  expect(calculated.messages.filter((m) => m.key === invalid.portfolio.uuid)).toHaveLength(1);
  expect(deadLetters.messages.filter((m) => m.key === key)).toHaveLength(1);
});

it('counts processed, failed and dead-lettered events in /metrics', async () => {
  const metrics = await request(`http://127.0.0.1:${calculator.port}`).get('/metrics');
  expect(metrics.text).toMatch(/dd_events_processed_total\{[^}]*outcome="ok"[^}]*\} [1-9]/);
  expect(metrics.text).toMatch(/dd_events_processed_total\{[^}]*outcome="failed"[^}]*\} 1/);
  expect(metrics.text).toMatch(/dd_dead_letter_total\{[^}]*code="DD_EVENT_UNDECODABLE"[^}]*\} 1/);
  expect(metrics.text).not.toMatch(/dd_dead_letter_total\{[^}]*code="DD_EVENT_INVALID"/);
  const ready = await request(`http://127.0.0.1:${calculator.port}`).get('/readyz');
  expect(ready.body).toEqual({ status: 'ok', checks: { kafka: 'ok', registry: 'ok' } });
});

it('the example analytics consumer prints one line per calculated portfolio', async () => {
  const res = await request(base)
    .post('/portfolios')
    .set(authorization)
    .set('X-Correlation-Id', 'analytics')
    .send(specRequest());
  const uuid = res.body.portfolio_uuid as string;
  const lines: string[] = [];
  const consumer = await runAnalyticsConsumer({
    brokers: kafkaBrokers(),
    registryUrl: schemaRegistryUrl(),
    topic: topics.portfolioCalculated,
    groupId: uniqueName('analytics'),
    fromBeginning: true,
    print: (line) => lines.push(line),
  });
  try {
    const line = await calculated.waitFor(() => lines.find((l) => l.includes(uuid)));
    const { portfolio } = specExpected();
    expect(line).toContain(`banks=${specRequest().new_banks.length}`);
    expect(line).toContain(`growth=${portfolio.growth} per 1 Month`);
    expect(line).toContain(`maturity_total=${portfolio.total}`);
    expect(line).toContain('correlation_id=analytics');
    expect(lines.filter((l) => l.includes(uuid))).toHaveLength(1);
  } finally {
    await consumer.disconnect();
  }
});
