// The projector: MongoDB, topics and read-model indexes, then the consumer and the lag sampler; its
// port serves health and metrics. `stop` ends consumption (the in-flight batch is written and
// committed, or left uncommitted) before MongoDB goes.
import { createHttpApp, defineService, finishHttpApp } from '@drive-deposits/http';
import {
  createEventCodec,
  createEventRegistry,
  createKafka,
  ensureTopics,
  kafkaReadiness,
  kafkaStep,
  onPermanentCrash,
  startLagSampler,
  topicNames,
} from '@drive-deposits/kafka';
import type { Logger } from '@drive-deposits/logging';
import { connectMongo, toDependencyError } from '@drive-deposits/mongo';
import { createReadModelIndexes, readModelCollections, readVersions } from '@drive-deposits/read-model';
import type { Service } from '@drive-deposits/runtime';
import type { ProjectorConfig } from './config';
import { createProjector } from './projector';

export const createProjectorService = (config: ProjectorConfig, logger: Logger): Service =>
  defineService({
    name: 'projector',
    settings: config.service,
    logger,
    async start({ step, defer, fail, metrics }) {
      const topics = topicNames(config.kafka.topicPrefix);
      const kafka = createKafka(config.kafka, logger);
      const registry = createEventRegistry(config.registry, config.kafka.clientId);
      const mongo = await step('connecting to MongoDB', () =>
        connectMongo(config.mongo, logger, { appName: config.kafka.clientId }),
      );
      defer(() => mongo.close());
      const admin = kafka.admin();
      defer(() => admin.disconnect());
      await step('connecting to Kafka', () => kafkaStep('connecting', admin.connect()));
      const consumed = [topics.portfolioSubmitted, topics.portfolioCalculated, topics.portfolioDeleted];
      // The dead-letter topic too: the projector sets aside what it cannot read.
      await step('creating topics', () =>
        ensureTopics(kafka, [...consumed, topics.deadLetter], {
          partitions: config.kafka.topicPartitions,
          replicationFactor: config.kafka.replicationFactor,
        }),
      );
      await step('creating read-model indexes', async () => {
        try {
          for (const version of (await readVersions(mongo.db)).writing) {
            await createReadModelIndexes(readModelCollections(mongo.db, version));
          }
        } catch (error) {
          throw toDependencyError(error);
        }
      });
      const projector = createProjector({
        kafka,
        codec: createEventCodec(registry, { topics }),
        db: mongo.db,
        topics,
        groupId: config.consumer.consumerGroup,
        sessionTimeoutMs: config.consumer.sessionTimeoutMs,
        logger,
        metrics,
      });
      defer(() => projector.stop());
      onPermanentCrash(projector.consumer, fail);
      await step('starting the consumer', () => kafkaStep('starting the consumer', projector.start()));
      const lag = startLagSampler({
        admin,
        groupId: config.consumer.consumerGroup,
        topics: consumed,
        gauge: metrics.consumerLag,
        logger,
      });
      defer(() => lag.stop());
      return finishHttpApp(
        createHttpApp({
          logger,
          metrics,
          readiness: { kafka: kafkaReadiness(admin), registry: registry.ping, mongo: mongo.ping },
        }),
      );
    },
  });
