// The command API: topics and schemas, MongoDB (idempotency keys, the first status document), the
// idempotent producer and the result listener (for callers that wait), then the API on its port.
import { authenticate, defineService } from '@drive-deposits/http';
import { createProducer, kafkaStep, setUpKafkaSide } from '@drive-deposits/kafka';
import type { Logger } from '@drive-deposits/logging';
import { connectMongo } from '@drive-deposits/mongo';
import type { Service } from '@drive-deposits/runtime';
import { createCommandApi } from './app';
import type { CommandApiConfig } from './config';
import { createIdempotencyStore } from './idempotency';
import { createEventPublisher, DEFAULT_PUBLISH_TIMEOUT_MS } from './publisher';
import {
  acceptedInReadModel,
  calculatedFromReadModel,
  deletedInReadModel,
  portfolioFromReadModel,
} from './read-model';
import { createResultListener } from './result-listener';

export interface CommandApiServiceOptions {
  /** how long a publish may take before the request answers 503 (tests shorten it) */
  publishTimeoutMs?: number;
}

export const createCommandApiService = (
  config: CommandApiConfig,
  logger: Logger,
  { publishTimeoutMs = DEFAULT_PUBLISH_TIMEOUT_MS }: CommandApiServiceOptions = {},
): Service =>
  defineService({
    name: 'command-api',
    settings: config.service,
    logger,
    async start({ step, defer, metrics }) {
      // First: unusable authentication settings stop the start at once (DD_CONFIG_INVALID).
      const auth = authenticate(config.auth);
      const { kafka, topics, codec, readiness } = await setUpKafkaSide({ step, defer }, config, logger, {
        topics: (t) => [t.portfolioSubmitted, t.portfolioCalculated, t.portfolioDeleted],
        registerSchemas: true,
      });
      const mongo = await step('connecting to MongoDB', () =>
        connectMongo(config.mongo, logger, { appName: config.kafka.clientId }),
      );
      defer(() => mongo.close());
      const idempotency = createIdempotencyStore(mongo.db, {
        ttlSeconds: config.commands.idempotencyTtlSeconds,
        staleAfterMs: publishTimeoutMs,
        logger,
      });
      const expiry = await step('creating idempotency indexes', () => idempotency.ensureIndexes());
      defer(() => expiry.stop());

      const publisherOf = (topic: string) =>
        createEventPublisher({
          // Bounded retries (kafkajs' idempotent default is unbounded): a dead broker ends in a 503.
          newProducer: () =>
            createProducer(kafka, {
              idempotent: true,
              maxInFlightRequests: 1,
              retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 2000 },
            }),
          codec,
          topic,
          timeoutMs: publishTimeoutMs,
          logger,
        });
      const publisher = publisherOf(topics.portfolioSubmitted);
      defer(() => publisher.disconnect());
      // Deletions are rare: their producer connects on the first DELETE.
      const deletions = publisherOf(topics.portfolioDeleted);
      defer(() => deletions.disconnect());
      await step('connecting the producer', () => kafkaStep('connecting the producer', publisher.connect()));
      const results = createResultListener({ kafka, codec, topic: topics.portfolioCalculated, logger });
      defer(() => results.stop());
      await step('starting the result listener', () =>
        kafkaStep('starting the result listener', results.start()),
      );

      return createCommandApi({
        logger,
        metrics,
        readiness: { ...readiness, mongo: mongo.ping },
        publisher,
        idempotency,
        results,
        calculated: calculatedFromReadModel(mongo.db),
        recordAccepted: acceptedInReadModel(mongo.db),
        portfolio: portfolioFromReadModel(mongo.db),
        deletions,
        recordDeleted: deletedInReadModel(mongo.db),
        syncWaitMaxSeconds: config.commands.syncWaitMaxSeconds,
        authenticate: auth,
      });
    },
  });
