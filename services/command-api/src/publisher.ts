// Writes PortfolioSubmitted durably or says it could not: an idempotent producer (acks = all ISR)
// with a bound on how long a caller waits. A send that fails or times out is a retriable
// DD_DEPENDENCY_UNAVAILABLE (HTTP 503 + Retry-After), never an acceptance.
import { DriveDepositsError, type PortfolioSubmitted } from '@drive-deposits/core';
import type { EventCodec } from '@drive-deposits/kafka';
import type { Logger } from '@drive-deposits/logging';
import type { Producer } from 'kafkajs';

export interface EventPublisher {
  /** resolves once every in-sync replica has the event */
  publish(event: PortfolioSubmitted): Promise<void>;
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
}

export const DEFAULT_PUBLISH_TIMEOUT_MS = 10_000;

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

  async function publish(event: PortfolioSubmitted): Promise<void> {
    const value = codec.encode(topic, event);
    const used = current();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no acknowledgement within ${timeoutMs} ms`)), timeoutMs);
    });
    const send = async () => {
      const instance = await used.connected;
      await instance.send({
        topic,
        acks: -1,
        timeout: timeoutMs,
        messages: [{ key: event.portfolio.uuid, value, headers: { correlation_id: event.correlation_id } }],
      });
    };
    try {
      await Promise.race([send(), timeout]);
    } catch (error) {
      replace(used);
      throw new DriveDepositsError(
        'DD_DEPENDENCY_UNAVAILABLE',
        `Kafka did not accept the event: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error, retryAfterSeconds: Math.ceil(timeoutMs / 1000) },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    publish,
    timeoutMs,
    async connect() {
      await current().connected;
    },
    async disconnect() {
      const last = producer;
      producer = undefined;
      await last?.instance.disconnect();
    },
  };
}
