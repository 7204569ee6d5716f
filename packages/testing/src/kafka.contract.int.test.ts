// Contract: the Kafka the tests get is a real broker with the behaviour the system relies on.
import { Kafka, logLevel, type Admin, type Consumer, type KafkaMessage } from 'kafkajs';
import { kafkaBrokers, uniqueName } from './index';

const kafka = new Kafka({
  clientId: uniqueName('kafka-contract'),
  brokers: kafkaBrokers(),
  logLevel: logLevel.NOTHING,
});

let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await admin.disconnect();
});

async function createTopic(prefix: string, numPartitions: number): Promise<string> {
  const topic = uniqueName(prefix);
  await admin.createTopics({
    topics: [{ topic, numPartitions, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  return topic;
}

/** Reads `topic` from the beginning in a fresh group until `done(values)` holds; returns the values. */
async function readUntil(
  topic: string,
  readUncommitted: boolean,
  done: (values: string[]) => boolean,
): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), readUncommitted, maxWaitTimeInMs: 200 });
  const values: string[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read only ${JSON.stringify(values)} from ${topic}`)),
        30_000,
      );
      consumer
        .run({
          eachMessage: async ({ message }: { message: KafkaMessage }) => {
            values.push(message.value?.toString() ?? '');
            if (done(values)) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

test('topics are created explicitly with the partitions asked for; producing to a missing topic does not create it', async () => {
  const topic = await createTopic('contract-topic', 3);
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  expect(metadata.topics[0]?.partitions).toHaveLength(3);

  const missing = uniqueName('contract-missing');
  const producer = kafka.producer({
    allowAutoTopicCreation: true,
    retry: { retries: 1, initialRetryTime: 100 },
  });
  await producer.connect();
  try {
    await expect(producer.send({ topic: missing, messages: [{ value: 'x' }] })).rejects.toThrow();
  } finally {
    await producer.disconnect();
  }
  expect(await admin.listTopics()).not.toContain(missing);
});

test('transactions: read_committed sees committed records only; the aborted one is really in the log', async () => {
  const topic = await createTopic('contract-tx', 1);
  const producer = kafka.producer({
    transactionalId: uniqueName('contract-tx'),
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    for (const [value, outcome] of [
      ['committed-1', 'commit'],
      ['aborted', 'abort'],
      ['committed-2', 'commit'],
    ] as const) {
      const tx = await producer.transaction();
      await tx.send({ topic, messages: [{ key: 'portfolio', value }] });
      await (outcome === 'commit' ? tx.commit() : tx.abort());
    }
  } finally {
    await producer.disconnect();
  }

  // 'committed-2' comes after the aborted record in the log, so reading up to it proves the skip.
  const committed = await readUntil(topic, false, (v) => v.includes('committed-2'));
  expect(committed).toEqual(['committed-1', 'committed-2']);
  const uncommitted = await readUntil(topic, true, (v) => v.includes('committed-2'));
  expect(uncommitted).toEqual(['committed-1', 'aborted', 'committed-2']);
});

test('two consumers of one group split the partitions, and the survivor takes all when one leaves', async () => {
  const topic = await createTopic('contract-group', 4);
  const groupId = uniqueName('contract-group');
  const assignments = new Map<Consumer, number[]>();

  const startMember = async (): Promise<Consumer> => {
    const consumer = kafka.consumer({
      groupId,
      maxWaitTimeInMs: 200,
      heartbeatInterval: 300,
      sessionTimeout: 10_000,
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      assignments.set(consumer, [...(payload.memberAssignment[topic] ?? [])].sort());
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async () => undefined });
    return consumer;
  };
  const waitFor = async (what: string, ok: () => boolean): Promise<void> => {
    const deadline = Date.now() + 30_000;
    while (!ok()) {
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what}; assignments: ${JSON.stringify([...assignments.values()])}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const first = await startMember();
  let second: Consumer | undefined;
  try {
    await waitFor('the first member to own all 4 partitions', () => assignments.get(first)?.length === 4);

    second = await startMember();
    await waitFor(
      'a 2 + 2 split',
      () => assignments.get(first)?.length === 2 && assignments.get(second!)?.length === 2,
    );
    expect([...assignments.get(first)!, ...assignments.get(second)!].sort()).toEqual([0, 1, 2, 3]);

    await second.disconnect();
    second = undefined;
    await waitFor('the survivor to own all 4 partitions again', () => assignments.get(first)?.length === 4);
  } finally {
    await second?.disconnect();
    await first.disconnect();
  }
});
