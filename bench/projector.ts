// The projector alone: documents/s into the local MongoDB-wire server, `npm run bench:projector`
// (`-- --json` for JSON). BENCH_PROJECTOR_PORTFOLIOS (default 2000) spec-example portfolios are put on
// fresh topics first (PortfolioSubmitted and PortfolioCalculated, 6 partitions each); then a projector
// (in this process, real servers) reads them into an empty database, timed from its start until its
// group has committed every end offset. Two groupings, alternated BENCH_PROJECTOR_ROUNDS (2) times:
//  - "per batch": one partition's batch at a time, one bulk per collection per batch (as before the
//    group commit);
//  - "grouped": every partition's batch at once, one bulk per collection per flush (the default).
// A calculated 3-bank, 7-deposit portfolio is 12 documents (portfolio, result, banks, deposits).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { calculateEvent, submitPortfolio, validatePortfolioRequest } from '../packages/core/src';
import {
  createEventCodec,
  createEventRegistry,
  createProducer,
  ensureTopics,
  topicNames,
} from '../packages/kafka/src';
import { createLogger } from '../packages/logging/src';
import { connectMongo } from '../packages/mongo/src';
import { createReadModelIndexes, readModelCollections } from '../packages/read-model/src';
import { createMetrics } from '../packages/runtime/src';
import { createProjector, type ProjectorGrouping } from '../services/projector/src/projector';
import { benchKafka, SPEC_REQUEST } from './broker';
import { figure, loadLine, machineLine, printFigures, serverEnv, sleep } from './lib';

const PORTFOLIOS = Number(process.env.BENCH_PROJECTOR_PORTFOLIOS ?? 2000);
const ROUNDS = Number(process.env.BENCH_PROJECTOR_ROUNDS ?? 2);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 300);
const logger = createLogger({ service: 'bench-projector', level: 'warn' });
const MODES: Array<{ name: string; grouping?: Partial<ProjectorGrouping> }> = [
  { name: 'per batch', grouping: { partitionsConcurrently: 1, lingerMs: 0 } },
  { name: 'grouped' },
];

async function main(): Promise<void> {
  process.stderr.write(`bench:projector\n  ${machineLine()}\n`);
  const run = `bench-projector-${Date.now().toString(36)}`;
  const topics = topicNames(`${run}.`);
  const kafka = benchKafka();
  await ensureTopics(kafka, [topics.portfolioSubmitted, topics.portfolioCalculated, topics.deadLetter], {
    partitions: 6,
    replicationFactor: 1,
  });
  const codec = createEventCodec(createEventRegistry({ url: serverEnv().SCHEMA_REGISTRY_URL }, run), {
    topics,
  });
  await codec.init();
  const validated = validatePortfolioRequest(SPEC_REQUEST);
  if (!validated.ok) throw new Error('the spec example request is invalid');
  const producer = createProducer(kafka, { idempotent: true });
  await producer.connect();
  for (let sent = 0; sent < PORTFOLIOS; sent += 200) {
    const submitted = Array.from({ length: Math.min(200, PORTFOLIOS - sent) }, () =>
      submitPortfolio(validated.value, {
        newId: randomUUID,
        now: new Date().toISOString(),
        correlationId: randomUUID(),
        eventId: randomUUID(),
      }),
    );
    const calculated = submitted.map((event) => calculateEvent(event, { eventId: randomUUID() }));
    await producer.sendBatch({
      acks: -1,
      topicMessages: [
        {
          topic: topics.portfolioSubmitted,
          messages: submitted.map((e) => ({
            key: e.portfolio.uuid,
            value: codec.encode(topics.portfolioSubmitted, e),
          })),
        },
        {
          topic: topics.portfolioCalculated,
          messages: calculated.map((e) => ({
            key: e.portfolio.uuid,
            value: codec.encode(topics.portfolioCalculated, e),
          })),
        },
      ],
    });
  }
  await producer.disconnect();
  const documents = PORTFOLIOS * 12;
  process.stderr.write(`  ${PORTFOLIOS} portfolios on ${topics.portfolioSubmitted} and …calculated\n`);

  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, Map<number, number>>();
  for (const topic of [topics.portfolioSubmitted, topics.portfolioCalculated]) {
    ends.set(
      topic,
      new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)])),
    );
  }
  const caughtUp = async (groupId: string) => {
    for (const [topic, partitions] of ends) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      for (const [partition, high] of partitions) {
        const at = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
        if (Number(at) < high) return false;
      }
    }
    return true;
  };

  const rates = new Map<string, number[]>();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of MODES) {
        const dbName = `${run}-${round}-${mode.name.replace(' ', '-')}`;
        const mongo = await connectMongo({ url: serverEnv().MONGO_URL, db: dbName }, logger);
        await createReadModelIndexes(readModelCollections(mongo.db, 1));
        const groupId = `${dbName}-group`;
        const projector = createProjector({
          kafka,
          codec,
          db: mongo.db,
          topics,
          groupId,
          logger,
          metrics: createMetrics({ service: 'bench-projector', defaultMetrics: false }),
          grouping: mode.grouping,
        });
        const start = performance.now();
        await projector.start();
        const deadline = Date.now() + MAX_SECONDS * 1000;
        while (!(await caughtUp(groupId)) && Date.now() < deadline) await sleep(100);
        const seconds = (performance.now() - start) / 1000;
        await projector.stop();
        const calculated = await readModelCollections(mongo.db, 1).portfolios.countDocuments({
          status: 'calculated',
        });
        await mongo.db.dropDatabase();
        await mongo.close();
        const rate = documents / seconds;
        rates.set(mode.name, [...(rates.get(mode.name) ?? []), rate]);
        figure(
          `projector ${mode.name}, round ${round + 1}: ${PORTFOLIOS} submitted + ${PORTFOLIOS} calculated events → ${documents} documents`,
          `${rate.toFixed(0)} documents/s (${seconds.toFixed(1)} s; ${calculated}/${PORTFOLIOS} calculated)`,
          { mode: mode.name, round: round + 1, documents, seconds, calculated },
        );
      }
    }
  } finally {
    await admin.deleteTopics({ topics: [...ends.keys(), topics.deadLetter] }).catch(() => undefined);
    await admin.disconnect();
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const before = mean(rates.get('per batch') ?? []);
  const after = mean(rates.get('grouped') ?? []);
  figure(
    'projector grouped / per batch, mean of the rounds',
    `${after.toFixed(0)} / ${before.toFixed(0)} documents/s = ${(after / before).toFixed(2)}×`,
  );
  process.stderr.write(`done, load ${loadLine()}\n`);
  printFigures();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
