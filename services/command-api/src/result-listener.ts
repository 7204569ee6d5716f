// Waiting for a result (docs/architecture.md "Waiting for a result"): one consumer of
// portfolio-calculated per instance, in its own throw-away group (so every instance sees every
// partition), read_committed, starting at the end and never committing. It resolves in-memory
// waiters by portfolio uuid; only events someone waits for are decoded.
import { randomUUID } from 'node:crypto';
import type { PortfolioResponse } from '@drive-deposits/core';
import type { EventCodec } from '@drive-deposits/kafka';
import type { Logger } from '@drive-deposits/logging';
import type { Consumer, Kafka } from 'kafkajs';

interface Waiter {
  /** the response, or undefined when the time ran out or the waiter was cancelled */
  readonly result: Promise<PortfolioResponse | undefined>;
  /** resolves the waiter early (e.g. from the read model) */
  resolve(response: PortfolioResponse): void;
  cancel(): void;
}

export interface ResultListener {
  /** register before publishing, so a fast result cannot slip past */
  register(portfolioUuid: string, timeoutMs: number): Waiter;
  /** resolves once the consumer is positioned at the end of every partition it was given */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ResultListenerOptions {
  kafka: Kafka;
  codec: EventCodec;
  topic: string;
  logger: Logger;
}

export function createResultListener(options: ResultListenerOptions): ResultListener {
  const { kafka, codec, topic, logger } = options;
  const waiters = new Map<string, Set<(response: PortfolioResponse | undefined) => void>>();
  let consumer: Consumer | undefined;

  function register(portfolioUuid: string, timeoutMs: number): Waiter {
    let settle: (response: PortfolioResponse | undefined) => void = () => undefined;
    const result = new Promise<PortfolioResponse | undefined>((resolve) => {
      const timer = setTimeout(() => settle(undefined), timeoutMs);
      settle = (response) => {
        clearTimeout(timer);
        const set = waiters.get(portfolioUuid);
        set?.delete(settle);
        if (set?.size === 0) waiters.delete(portfolioUuid);
        resolve(response);
      };
    });
    const set = waiters.get(portfolioUuid) ?? new Set();
    set.add(settle);
    waiters.set(portfolioUuid, set);
    return { result, resolve: (response) => settle(response), cancel: () => settle(undefined) };
  }

  async function start(): Promise<void> {
    const groupId = `command-api-results-${randomUUID()}`;
    const created = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 500 });
    consumer = created;
    // Offsets of a new group are resolved ("latest") just before its first fetch, so the first
    // completed fetch after joining means: positioned, anything written from now on will be seen.
    const positioned = new Promise<void>((resolve, reject) => {
      let joined = false;
      created.on(created.events.GROUP_JOIN, () => (joined = true));
      created.on(created.events.FETCH, () => joined && resolve());
      created.on(created.events.CRASH, ({ payload }) => {
        if (!payload.restart) reject(payload.error);
      });
    });
    await created.connect();
    await created.subscribe({ topics: [topic], fromBeginning: false });
    await created.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        const key = message.key?.toString();
        if (key === undefined || !waiters.has(key) || message.value === null) return;
        try {
          const calculated = await codec.decode(message.value, 'PortfolioCalculated');
          for (const settle of [...(waiters.get(key) ?? [])]) settle(calculated.portfolio);
        } catch (error) {
          // A waiter then times out into a 202; the calculator and projector own this event.
          logger.warn({ err: error, portfolio_uuid: key }, 'result listener could not decode a result');
        }
      },
    });
    await positioned;
    logger.info({ group_id: groupId, topic }, 'result listener positioned at the end of the results');
  }

  return {
    register,
    start,
    async stop() {
      for (const set of waiters.values()) for (const settle of [...set]) settle(undefined);
      await consumer?.disconnect();
    },
  };
}
