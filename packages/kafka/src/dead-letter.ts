// Events that cannot be decoded or handled are parked, byte for byte, on the dead-letter topic with
// the reason in headers (docs/architecture.md "Kafka"): nothing is dropped silently.
import { isDriveDepositsError, type ErrorCode } from '@drive-deposits/core';
import type { IHeaders, KafkaMessage, Message, Producer } from 'kafkajs';

export const DEAD_LETTER_HEADERS = {
  code: 'dd-error-code',
  message: 'dd-error-message',
  topic: 'dd-original-topic',
  partition: 'dd-original-partition',
  offset: 'dd-original-offset',
  group: 'dd-consumer-group',
  failedAt: 'dd-failed-at',
} as const;

export interface DeadLetterTarget {
  /** the dead-letter topic */
  topic: string;
  /** the consumer group that gave up on the message */
  group: string;
}

/** Where the message came from: the fields of kafkajs' EachMessagePayload. */
export interface FailedMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

const MAX_MESSAGE_LENGTH = 2000;

/** The original headers, minus empty ones (kafkajs types allow `undefined` values). */
function originalHeaders(headers: IHeaders | undefined): IHeaders {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([, value]) => value !== undefined));
}

/**
 * Publishes the failed message to the dead-letter topic with the original key, value and headers
 * plus the `dd-*` headers. `producer` may be a transaction. Returns the error code it recorded.
 */
export async function deadLetter(
  producer: Pick<Producer, 'send'>,
  target: DeadLetterTarget,
  failed: FailedMessage,
  error: unknown,
  now: Date = new Date(),
): Promise<ErrorCode> {
  const code: ErrorCode = isDriveDepositsError(error) ? error.code : 'DD_INTERNAL';
  const text = error instanceof Error ? error.message : String(error);
  const message: Message = {
    key: failed.message.key,
    value: failed.message.value,
    headers: {
      ...originalHeaders(failed.message.headers),
      [DEAD_LETTER_HEADERS.code]: code,
      [DEAD_LETTER_HEADERS.message]: text.slice(0, MAX_MESSAGE_LENGTH),
      [DEAD_LETTER_HEADERS.topic]: failed.topic,
      [DEAD_LETTER_HEADERS.partition]: String(failed.partition),
      [DEAD_LETTER_HEADERS.offset]: failed.message.offset,
      [DEAD_LETTER_HEADERS.group]: target.group,
      [DEAD_LETTER_HEADERS.failedAt]: now.toISOString(),
    },
  };
  await producer.send({ topic: target.topic, messages: [message] });
  return code;
}
