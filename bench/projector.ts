// The projector alone: documents/s into the local MongoDB-wire server, `npm run bench:projector`
// (`-- --json` for JSON). Fresh topics (PortfolioSubmitted and PortfolioCalculated, 6 partitions each)
// of BENCH_PROJECTOR_PORTFOLIOS (default 2000) spec-example portfolios, a projector in this process on
// the real servers, an empty database each time:
//  - backlog: the events are on the topics before the projector starts; timed from its start until
//    its group has committed every end offset;
//  - live: the projector runs first and the events are produced at BENCH_PROJECTOR_RATE (200)
//    portfolios/s in sends of 10 ms' worth; timed from the first send until caught up.
// Each counts the write commands (insert/update) the MongoDB driver sent. Two groupings, alternated
// BENCH_PROJECTOR_ROUNDS (2) times:
//  - "per batch": one partition's batch at a time, one bulk per collection per batch (as before the
//    group commit);
//  - "grouped": every partition's batch at once, one bulk per collection per flush (the default);
//  - "concurrent unmerged": every partition's batch at once, but a flush per batch.
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
  type EventCodec,
  type TopicNames,
} from '../packages/kafka/src';
import type { Kafka, Producer } from 'kafkajs';
import { createLogger } from '../packages/logging/src';
import { MongoClient } from 'mongodb';
import { createReadModelIndexes, readModelCollections } from '../packages/read-model/src';
import { createMetrics } from '../packages/runtime/src';
import { createProjector, type ProjectorGrouping } from '../services/projector/src/projector';
import { benchKafka, SPEC_REQUEST } from './broker';
import { figure, machineLine, runBench, serverEnv, sleep } from './lib';

const PORTFOLIOS = Number(process.env.BENCH_PROJECTOR_PORTFOLIOS ?? 2000);
const ROUNDS = Number(process.env.BENCH_PROJECTOR_ROUNDS ?? 2);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 300);
const RATE = Number(process.env.BENCH_PROJECTOR_RATE ?? 200);
const logger = createLogger({ service: 'bench-projector', level: 'warn' });
const MODES: Array<{ name: string; grouping?: Partial<ProjectorGrouping> }> = [
  { name: 'per batch', grouping: { partitionsConcurrently: 1, lingerMs: 0 } },
  { name: 'grouped' },
  // every partition at once but a flush per batch: separates the concurrency from the merging
  { name: 'concurrent unmerged', grouping: { maxDocuments: 1 } },
];
const PHASES = (process.env.BENCH_PROJECTOR_PHASES ?? 'backlog,live').split(',') as Phase[];

type Phase = 'backlog' | 'live';

/** `count` portfolios' two events, in sends of `per` portfolios, one send every `everyMs` (0: at once) */
async function produce(
  producer: Producer,
  codec: EventCodec,
  topics: TopicNames,
  count: number,
  per: number,
  everyMs: number,
): Promise<void> {
  const validated = validatePortfolioRequest(SPEC_REQUEST);
  if (!validated.ok) throw new Error('the spec example request is invalid');
  const t0 = performance.now();
  for (let sent = 0, i = 0; sent < count; sent += per, i++) {
    const wait = t0 + i * everyMs - performance.now();
    if (wait > 0) await sleep(wait);
    const submitted = Array.from({ length: Math.min(per, count - sent) }, () =>
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
}

async function caughtUp(kafka: Kafka, groupId: string, topics: TopicNames, count: number): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of [topics.portfolioSubmitted, topics.portfolioCalculated]) {
      const ends = await admin.fetchTopicOffsets(topic);
      if (ends.reduce((sum, p) => sum + Number(p.high), 0) < count) return false;
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      for (const { partition, high } of ends) {
        const at = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
        if (Number(at) < Number(high)) return false;
      }
    }
    return true;
  } finally {
    await admin.disconnect();
  }
}

async function once(kafka: Kafka, phase: Phase, mode: (typeof MODES)[number], round: number) {
  const name = `bench-projector-${Date.now().toString(36)}-${phase}-${mode.name.replace(' ', '-')}`;
  const topics = topicNames(`${name}.`);
  await ensureTopics(
    kafka,
    [topics.portfolioSubmitted, topics.portfolioCalculated, topics.portfolioDeleted, topics.deadLetter],
    {
      partitions: 6,
      replicationFactor: 1,
    },
  );
  const codec = createEventCodec(createEventRegistry({ url: serverEnv().SCHEMA_REGISTRY_URL }, name), {
    topics,
  });
  await codec.init();
  const producer = createProducer(kafka, { idempotent: true });
  await producer.connect();
  const client = await MongoClient.connect(serverEnv().MONGO_URL, { monitorCommands: true });
  const db = client.db(name);
  await createReadModelIndexes(readModelCollections(db, 1));
  let writeCommands = 0;
  client.on('commandStarted', (event) => {
    if (event.commandName === 'insert' || event.commandName === 'update') writeCommands++;
  });
  const groupId = `${name}-group`;
  const projector = createProjector({
    kafka,
    codec,
    db,
    topics,
    groupId,
    logger,
    metrics: createMetrics({ service: 'bench-projector', defaultMetrics: false }),
    grouping: mode.grouping,
  });
  try {
    if (phase === 'backlog') await produce(producer, codec, topics, PORTFOLIOS, 200, 0);
    writeCommands = 0;
    const start = performance.now();
    await projector.start();
    const live =
      phase === 'live'
        ? produce(producer, codec, topics, PORTFOLIOS, Math.max(1, Math.round(RATE / 100)), 10)
        : Promise.resolve();
    const deadline = Date.now() + MAX_SECONDS * 1000;
    while (!(await caughtUp(kafka, groupId, topics, PORTFOLIOS)) && Date.now() < deadline) await sleep(100);
    await live;
    const seconds = (performance.now() - start) / 1000;
    const calculated = await readModelCollections(db, 1).portfolios.countDocuments({ status: 'calculated' });
    const documents = PORTFOLIOS * 12;
    const rate = documents / seconds;
    figure(
      `projector ${phase}, ${mode.name}, round ${round}: ${PORTFOLIOS} submitted + ${PORTFOLIOS} calculated events → ${documents} documents` +
        (phase === 'live' ? ` produced at ${RATE} portfolios/s` : ''),
      `${rate.toFixed(0)} documents/s (${seconds.toFixed(1)} s; ${calculated}/${PORTFOLIOS} calculated); ` +
        `${writeCommands} write commands, ${(documents / Math.max(1, writeCommands)).toFixed(1)} documents per command`,
      { phase, mode: mode.name, round, documents, seconds, calculated, writeCommands },
    );
    return rate;
  } finally {
    await projector.stop();
    await producer.disconnect();
    await db.dropDatabase().catch(() => undefined);
    await client.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin
      .deleteTopics({
        topics: [
          topics.portfolioSubmitted,
          topics.portfolioCalculated,
          topics.portfolioDeleted,
          topics.deadLetter,
        ],
      })
      .catch(() => undefined);
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  process.stderr.write(`bench:projector\n  ${machineLine()}\n`);
  const kafka = benchKafka();
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  for (const phase of PHASES) {
    const rates = new Map<string, number[]>();
    for (let round = 1; round <= ROUNDS; round++) {
      for (const mode of MODES) {
        rates.set(mode.name, [...(rates.get(mode.name) ?? []), await once(kafka, phase, mode, round)]);
      }
    }
    const before = mean(rates.get('per batch') ?? []);
    const after = mean(rates.get('grouped') ?? []);
    figure(
      `projector ${phase}, grouped / per batch, mean of ${ROUNDS} rounds`,
      `${after.toFixed(0)} / ${before.toFixed(0)} documents/s = ${(after / before).toFixed(2)}×`,
    );
  }
}

runBench(main);
