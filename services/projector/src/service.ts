// The projector: MongoDB, topics and read-model indexes, then the consumer and the lag sampler; its
// port serves health and metrics. `stop` ends consumption (the in-flight batch is written and
// committed, or left uncommitted) before MongoDB goes.
import { defineService, healthApp } from '@drive-deposits/http';
import { kafkaStep, onPermanentCrash, setUpKafkaSide, startLagSampler } from '@drive-deposits/kafka';
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
      const mongo = await step('connecting to MongoDB', () =>
        connectMongo(config.mongo, logger, { appName: config.kafka.clientId }),
      );
      defer(() => mongo.close());
      // It reads events (and dead-letters what it cannot read); it writes none, so registers no schema.
      const { kafka, topics, codec, admin, readiness } = await setUpKafkaSide(
        { step, defer },
        config,
        logger,
        {
          topics: (t) => [t.portfolioSubmitted, t.portfolioCalculated, t.portfolioDeleted, t.deadLetter],
          registerSchemas: false,
        },
      );
      const consumed = [topics.portfolioSubmitted, topics.portfolioCalculated, topics.portfolioDeleted];
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
        codec,
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
      return healthApp({ logger, metrics, readiness: { ...readiness, mongo: mongo.ping } });
    },
  });
