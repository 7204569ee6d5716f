// The calculator: topics and schemas, then the consumer group with its per-partition transactional
// producers, and the lag sampler; its port serves health and metrics. `stop` ends consumption (the
// in-flight batch commits or aborts, see consumer.ts) before the producers go.
import { defineService, healthApp } from '@drive-deposits/http';
import {
  createConsumer,
  kafkaStep,
  onPermanentCrash,
  setUpKafkaSide,
  startLagSampler,
} from '@drive-deposits/kafka';
import type { Logger } from '@drive-deposits/logging';
import type { Service } from '@drive-deposits/runtime';
import type { CalculatorConfig } from './config';
import { CALCULATOR_FETCH, CALCULATOR_PARTITIONS_CONCURRENTLY, createBatchHandler } from './consumer';
import { createPartitionProducers } from './producers';

export const createCalculatorService = (config: CalculatorConfig, logger: Logger): Service =>
  defineService({
    name: 'calculator',
    settings: config.service,
    logger,
    async start({ step, defer, fail, metrics }) {
      const { kafka, topics, codec, admin, readiness } = await setUpKafkaSide(
        { step, defer },
        config,
        logger,
        {
          topics: (t) => [t.portfolioSubmitted, t.portfolioCalculated, t.deadLetter],
          registerSchemas: true,
        },
      );
      const group = config.consumer.consumerGroup;
      const producers = createPartitionProducers(kafka, group, logger);
      defer(() => producers.disconnectAll());
      const consumer = createConsumer(kafka, group, config.consumer.sessionTimeoutMs, CALCULATOR_FETCH);
      // kafkajs lets the in-flight batch finish (it commits what it did) before leaving the group.
      defer(() => consumer.disconnect());
      onPermanentCrash(consumer, fail);
      await step('subscribing the consumer', () =>
        kafkaStep(
          'subscribing the consumer',
          consumer
            .connect()
            .then(() => consumer.subscribe({ topics: [topics.portfolioSubmitted], fromBeginning: true })),
        ),
      );
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: CALCULATOR_PARTITIONS_CONCURRENTLY,
        eachBatch: createBatchHandler({ consumer, producers, codec, topics, group, metrics, logger }),
      });
      const lag = startLagSampler({
        admin,
        groupId: group,
        topics: [topics.portfolioSubmitted],
        gauge: metrics.consumerLag,
        logger,
      });
      defer(() => lag.stop());
      return healthApp({ logger, metrics, readiness });
    },
  });
