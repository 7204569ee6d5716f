// The projector: consumes the submitted and calculated topics and upserts the read models. Offsets
// are committed only after MongoDB acknowledged the batch's writes; a batch that cannot be written
// is retried (with backoff, heartbeating, nothing committed) until it can, or until the consumer stops.
//
// Writes are grouped across partitions and batches: every partition's batch is processed at once
// (partitionsConsumedConcurrently), and their writes go through one group commit — a flush is one
// bulkWrite per collection and version for all the batches that arrived while the previous flush
// was in flight (or within `FLUSH.lingerMs`), instead of one per batch. A batch's offsets are
// committed once the flush holding its writes is acknowledged; a failed flush fails exactly the
// batches in it, which retry. The bulks stay unordered: the writes converge whatever their order
// (read-model documents.ts), an ordered bulk would stop at the first duplicate key that a replay
// produces by design.
import { withCorrelationId, type Logger } from '@drive-deposits/logging';
import {
  createConsumer,
  createProducer,
  deadLetter,
  type EventCodec,
  type TopicNames,
} from '@drive-deposits/kafka';
import { isRetriable } from '@drive-deposits/core';
import { toDependencyError } from '@drive-deposits/mongo';
import { readModelCollections, readVersions } from '@drive-deposits/read-model';
import { createGroupCommit, type Metrics } from '@drive-deposits/runtime';
import type { Db } from 'mongodb';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { applyWrites } from './apply';
import { decide, type Decision } from './decide';
import { countWrites, mergeWrites, type ReadModelWrites } from './projection';

export interface ProjectorDeps {
  kafka: Kafka;
  codec: EventCodec;
  db: Db;
  topics: TopicNames;
  groupId: string;
  /** CONSUMER_SESSION_TIMEOUT_MS: how long a dead member's partitions wait (kafkajs default 30 s) */
  sessionTimeoutMs?: number;
  logger: Logger;
  metrics: Metrics;
  /** the versions each batch is written to; default: `writing` of read_model_meta, re-read per batch */
  targetVersions?: () => Promise<number[]>;
  /** retry backoff bounds (ms) for retriable failures */
  backoff?: { initialMs: number; maxMs: number };
  /** how writes are grouped (default {@link FLUSH}, {@link PROJECTOR_PARTITIONS_CONCURRENTLY}); bench:projector compares */
  grouping?: Partial<ProjectorGrouping>;
}

export interface ProjectorGrouping {
  /** how long an idle flush waits for other batches */
  lingerMs: number;
  /** documents per flush at most (a larger batch goes alone) */
  maxDocuments: number;
  /** partitions' batches processed at once, and so batches per flush at most */
  partitionsConcurrently: number;
}

/**
 * Group commit bounds of the read-model writes (documents per flush; a calculated 3-bank portfolio is
 * 12 documents), and how many partitions' batches are processed at once: every partition of the
 * three topics at the default 6 partitions each.
 */
const FLUSH = { lingerMs: 5, maxDocuments: 6000 };
const PROJECTOR_PARTITIONS_CONCURRENTLY = 18;
const DEFAULT_GROUPING: ProjectorGrouping = {
  ...FLUSH,
  partitionsConcurrently: PROJECTOR_PARTITIONS_CONCURRENTLY,
};

export interface Projector {
  /** resolves once the consumer has joined its group and runs */
  start(): Promise<void>;
  stop(): Promise<void>;
  consumer: Consumer;
}

const errorCode = (error: unknown): string =>
  (error as { code?: unknown } | null)?.code?.toString() ?? (error as Error | null)?.name ?? 'unknown';

export function createProjector(deps: ProjectorDeps): Projector {
  const { kafka, codec, db, topics, groupId, metrics } = deps;
  const logger = deps.logger.child({ component: 'projector', group: groupId });
  const backoff = deps.backoff ?? { initialMs: 300, maxMs: 10_000 };
  const targetVersions = deps.targetVersions ?? (async () => (await readVersions(db)).writing);
  const consumer = createConsumer(kafka, groupId, deps.sessionTimeoutMs);
  const producer: Producer = createProducer(kafka, { idempotent: true });
  const deadLetterTarget = { topic: topics.deadLetter, group: groupId };
  const grouping = { ...DEFAULT_GROUPING, ...deps.grouping };
  let stopping = false;

  /** One flush: the batches' writes merged, one bulk per collection, to every version written. */
  const flushes = createGroupCommit<ReadModelWrites>({
    lingerMs: grouping.lingerMs,
    maxCount: grouping.partitionsConcurrently,
    maxBytes: grouping.maxDocuments,
    sizeOf: countWrites,
    write: async (batches) => {
      const merged = mergeWrites(batches);
      try {
        for (const version of await targetVersions()) {
          await applyWrites(readModelCollections(db, version), merged);
        }
      } catch (error) {
        // A MongoDB outage becomes DD_DEPENDENCY_UNAVAILABLE: retriable, so the batch retries.
        throw toDependencyError(error);
      }
    },
  });

  const sleep = async (ms: number, stillRunning: () => boolean) => {
    for (let waited = 0; waited < ms && stillRunning(); waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, ms - waited)));
    }
  };

  /** Decisions are memoised by offset, so a retried batch never dead-letters a record twice. */
  async function project(
    topic: string,
    partition: number,
    messages: KafkaMessage[],
    decisions: Map<string, Decision>,
  ): Promise<void> {
    const writes: ReadModelWrites[] = [];
    for (const message of messages) {
      let decision = decisions.get(message.offset);
      if (decision === undefined) {
        decision = await decide(codec, topics, topic, message);
        if (decision.kind === 'dead-letter') {
          const code = await deadLetter(
            producer,
            deadLetterTarget,
            { topic, partition, message },
            decision.error,
          );
          // Counted as a failed attempt too, as the calculator does (dd_events_failed_total's help).
          metrics.eventsFailed.inc({ topic, code });
          metrics.deadLettered.inc({ topic, code });
          logger.warn(
            { topic, partition, offset: message.offset, code, err: decision.error },
            'event dead-lettered',
          );
        }
        decisions.set(message.offset, decision);
      }
      if (decision.kind === 'write') writes.push(decision.writes);
    }
    if (writes.length > 0) await flushes.add(mergeWrites(writes));
  }

  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, uncommittedOffsets } = payload;
    const { topic, partition, messages } = batch;
    if (messages.length === 0) return;
    const running = () => payload.isRunning() && !payload.isStale() && !stopping;
    const decisions = new Map<string, Decision>();
    for (let attempt = 0; ; attempt++) {
      try {
        await project(topic, partition, messages, decisions);
        break;
      } catch (error) {
        metrics.eventsFailed.inc({ topic, code: errorCode(error) });
        if (!isRetriable(error)) throw error;
        const waitMs = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt);
        logger.warn(
          { err: error, topic, partition, attempt, wait_ms: waitMs },
          'batch not written; retrying',
        );
        await sleep(waitMs, running);
        // Stopping or rebalanced: leave the batch uncommitted for whoever consumes it next.
        if (!running()) throw error;
        await heartbeat();
      }
    }
    for (const message of messages) resolveOffset(message.offset);
    await commitOffsetsIfNecessary(uncommittedOffsets());
    for (const [offset, decision] of decisions) {
      const outcome =
        decision.kind === 'write' ? 'ok' : decision.kind === 'dead-letter' ? 'dead_lettered' : 'skipped';
      metrics.eventsProcessed.inc({ topic, outcome });
      if (decision.kind === 'write' && decision.event !== undefined) {
        const { correlation_id, ...ids } = decision.event;
        withCorrelationId(logger, correlation_id).info(
          { topic, partition, offset, ...ids },
          'event projected',
        );
      }
    }
    await heartbeat();
  }

  return {
    consumer,
    async start() {
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({
        topics: [topics.portfolioSubmitted, topics.portfolioCalculated, topics.portfolioDeleted],
        fromBeginning: true,
      });
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: grouping.partitionsConcurrently,
        eachBatch,
      });
      await joined;
      logger.info('projector consuming');
    },
    async stop() {
      stopping = true;
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}
