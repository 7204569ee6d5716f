// Builds the calculator from its configuration: topics and schemas first, then the consumer group
// with its per-partition transactional producers, the lag sampler and the health/metrics server.
// `stop` ends consumption (the in-flight batch commits or aborts), then releases the rest.
import { createHttpApp, finishHttpApp, startHttpServer, type HttpServer } from '@drive-deposits/http';
import {
  createConsumer,
  createEventCodec,
  createEventRegistry,
  createKafka,
  ensureTopics,
  kafkaReadiness,
  onPermanentCrash,
  startLagSampler,
  topicNames,
  type LagSampler,
} from '@drive-deposits/kafka';
import type { Logger } from '@drive-deposits/logging';
import { createMetrics, serviceHandle, type Service, type ServiceControl } from '@drive-deposits/runtime';
import type { Admin, Consumer } from 'kafkajs';
import type { CalculatorConfig } from './config';
import { createBatchHandler } from './consumer';
import { createPartitionProducers, type PartitionProducers } from './producers';

export type CalculatorService = Service;

export function createCalculatorService(config: CalculatorConfig, logger: Logger): CalculatorService {
  const metrics = createMetrics({ service: 'calculator' });
  let http: HttpServer | undefined;
  let admin: Admin | undefined;
  let consumer: Consumer | undefined;
  let producers: PartitionProducers | undefined;
  let lag: LagSampler | undefined;

  async function start(control?: ServiceControl): Promise<void> {
    const topics = topicNames(config.kafka.topicPrefix);
    const kafka = createKafka(config.kafka, logger);
    await ensureTopics(kafka, [topics.portfolioSubmitted, topics.portfolioCalculated, topics.deadLetter], {
      partitions: config.kafka.topicPartitions,
      replicationFactor: config.kafka.replicationFactor,
    });
    const registry = createEventRegistry(config.registry, config.kafka.clientId);
    const codec = createEventCodec(registry, { topics });
    await codec.init();

    admin = kafka.admin();
    await admin.connect();
    const group = config.consumerGroup;
    producers = createPartitionProducers(kafka, group, logger);
    consumer = createConsumer(kafka, group, config.sessionTimeoutMs, { maxWaitTimeInMs: 1000 });
    onPermanentCrash(consumer, (error) => control?.fail(error));
    await consumer.connect();
    await consumer.subscribe({ topics: [topics.portfolioSubmitted], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 2,
      eachBatch: createBatchHandler({ consumer, producers, codec, topics, group, metrics, logger }),
    });
    lag = startLagSampler({
      admin,
      groupId: group,
      topics: [topics.portfolioSubmitted],
      gauge: metrics.consumerLag,
      logger,
    });

    const app = createHttpApp({
      logger,
      metrics,
      readiness: { kafka: kafkaReadiness(admin), registry: registry.ping },
    });
    http = await startHttpServer(finishHttpApp(app), config.port);
    logger.info({ port: http.port, group }, 'calculator consuming');
  }

  async function stop(): Promise<void> {
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
