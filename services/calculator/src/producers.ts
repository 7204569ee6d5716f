// One transactional producer per input partition, transactionalId `<group>-<topic>-<partition>`.
// kafkajs' sendOffsets has no consumer-group-metadata fencing (KIP-447), so fencing is the classic
// way: whoever owns a partition next initialises the same transactional id, which aborts the
// previous owner's open transaction and makes its later writes fail (INVALID_PRODUCER_EPOCH /
// PRODUCER_FENCED) — a paused or partitioned "zombie" can never commit output for that partition.
import { createProducer } from '@drive-deposits/kafka';
import type { Logger } from '@drive-deposits/logging';
import type { Kafka, Producer } from 'kafkajs';

export interface PartitionProducers {
  /** the connected producer of this partition, created (and its id initialised) on first use */
  get(topic: string, partition: number): Promise<Producer>;
  /** disconnects and forgets it (after fencing or a failed abort); the next `get` starts afresh */
  drop(topic: string, partition: number): Promise<void>;
  disconnectAll(): Promise<void>;
}

const transactionalIdOf = (group: string, topic: string, partition: number) =>
  `${group}-${topic}-${partition}`;

export function createPartitionProducers(kafka: Kafka, group: string, logger: Logger): PartitionProducers {
  const producers = new Map<string, Promise<Producer>>();

  async function connect(transactionalId: string): Promise<Producer> {
    const producer = createProducer(kafka, { transactionalId, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect(); // InitProducerId: bumps the epoch, fencing any previous owner
    return producer;
  }

  async function drop(topic: string, partition: number): Promise<void> {
    const id = transactionalIdOf(group, topic, partition);
    const existing = producers.get(id);
    producers.delete(id);
    const producer = await existing?.catch(() => undefined);
    await producer
      ?.disconnect()
      .catch((error: unknown) => logger.warn({ err: error }, 'producer disconnect'));
  }

  return {
    get(topic, partition) {
      const id = transactionalIdOf(group, topic, partition);
      let producer = producers.get(id);
      if (producer === undefined) {
        producer = connect(id);
        producers.set(id, producer);
        producer.catch(() => producers.get(id) === producer && producers.delete(id));
      }
      return producer;
    },
    drop,
    async disconnectAll() {
      const all = [...producers.values()];
      producers.clear();
      await Promise.all(
        all.map(async (pending) => {
          const producer = await pending.catch(() => undefined);
          await producer?.disconnect().catch(() => undefined);
        }),
      );
    },
  };
}
