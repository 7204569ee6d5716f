// Builds the command API's adapters from its configuration and runs it: the HTTP port answers at
// once (not ready, 503 for the API) while topics and schemas, MongoDB, the producer and the result
// listener are set up, each step retried while it fails transiently until STARTUP_TIMEOUT_MS; then
// the API takes over the port. `stop` undoes whatever `start` got to.
import {
  createEventCodec,
  createEventRegistry,
  createKafka,
  createProducer,
  ensureTopics,
  kafkaReadiness,
  kafkaStep,
  topicNames,
} from '@drive-deposits/kafka';
import type { Logger } from '@drive-deposits/logging';
import { connectMongo } from '@drive-deposits/mongo';
import { createMetrics, createStartup, serviceHandle, type Service } from '@drive-deposits/runtime';
import { startHttpServer, startingHttpApp, type HttpServer } from '@drive-deposits/http';
import { createCommandApi } from './app';
import type { CommandApiConfig } from './config';
import { createIdempotencyStore } from './idempotency';
import { createEventPublisher, DEFAULT_PUBLISH_TIMEOUT_MS } from './publisher';
import { acceptedInReadModel, calculatedFromReadModel } from './read-model';
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
  let cancelStart: (() => void) | undefined;

  async function start(): Promise<void> {
    const startup = createStartup({ logger, timeoutMs: config.service.startupTimeoutMs });
    cancelStart = startup.cancel;
    http = await startHttpServer(
      startingHttpApp({ logger, metrics, startup: startup.check }),
      config.service.port,
    );
    const topics = topicNames(config.kafka.topicPrefix);
    const kafka = createKafka(config.kafka, logger);
    await startup.step('creating topics', () =>
      ensureTopics(kafka, [topics.portfolioSubmitted, topics.portfolioCalculated], {
        partitions: config.kafka.topicPartitions,
        replicationFactor: config.kafka.replicationFactor,
      }),
    );
    const registry = createEventRegistry(config.registry, config.kafka.clientId);
    const codec = createEventCodec(registry, { topics });
    await startup.step('registering event schemas', () => codec.init());

    const mongo = await startup.step('connecting to MongoDB', () =>
      connectMongo(config.mongo, logger, { appName: config.kafka.clientId }),
    );
    stops.push(() => mongo.close());
    const idempotency = createIdempotencyStore(mongo.db, {
      ttlSeconds: config.commands.idempotencyTtlSeconds,
      staleAfterMs: publishTimeoutMs,
      logger,
    });
    await startup.step('creating idempotency indexes', () => idempotency.ensureIndexes());
    const purge = setInterval(() => {
      idempotency
        .purgeExpired()
        .catch((error: unknown) => logger.warn({ err: error }, 'purging keys failed'));
    }, options.purgeIntervalMs ?? 600_000);
    purge.unref();
    stops.push(async () => clearInterval(purge));

    const admin = kafka.admin();
    stops.push(() => admin.disconnect());
    await startup.step('connecting to Kafka', () => kafkaStep('connecting', admin.connect()));
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
    stops.push(() => publisher.disconnect());
    await startup.step('connecting the producer', () =>
      kafkaStep('connecting the producer', publisher.connect()),
    );
    const results = createResultListener({ kafka, codec, topic: topics.portfolioCalculated, logger });
    stops.push(() => results.stop());
    await startup.step('starting the result listener', () =>
      kafkaStep('starting the result listener', results.start()),
    );

    const app = createCommandApi({
      logger,
      metrics,
      readiness: { kafka: kafkaReadiness(admin), registry: registry.ping, mongo: mongo.ping },
      publisher,
      idempotency,
      results,
      calculated: calculatedFromReadModel(mongo.db),
      recordAccepted: acceptedInReadModel(mongo.db),
      syncWaitMaxSeconds: config.commands.syncWaitMaxSeconds,
    });
    http.serve(app);
    startup.done();
    logger.info({ port: http.port }, 'command-api listening');
  }

  async function stop(): Promise<void> {
    cancelStart?.();
    // Stop taking requests first (in-flight ones finish), then release in reverse order of start.
    await http?.close(Math.max(100, Math.floor(config.service.shutdownTimeoutMs / 2)));
    for (const release of stops.splice(0).reverse()) {
      await release().catch((error: unknown) => logger.warn({ err: error }, 'releasing a resource failed'));
    }
  }

  return serviceHandle({ start, stop, metrics, port: () => http?.port });
}
