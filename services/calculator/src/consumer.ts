// The read-process-write loop: each batch of one partition becomes one Kafka transaction holding
// its PortfolioCalculated events (sent in few produce requests), its dead letters and the consumed
// offsets. Either all of it commits or none of it does; after an abort the batch is fetched again
// from the last committed offset. read_committed readers therefore see each portfolio's result once.
//
// How many events a transaction carries is decided by the fetch (CALCULATOR_FETCH): the broker holds
// a fetch until `minBytes` have arrived or `maxWaitTimeInMs` has passed, so a transaction commits an
// interval's or a size's worth of events, as Kafka Streams' exactly-once commits every 100 ms —
// instead of one per event under request/response load. The transaction is not held open across
// fetches on a timer: kafkajs has no callback before a rebalance hands a partition on, so a timer's
// commit could land after the next owner read the committed offset (a duplicate); committing inside
// eachBatch is safe because kafkajs finishes the batch before it rejoins the group. kafkajs' sendOffsets
// (TxnOffsetCommit v0/v1) carries no group generation, so KIP-447's single producer per process is not
// possible either: fencing stays one transactional id per input partition (producers.ts).
import { classify, DriveDepositsError, isDriveDepositsError } from '@drive-deposits/core';
import { deadLetter, type EventCodec, type TopicNames } from '@drive-deposits/kafka';
import { withCorrelationId, type Logger } from '@drive-deposits/logging';
import type { Metrics } from '@drive-deposits/runtime';
import type { Consumer, EachBatchPayload, KafkaMessage, Message, Transaction } from 'kafkajs';
import { calculateMessage } from './calculate';
import type { PartitionProducers } from './producers';

export interface CalculatorLoopDeps {
  consumer: Consumer;
  producers: PartitionProducers;
  codec: EventCodec;
  topics: TopicNames;
  group: string;
  metrics: Metrics;
  logger: Logger;
}

const FENCED = new Set([
  'INVALID_PRODUCER_EPOCH',
  'PRODUCER_FENCED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
]);
const isFenced = (error: unknown) => FENCED.has(String((error as { type?: unknown } | null)?.type));

/** Errors kafkajs' runner acts on itself (rejoining the group), so they must reach it unchanged. */
const REJOIN = new Set([
  'REBALANCE_IN_PROGRESS',
  'NOT_COORDINATOR_FOR_GROUP',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
]);

/**
 * What eachBatch throws after an abort: always retriable, so kafkajs fetches the batch again after
 * a backoff (and restarts the consumer after its retries) instead of crashing for good.
 */
function retriable(error: unknown, topic: string, partition: number): unknown {
  const { type, retriable: flag } = (error ?? {}) as { type?: unknown; retriable?: unknown };
  if (flag === true || REJOIN.has(String(type))) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new DriveDepositsError(
    'DD_DEPENDENCY_UNAVAILABLE',
    `Batch of ${topic}[${partition}] aborted: ${detail}`,
    {
      cause: error,
      retriable: true,
    },
  );
}

/**
 * A send per message costs a broker round trip each (≈ 100 events/s); a batch is sent in few
 * requests instead, each well under the broker's default 1 MiB message.max.bytes per record batch.
 */
const SEND_BYTES = 512 * 1024;

export function chunksOf(messages: Message[], maxBytes: number): Message[][] {
  const chunks: Message[][] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = (message.value as Buffer).length;
    const current = chunks.at(-1);
    if (current === undefined || bytes + size > maxBytes) {
      chunks.push([message]);
      bytes = size;
    } else {
      current.push(message);
      bytes += size;
    }
  }
  return chunks;
}

/**
 * The consumer's fetch settings: the commit interval and size (above). 20 ms rather than Streams'
 * 100 ms because the synchronous route waits for the result (a result waits half an interval on
 * average); under load a fetch fills `minBytes` (≈ 250 PortfolioSubmitted of the 3-bank example)
 * sooner. Every partition is processed at once (the default topics have 6), so their transactions'
 * round trips overlap instead of queueing two at a time.
 */
export const CALCULATOR_FETCH = { minBytes: 256 * 1024, maxWaitTimeInMs: 20 };
export const CALCULATOR_PARTITIONS_CONCURRENTLY = 6;

type Outcome =
  | {
      outcome: 'ok' | 'failed';
      offset: string;
      event: { event_id: string; correlation_id: string; uuid: string };
      message: Message;
    }
  | { outcome: 'dead_lettered'; code: string };

export function createBatchHandler(deps: CalculatorLoopDeps) {
  const { producers, codec, topics, group, metrics, logger } = deps;

  async function handle(
    txn: Transaction,
    topic: string,
    partition: number,
    message: KafkaMessage,
  ): Promise<Outcome> {
    try {
      const { event, value, failed } = await calculateMessage(
        codec,
        topics.portfolioCalculated,
        message.value,
      );
      const { event_id, correlation_id } = event;
      return {
        outcome: failed ? 'failed' : 'ok',
        offset: message.offset,
        event: { event_id, correlation_id, uuid: event.portfolio.uuid },
        message: { key: event.portfolio.uuid, value, headers: { correlation_id } },
      };
    } catch (error) {
      const code = isDriveDepositsError(error) ? error.code : 'DD_INTERNAL';
      metrics.eventsFailed.inc({ topic, code });
      // Only a message that cannot be read (or its result not written) is set aside; retriable
      // failures and defects abort the batch, which is fetched again.
      if (classify(error) !== 'reject') throw error;
      logger.warn({ err: error, topic, partition, offset: message.offset, code }, 'dead-lettering a message');
      await deadLetter(txn, { topic: topics.deadLetter, group }, { topic, partition, message }, error);
      return { outcome: 'dead_lettered', code };
    }
  }

  return async function eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) {
    const { topic, partition } = batch;
    const producer = await producers.get(topic, partition);
    const txn = await producer.transaction();
    const outcomes: Outcome[] = [];
    let last: string | undefined;
    try {
      for (const message of batch.messages) {
        // On shutdown or a seek, commit what is done; the rest is fetched again by the next owner.
        if (!isRunning() || isStale()) break;
        outcomes.push(await handle(txn, topic, partition, message));
        last = message.offset;
        await heartbeat();
      }
      if (last === undefined) {
        await txn.abort();
        return;
      }
      const calculated = outcomes.flatMap((done) => (done.outcome === 'dead_lettered' ? [] : [done.message]));
      for (const messages of chunksOf(calculated, SEND_BYTES)) {
        await txn.send({ topic: topics.portfolioCalculated, messages });
      }
      const next = (BigInt(last) + 1n).toString();
      await txn.sendOffsets({
        consumerGroupId: group,
        topics: [{ topic, partitions: [{ partition, offset: next }] }],
      });
      await txn.commit();
    } catch (error) {
      const aborted = await txn.abort().then(
        () => true,
        () => false,
      );
      if (isFenced(error) || !aborted) {
        logger.warn(
          { err: error, topic, partition },
          'transactional producer fenced or unusable; replacing it',
        );
        await producers.drop(topic, partition);
      }
      throw retriable(error, topic, partition);
    }
    resolveOffset(last);
    // Counted once committed: an aborted attempt is counted in eventsFailed only.
    for (const done of outcomes) {
      metrics.eventsProcessed.inc({ topic, outcome: done.outcome });
      if (done.outcome === 'dead_lettered') metrics.deadLettered.inc({ topic, code: done.code });
      else
        withCorrelationId(logger, done.event.correlation_id).info(
          {
            topic,
            partition,
            offset: done.offset,
            portfolio_uuid: done.event.uuid,
            event_id: done.event.event_id,
            outcome: done.outcome,
          },
          'PortfolioCalculated committed',
        );
    }
  };
}
