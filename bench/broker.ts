// The broker's own ceiling for DriveDeposits' message sizes: `npm run bench:broker`.
// 1. The sizes: one real PortfolioSubmitted and its PortfolioCalculated (the spec example portfolio),
//    encoded with the services' codec through the schema registry.
// 2. A bare kafkajs producer → consumer loop per size, with the command API's producer settings
//    (idempotent, acks=-1, maxInFlightRequests 1, one message per send, BENCH_CONCURRENCY sends in
//    flight) and once batched (100 per send): messages/s from the first send until the consumer has
//    them all.
// 3. Kafka's own ProducerPerformance (Java) with the same record size and acks=all, idempotence on.
// BENCH_MESSAGES (default 5000) per measurement, BENCH_MAX_SECONDS (60) bound on each.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Kafka } from 'kafkajs';
import {
  calculateEvent,
  submitPortfolio,
  validatePortfolioRequest,
  type PortfolioCalculated,
  type PortfolioSubmitted,
} from '../packages/core/src';
import {
  createEventCodec,
  createEventRegistry,
  createKafka,
  createProducer,
  ensureTopics,
  topicNames,
} from '../packages/kafka/src';
import { createLogger } from '../packages/logging/src';
import { figure, machineLine, pool, serverEnv } from './lib';

const REPO = join(__dirname, '..');
export const SPEC_REQUEST = JSON.parse(
  readFileSync(join(REPO, '../shared/spec/examples/portfolio-request-valid.json'), 'utf8'),
) as unknown;
const logger = createLogger({ service: 'bench-broker', level: 'warn' });

export function specEvents(): { submitted: PortfolioSubmitted; calculated: PortfolioCalculated } {
  const validated = validatePortfolioRequest(SPEC_REQUEST);
  if (!validated.ok) throw new Error('the spec example request is invalid');
  let n = 0;
  const submitted = submitPortfolio(validated.value, {
    newId: () => `00000000-0000-4000-8000-${(n++).toString(16).padStart(12, '0')}`,
    now: new Date().toISOString(),
    correlationId: '6f0f3c4e-1111-4000-8000-000000000000',
    eventId: '6f0f3c4e-2222-4000-8000-000000000000',
  });
  return {
    submitted,
    calculated: calculateEvent(submitted, { eventId: '6f0f3c4e-3333-4000-8000-000000000000' }),
  };
}

/** The encoded sizes (bytes, with the 5-byte registry framing) of the spec example's two events. */
export async function eventSizes(prefix: string): Promise<{ submitted: number; calculated: number }> {
  const { SCHEMA_REGISTRY_URL } = serverEnv();
  const topics = topicNames(prefix);
  const codec = createEventCodec(createEventRegistry({ url: SCHEMA_REGISTRY_URL }, 'bench-broker'), {
    topics,
  });
  await codec.init();
  const { submitted, calculated } = specEvents();
  return {
    submitted: codec.encode(topics.portfolioSubmitted, submitted).length,
    calculated: codec.encode(topics.portfolioCalculated, calculated).length,
  };
}

export function benchKafka(): Kafka {
  return createKafka(
    { clientId: 'bench-broker', brokers: serverEnv().KAFKA_BROKERS.split(','), ssl: false },
    logger,
  );
}

export interface LoopResult {
  messages: number;
  seconds: number;
  perSecond: number;
  mibPerSecond: number;
}

/**
 * Produces `messages` records of `size` bytes (keyed like portfolios, 6 partitions) and consumes
 * them in a fresh group; the time runs from the first send until the consumer has them all.
 */
export async function kafkajsLoop(
  kafka: Kafka,
  topic: string,
  {
    messages,
    size,
    concurrency = 32,
    batch = 1,
    maxSeconds = 60,
  }: { messages: number; size: number; concurrency?: number; batch?: number; maxSeconds?: number },
): Promise<LoopResult> {
  await ensureTopics(kafka, [topic], { partitions: 6, replicationFactor: 1 });
  const value = Buffer.alloc(size, 7);
  const consumer = kafka.consumer({ groupId: `${topic}-reader`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let received = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((resolve) => (resolveAll = resolve));
  await consumer.run({
    eachBatch: async ({ batch: b }) => {
      received += b.messages.length;
      if (received >= messages) resolveAll();
    },
  });
  const producer = createProducer(kafka, { idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const deadline = Date.now() + maxSeconds * 1000;
  const start = performance.now();
  const sends = Math.ceil(messages / batch);
  await pool(sends, concurrency, async (i) => {
    if (Date.now() > deadline) throw new Error(`kafkajs loop over ${maxSeconds} s`);
    const count = Math.min(batch, messages - i * batch);
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: count }, (_, k) => ({ key: `k-${i}-${k}`, value })),
    });
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new Error('consumer did not receive every message in time')),
      Math.max(1000, deadline - Date.now()),
    ).unref(),
  );
  await Promise.race([all, timeout]);
  const seconds = (performance.now() - start) / 1000;
  await producer.disconnect();
  await consumer.disconnect();
  return {
    messages,
    seconds,
    perSecond: messages / seconds,
    mibPerSecond: (messages * size) / seconds / 2 ** 20,
  };
}

function producerPerformance(topic: string, size: number, records: number): string {
  const output = execFileSync(
    'bash',
    [
      join(REPO, 'infra/infra.sh'),
      'kafka-class',
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      topic,
      '--num-records',
      String(records),
      '--record-size',
      String(size),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${serverEnv().KAFKA_BROKERS}`,
      'acks=all',
      'enable.idempotence=true',
      'max.in.flight.requests.per.connection=1',
    ],
    { cwd: REPO, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return output.trim().split('\n').at(-1) ?? '';
}

async function main(): Promise<void> {
  const messages = Number(process.env.BENCH_MESSAGES ?? 5000);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
  const maxSeconds = Number(process.env.BENCH_MAX_SECONDS ?? 60);
  const run = `bench-broker-${Date.now().toString(36)}`;
  console.log(`bench:broker ${run}\n  ${machineLine()}`);
  const sizes = await eventSizes(`${run}.`);
  console.log(
    `  encoded spec example: PortfolioSubmitted ${sizes.submitted} B, PortfolioCalculated ${sizes.calculated} B`,
  );
  const kafka = benchKafka();
  for (const [name, size] of Object.entries(sizes)) {
    for (const batch of [1, 100]) {
      const r = await kafkajsLoop(kafka, `${run}-${name}-b${batch}`, {
        messages,
        size,
        concurrency,
        batch,
        maxSeconds,
      });
      figure(
        `kafkajs produce→consume, ${name} (${size} B), ${batch === 1 ? `1 msg/send, ${concurrency} sends in flight` : `${batch} msgs/send`}, idempotent acks=-1`,
        `${r.perSecond.toFixed(0)} msg/s (${r.mibPerSecond.toFixed(2)} MiB/s; ${messages} in ${r.seconds.toFixed(2)} s)`,
      );
    }
  }
  const admin = kafka.admin();
  await admin.connect();
  for (const [name, size] of Object.entries(sizes)) {
    const topic = `${run}-perf-${name}`;
    await ensureTopics(kafka, [topic], { partitions: 6, replicationFactor: 1 });
    const records = messages * 10;
    figure(
      `Kafka ProducerPerformance (Java), ${name} (${size} B), ${records} records, acks=all idempotent`,
      producerPerformance(topic, size, records),
    );
  }
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(run));
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
