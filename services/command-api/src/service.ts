// Builds the command API's adapters from its configuration and runs it: topics and schemas first,
// then MongoDB, the producer and the result listener, and the HTTP server last (so /readyz is only
// served once everything it reports on is usable). `stop` undoes whatever `start` got to.
import {
  createEventCodec,
  createEventRegistry,
  createKafka,
  createProducer,
  ensureTopics,
  kafkaReadiness,
  topicNames,
} from '@drive-deposits/kafka';
import type { Logger } from '@drive-deposits/logging';
import { connectMongo } from '@drive-deposits/mongo';
import { createMetrics, serviceHandle, type Service } from '@drive-deposits/runtime';
import { startHttpServer, type HttpServer } from '@drive-deposits/http';
import { createCommandApi } from './app';
import type { CommandApiConfig } from './config';
import { createIdempotencyStore } from './idempotency';
import { createEventPublisher, DEFAULT_PUBLISH_TIMEOUT_MS } from './publisher';
import { calculatedFromReadModel } from './read-model';
import { createResultListener } from './result-listener';

export type CommandApiService = Service;

export interface CommandApiServiceOptions {
  publishTimeoutMs?: number;
  /** how often expired idempotency keys are purged where MongoDB has no TTL index */
  purgeIntervalMs?: number;
}

export function createCommandApiService(
  config: CommandApiConfig,
  logger: Logger,
  options: CommandApiServiceOptions = {},
): CommandApiService {
  const metrics = createMetrics({ service: 'command-api' });
  const publishTimeoutMs = options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
  const stops: Array<() => Promise<void>> = [];
  let http: HttpServer | undefined;

  async function start(): Promise<void> {
    const topics = topicNames(config.kafka.topicPrefix);
    const kafka = createKafka(config.kafka, logger);
    await ensureTopics(kafka, [topics.portfolioSubmitted, topics.portfolioCalculated], {
      partitions: config.kafka.topicPartitions,
      replicationFactor: config.kafka.replicationFactor,
    });
    const registry = createEventRegistry(config.registry, config.kafka.clientId);
    const codec = createEventCodec(registry, { topics });
    await codec.init();

    const mongo = await connectMongo(config.mongo, logger, { appName: config.kafka.clientId });
    stops.push(() => mongo.close());
    const idempotency = createIdempotencyStore(mongo.db, {
      ttlSeconds: config.idempotencyTtlSeconds,
      staleAfterMs: publishTimeoutMs,
      logger,
    });
    await idempotency.ensureIndexes();
    const purge = setInterval(() => {
      idempotency
        .purgeExpired()
        .catch((error: unknown) => logger.warn({ err: error }, 'purging keys failed'));
    }, options.purgeIntervalMs ?? 600_000);
    purge.unref();
    stops.push(async () => clearInterval(purge));

    const admin = kafka.admin();
    await admin.connect();
    stops.push(() => admin.disconnect());
    const publisher = createEventPublisher({
      // Bounded retries (kafkajs' idempotent default is unbounded): a dead broker ends in a 503.
      newProducer: () =>
        createProducer(kafka, {
          idempotent: true,
          maxInFlightRequests: 1,
          retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 2000 },
        }),
      codec,
      topic: topics.portfolioSubmitted,
      timeoutMs: publishTimeoutMs,
      logger,
    });
    await publisher.connect();
    stops.push(() => publisher.disconnect());
    const results = createResultListener({ kafka, codec, topic: topics.portfolioCalculated, logger });
    stops.push(() => results.stop());
    await results.start();

    const app = createCommandApi({
      logger,
      metrics,
      readiness: { kafka: kafkaReadiness(admin), registry: registry.ping, mongo: mongo.ping },
      publisher,
      idempotency,
      results,
      calculated: calculatedFromReadModel(mongo.db),
      syncWaitMaxSeconds: config.syncWaitMaxSeconds,
    });
    http = await startHttpServer(app, config.port);
    logger.info({ port: http.port }, 'command-api listening');
  }

  async function stop(): Promise<void> {
    // Stop taking requests first (in-flight ones finish), then release in reverse order of start.
    await http?.close(Math.max(100, Math.floor(config.shutdownTimeoutMs / 2)));
    for (const release of stops.splice(0).reverse()) {
      await release().catch((error: unknown) => logger.warn({ err: error }, 'releasing a resource failed'));
    }
  }

  return serviceHandle({ start, stop, metrics, port: () => http?.port });
}
