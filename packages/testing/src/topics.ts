// Reading what a topic holds, for assertions: from the beginning, in a fresh group that never
// commits, until every partition is read up to the end offsets seen when reading began.
import { randomBytes } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';

export type TopicMessage = KafkaMessage & { partition: number };

export interface ReadTopicOptions {
  /** false (default): read_committed, as a downstream consumer would */
  readUncommitted?: boolean;
  timeoutMs?: number;
}

/**
 * Every message of `topic` up to its end offsets at the time of the call, in partition order.
 * With read_committed, aborted messages are skipped and the read waits for open transactions to end.
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  options: ReadTopicOptions = {},
): Promise<TopicMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, number>();
  try {
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
      if (Number(high) > Number(low)) ends.set(partition, Number(high));
    }
  } finally {
    await admin.disconnect();
  }
  const messages: TopicMessage[] = [];
  if (ends.size === 0) return messages;
  const consumer = kafka.consumer({
    groupId: `read-topic-${randomBytes(8).toString('hex')}`,
    readUncommitted: options.readUncommitted ?? false,
    maxWaitTimeInMs: 100,
  });
  const positions = new Map<number, number>();
  const reachedEnd = () => [...ends].every(([partition, end]) => (positions.get(partition) ?? 0) >= end);
  const timeoutMs = options.timeoutMs ?? 30_000;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const where = [...ends].map(([p, end]) => `${p}: ${positions.get(p) ?? 0}/${end}`).join(', ');
        reject(new Error(`readTopic(${topic}) did not reach the end within ${timeoutMs} ms (${where})`));
      }, timeoutMs);
      // Batches of only transaction markers never reach eachMessage; this event still reports them.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        positions.set(payload.partition, Number(payload.lastOffset) + 1);
        if (reachedEnd()) {
          clearTimeout(timer);
          resolve();
        }
      });
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (Number(message.offset) < (ends.get(partition) ?? 0)) messages.push({ ...message, partition });
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return messages.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}
