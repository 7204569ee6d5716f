// `npm run rebuild-read-models`: rebuilds the read models into a new version while the live
// projector and the query API keep running (see rebuild-read-models.ts). Same environment as the
// projector.
import { createEventCodec, createEventRegistry, createKafka, topicNames } from '@drive-deposits/kafka';
import { createLogger } from '@drive-deposits/logging';
import { connectMongo } from '@drive-deposits/mongo';
import { createMetrics, describeFailure, loadOrExit } from '@drive-deposits/runtime';
import { loadProjectorConfig } from './config';
import { rebuildReadModels } from './rebuild-read-models';

const NAME = 'rebuild-read-models';

async function main(): Promise<void> {
  const config = loadOrExit(NAME, () => loadProjectorConfig());
  const logger = createLogger({
    service: NAME,
    level: config.service.logLevel === 'info' ? 'warn' : config.service.logLevel,
  });
  const topics = topicNames(config.kafka.topicPrefix);
  const kafka = createKafka(config.kafka, logger);
  const codec = createEventCodec(createEventRegistry(config.registry, config.kafka.clientId), { topics });
  const mongo = await connectMongo(config.mongo, logger, { appName: NAME });
  try {
    await rebuildReadModels({
      kafka,
      codec,
      db: mongo.db,
      topics,
      liveGroupId: config.consumer.consumerGroup,
      logger,
      metrics: createMetrics({ service: NAME, defaultMetrics: false }),
      progress: (line) => process.stdout.write(`${line}\n`),
    });
  } finally {
    await mongo.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${NAME} failed: ${describeFailure(error)}\n`);
    process.exit(1);
  },
);
