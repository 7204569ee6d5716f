// Test harness (int tests of the projector and the query API): real Kafka topics under a unique
// prefix, the real codec and registry, a unique MongoDB database, and a running projector.
import { randomUUID } from 'node:crypto';
import {
  calculateEvent,
  submitPortfolio,
  type AccountType,
  type PeriodUnit,
  type PortfolioCalculated,
  type PortfolioDeleted,
  type PortfolioRequest,
  type PortfolioSubmitted,
} from '@drive-deposits/core';
import {
  createEventCodec,
  createEventRegistry,
  createKafka,
  createProducer,
  ensureTopics,
  topicNames,
  type EventCodec,
  type TopicNames,
} from '@drive-deposits/kafka';
import { createLogger } from '@drive-deposits/logging';
import { connectMongo, type MongoConnection } from '@drive-deposits/mongo';
import { createReadModelIndexes, readModelCollections } from '@drive-deposits/read-model';
import { createMetrics, type Metrics } from '@drive-deposits/runtime';
import { kafkaBrokers, mongoUrl, schemaRegistryUrl, uniqueName } from '@drive-deposits/testing';
import type { Admin, IHeaders, Kafka, Producer } from 'kafkajs';
import { createProjector, type Projector, type ProjectorDeps } from './projector';

export interface ReadSide {
  kafka: Kafka;
  admin: Admin;
  topics: TopicNames;
  codec: EventCodec;
  producer: Producer;
  mongo: MongoConnection;
  metrics: Metrics;
  groupId: string;
  projector: Projector;
  publishSubmitted(event: PortfolioSubmitted): Promise<void>;
  publishCalculated(event: PortfolioCalculated): Promise<void>;
  publishDeleted(event: PortfolioDeleted): Promise<void>;
  publishRaw(topic: string, key: string, value: Buffer, headers?: IHeaders): Promise<void>;
  /** resolves when the projector's group has committed every partition's end offset */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

const logger = createLogger({ service: 'read-side-test', level: 'silent' });

export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startReadSide(
  name: string,
  options: Partial<Pick<ProjectorDeps, 'targetVersions' | 'backoff'>> = {},
): Promise<ReadSide> {
  const topics = topicNames(`${uniqueName(name)}.`);
  const kafka = createKafka({ brokers: kafkaBrokers(), clientId: name, ssl: false }, logger);
  // what the projector consumes; it dead-letters to the third topic
  const all = [topics.portfolioSubmitted, topics.portfolioCalculated, topics.portfolioDeleted];
  await ensureTopics(kafka, [...all, topics.deadLetter], { partitions: 2, replicationFactor: 1 });
  const codec = createEventCodec(createEventRegistry({ url: schemaRegistryUrl() }), { topics });
  await codec.init();
  const mongo = await connectMongo({ url: mongoUrl(), db: uniqueName(name) }, logger);
  await createReadModelIndexes(readModelCollections(mongo.db, 1));
  const producer = createProducer(kafka);
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  const metrics = createMetrics({ service: name, defaultMetrics: false });
  const groupId = uniqueName(`${name}-projector`);
  const projector = createProjector({
    kafka,
    codec,
    db: mongo.db,
    topics,
    groupId,
    logger,
    metrics,
    backoff: { initialMs: 50, maxMs: 200 },
    ...options,
  });
  await projector.start();

  const publishRaw = async (topic: string, key: string, value: Buffer, headers?: IHeaders) => {
    await producer.send({ topic, messages: [{ key, value, ...(headers ? { headers } : {}) }] });
  };
  const caughtUp = () =>
    waitFor(async () => {
      const committed = await admin.fetchOffsets({ groupId, topics: all });
      for (const { topic, partitions } of committed) {
        for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
          const offset = Number(partitions.find((p) => p.partition === partition)?.offset ?? -1);
          if (Number(high) > 0 && offset < Number(high)) return undefined;
        }
      }
      return true;
    }, 'the projector to commit every end offset').then(() => undefined);

  return {
    kafka,
    admin,
    topics,
    codec,
    producer,
    mongo,
    metrics,
    groupId,
    projector,
    publishSubmitted: (event) =>
      publishRaw(
        topics.portfolioSubmitted,
        event.portfolio.uuid,
        codec.encode(topics.portfolioSubmitted, event),
      ),
    publishCalculated: (event) =>
      publishRaw(
        topics.portfolioCalculated,
        event.portfolio.uuid,
        codec.encode(topics.portfolioCalculated, event),
      ),
    publishDeleted: (event) =>
      publishRaw(topics.portfolioDeleted, event.portfolio_uuid, codec.encode(topics.portfolioDeleted, event)),
    publishRaw,
    caughtUp,
    async stop() {
      await projector.stop();
      await producer.disconnect();
      await admin.disconnect();
      await mongo.db.dropDatabase();
      await mongo.close();
    },
  };
}

// ---- events ----

export interface DepositSpec {
  apy: string;
  years: string;
  amount: string;
  account_type?: AccountType;
  start?: string;
}

export function portfolioRequest(period: string, unit: PeriodUnit, banks: DepositSpec[][]): PortfolioRequest {
  return {
    new_delta: { period, period_unit: unit },
    new_banks: banks.map((deposits, b) => ({
      name: `BANK-${b}`,
      bank_tz: 'America/Chicago',
      new_deposits: deposits.map((d, i) => ({
        account: `ACCT-${b}-${i}`,
        account_type: d.account_type ?? 'Checking',
        apy: d.apy,
        years: d.years,
        amount: d.amount,
        start_date_in_bank_tz: d.start ?? '2024-01-01',
      })),
    })),
  };
}

/** The two events of one accepted portfolio, as the command API and the calculator would emit them. */
/** `owner` omitted: the events of a portfolio submitted before authentication (owner null). */
export function portfolioEvents(request: PortfolioRequest, createdAt: string, owner?: string) {
  const submitted = submitPortfolio(request, {
    newId: randomUUID,
    now: createdAt,
    correlationId: randomUUID(),
    eventId: randomUUID(),
    ...(owner === undefined ? {} : { owner }),
  });
  const calculated = calculateEvent(submitted, { eventId: randomUUID() });
  return { submitted, calculated };
}
