// Builds the calculator from its configuration: the health/metrics server first (not ready while
// starting), then topics and schemas, then the consumer group with its per-partition transactional
// producers and the lag sampler. Each setup step is retried while it fails transiently, until
// STARTUP_TIMEOUT_MS. `stop` ends consumption (the in-flight batch commits or aborts), then
// releases the rest.
import {
  createHttpApp,
  finishHttpApp,
  startHttpServer,
  startingHttpApp,
  type HttpServer,
} from '@drive-deposits/http';
import {
  createConsumer,
  createEventCodec,
  createEventRegistry,
  createKafka,
  ensureTopics,
  kafkaReadiness,
  kafkaStep,
  onPermanentCrash,
  startLagSampler,
  topicNames,
  type LagSampler,
} from '@drive-deposits/kafka';
import type { Logger } from '@drive-deposits/logging';
import {
  createMetrics,
  createStartup,
  serviceHandle,
  type Service,
  type ServiceControl,
} from '@drive-deposits/runtime';
import type { Admin, Consumer } from 'kafkajs';
import type { CalculatorConfig } from './config';
import { CALCULATOR_FETCH, CALCULATOR_PARTITIONS_CONCURRENTLY, createBatchHandler } from './consumer';
import { createPartitionProducers, type PartitionProducers } from './producers';

export type CalculatorService = Service;

export function createCalculatorService(config: CalculatorConfig, logger: Logger): CalculatorService {
  const metrics = createMetrics({ service: 'calculator' });
  let http: HttpServer | undefined;
  let admin: Admin | undefined;
  let consumer: Consumer | undefined;
  let producers: PartitionProducers | undefined;
  let lag: LagSampler | undefined;
  let cancelStart: (() => void) | undefined;

  async function start(control?: ServiceControl): Promise<void> {
    const startup = createStartup({ logger, timeoutMs: config.service.startupTimeoutMs });
    cancelStart = startup.cancel;
    http = await startHttpServer(
      startingHttpApp({ logger, metrics, startup: startup.check }),
      config.service.port,
    );
    const topics = topicNames(config.kafka.topicPrefix);
    const kafka = createKafka(config.kafka, logger);
    await startup.step('creating topics', () =>
      ensureTopics(kafka, [topics.portfolioSubmitted, topics.portfolioCalculated, topics.deadLetter], {
        partitions: config.kafka.topicPartitions,
        replicationFactor: config.kafka.replicationFactor,
      }),
    );
    const registry = createEventRegistry(config.registry, config.kafka.clientId);
    const codec = createEventCodec(registry, { topics });
    await startup.step('registering event schemas', () => codec.init());

    const kafkaAdmin = kafka.admin();
    admin = kafkaAdmin;
    await startup.step('connecting to Kafka', () => kafkaStep('connecting', kafkaAdmin.connect()));
    const group = config.consumer.consumerGroup;
    producers = createPartitionProducers(kafka, group, logger);
    const groupConsumer = createConsumer(kafka, group, config.consumer.sessionTimeoutMs, CALCULATOR_FETCH);
    consumer = groupConsumer;
    onPermanentCrash(groupConsumer, (error) => control?.fail(error));
    await startup.step('subscribing the consumer', () =>
      kafkaStep(
        'subscribing the consumer',
        groupConsumer
          .connect()
          .then(() => groupConsumer.subscribe({ topics: [topics.portfolioSubmitted], fromBeginning: true })),
      ),
    );
    await groupConsumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: CALCULATOR_PARTITIONS_CONCURRENTLY,
      eachBatch: createBatchHandler({
        consumer: groupConsumer,
        producers,
        codec,
        topics,
        group,
        metrics,
        logger,
      }),
    });
    lag = startLagSampler({
      admin: kafkaAdmin,
      groupId: group,
      topics: [topics.portfolioSubmitted],
      gauge: metrics.consumerLag,
      logger,
    });

    http.serve(
      finishHttpApp(
        createHttpApp({
          logger,
          metrics,
          readiness: { kafka: kafkaReadiness(kafkaAdmin), registry: registry.ping },
        }),
      ),
    );
    startup.done();
    logger.info({ port: http.port, group }, 'calculator consuming');
  }

  async function stop(): Promise<void> {
    cancelStart?.();
    lag?.stop();
    // kafkajs lets the in-flight batch finish (it commits what it did, see consumer.ts) before leaving the group.
    await consumer
      ?.disconnect()
      .catch((error: unknown) => logger.warn({ err: error }, 'consumer disconnect'));
    await producers?.disconnectAll();
    await admin?.disconnect().catch(() => undefined);
    await http?.close(1000);
  }

  return serviceHandle({ start, stop, metrics, port: () => http?.port });
}
