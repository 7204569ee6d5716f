// Writes PortfolioSubmitted durably or says it could not: an idempotent producer (acks = all ISR)
// with a bound on how long a caller waits. A send that fails or times out is a retriable
// DD_DEPENDENCY_UNAVAILABLE (HTTP 503 + Retry-After), never an acceptance.
//
// Group commit: kafkajs lets an idempotent producer have one request in flight, so one message per
// send() made every concurrent caller wait for the others' round trips in turn. Events are instead
// gathered while the previous send is in flight (and for `lingerMs` when idle) and sent together,
// bounded by count and bytes; each caller resolves once the send holding its own event was
// acknowledged, and a failed send fails exactly its callers. Order is arrival order, one send at a
// time, so events of one key (an Idempotency-Key's retries come one after another) keep their order.
import { DriveDepositsError, type PortfolioDeleted, type PortfolioSubmitted } from '@drive-deposits/core';
import type { EventCodec } from '@drive-deposits/kafka';
import { createGroupCommit, NotWrittenError } from '@drive-deposits/runtime';
import type { Logger } from '@drive-deposits/logging';
import type { Message, Producer } from 'kafkajs';

export interface EventPublisher {
  /** resolves once every in-sync replica has the event */
  publish(event: PortfolioSubmitted | PortfolioDeleted): Promise<void>;
  /** how long `publish` may take before it gives up; also when a pending idempotency key goes stale */
  readonly timeoutMs: number;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

export interface EventPublisherOptions {
  /** a new idempotent producer (see service.ts); called again after a failed send */
  newProducer: () => Producer;
  codec: EventCodec;
  topic: string;
  timeoutMs: number;
  logger: Logger;
  /** group commit bounds; defaults {@link DEFAULT_BATCHING} */
  batching?: Partial<PublishBatching>;
}

interface PublishBatching {
  /** how long an event arriving at an idle producer waits for others */
  lingerMs: number;
  maxCount: number;
  /** well under the broker's default 1 MiB message.max.bytes per partition's record batch */
  maxBytes: number;
}

export const DEFAULT_PUBLISH_TIMEOUT_MS = 10_000;
const DEFAULT_BATCHING: PublishBatching = { lingerMs: 2, maxCount: 500, maxBytes: 512 * 1024 };

export function createEventPublisher(options: EventPublisherOptions): EventPublisher {
  const { codec, topic, timeoutMs, logger } = options;
  // A connected producer, made on first use and again after a failure (see `replace`).
  interface Current {
    instance: Producer;
    connected: Promise<Producer>;
  }
  let producer: Current | undefined;
  const current = (): Current => {
    if (producer !== undefined) return producer;
    const instance = options.newProducer();
    const entry: Current = { instance, connected: instance.connect().then(() => instance) };
    entry.connected.catch(() => replace(entry)); // the next publish tries a new producer
    producer = entry;
    return entry;
  };

  // kafkajs numbers an idempotent producer's batches and only advances the number on success. After
  // a failed send that the broker may in fact have written, the next batch would reuse its number
  // and be acknowledged as a duplicate without being written; a new producer (new producer id)
  // starts a fresh sequence, so a failure can never swallow a later event.
  function replace(failed: Current): void {
    if (producer !== failed) return;
    producer = undefined;
    failed.instance
      .disconnect()
      .catch((error: unknown) => logger.warn({ err: error }, 'closing a failed producer'));
  }

  const unavailable = (error: unknown) =>
    new DriveDepositsError(
      'DD_DEPENDENCY_UNAVAILABLE',
      `Kafka did not accept the event: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error, retryAfterSeconds: Math.ceil(timeoutMs / 1000) },
    );

  /** One send of a batch, bounded by its earliest caller's deadline. */
  async function write(messages: Message[], { deadline }: { deadline: number }): Promise<void> {
    const used = current();
    let timer: NodeJS.Timeout | undefined;
    const waitMs = Math.max(0, deadline - Date.now());
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no acknowledgement within ${timeoutMs} ms`)), waitMs);
    });
    const send = async () => {
      const instance = await used.connected;
      await instance.send({ topic, acks: -1, timeout: timeoutMs, messages });
    };
    try {
      await Promise.race([send(), timeout]);
    } catch (error) {
      replace(used);
      logger.warn(
        { err: error, events: messages.length },
        'a batch of PortfolioSubmitted was not acknowledged',
      );
      throw unavailable(error);
    } finally {
      clearTimeout(timer);
    }
  }

  const batches = createGroupCommit<Message>({
    ...DEFAULT_BATCHING,
    ...options.batching,
    write,
    sizeOf: (message) => (message.value as Buffer).length + 100, // key, headers, record overhead
  });

  async function publish(event: PortfolioSubmitted | PortfolioDeleted): Promise<void> {
    const value = codec.encode(topic, event);
    const key = 'portfolio' in event ? event.portfolio.uuid : event.portfolio_uuid;
    const message = { key, value, headers: { correlation_id: event.correlation_id } };
    try {
      await batches.add(message, timeoutMs);
    } catch (error) {
      // A batch's error is already the 503; an event withdrawn unsent becomes one here.
      if (error instanceof NotWrittenError) throw unavailable(error);
      throw error;
    }
  }

  return {
    publish,
    timeoutMs,
    async connect() {
      await current().connected;
    },
    async disconnect() {
      await batches.drain();
      const last = producer;
      producer = undefined;
      await last?.instance.disconnect();
    },
  };
}
