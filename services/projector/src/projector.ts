// The projector: consumes the submitted, calculated and dead-letter topics and upserts the read
// models, one bulkWrite per collection and version per batch. Offsets are committed only after
// MongoDB acknowledged the batch's writes; a batch that cannot be written is retried (with
// backoff, heartbeating, nothing committed) until it can, or until the consumer stops.
import { withCorrelationId, type Logger } from '@drive-deposits/logging';
import {
  createConsumer,
  createProducer,
  deadLetter,
  type EventCodec,
  type TopicNames,
} from '@drive-deposits/kafka';
import { isTransientMongoError } from '@drive-deposits/mongo';
import {
  applyWrites,
  mergeWrites,
  readModelCollections,
  readVersions,
  type ReadModelWrites,
} from '@drive-deposits/read-model';
import type { Metrics } from '@drive-deposits/runtime';
import type { Db } from 'mongodb';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { decide, type Decision } from './decide';

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
}

export interface Projector {
  /** resolves once the consumer has joined its group and runs */
  start(): Promise<void>;
  stop(): Promise<void>;
  consumer: Consumer;
}

/** Registry, Kafka and MongoDB outages: retry the batch later, never dead-letter. */
export const isRetriable = (error: unknown): boolean =>
  isTransientMongoError(error) || (error as { retriable?: unknown } | null)?.retriable === true;

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
  let stopping = false;

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
    const merged = mergeWrites(writes);
    for (const version of await targetVersions()) {
      await applyWrites(readModelCollections(db, version), merged);
    }
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
        topics: [topics.portfolioSubmitted, topics.portfolioCalculated, topics.deadLetter],
        fromBeginning: true,
      });
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch });
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
