// Builds the projector from its configuration: MongoDB, topics and read-model indexes first, then
// the health/metrics server, the consumer and the lag sampler. `stop` ends consumption (the
// in-flight batch is written and committed, or left uncommitted), then releases the rest.
import { createHttpApp, finishHttpApp, startHttpServer, type HttpServer } from '@drive-deposits/http';
import {
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
import { connectMongo, type MongoConnection } from '@drive-deposits/mongo';
import { createReadModelIndexes, readModelCollections, readVersions } from '@drive-deposits/read-model';
import { createMetrics, serviceHandle, type Service, type ServiceControl } from '@drive-deposits/runtime';
import type { Admin } from 'kafkajs';
import type { ProjectorConfig } from './config';
import { createProjector, type Projector } from './projector';

export type ProjectorService = Service;

export function createProjectorService(config: ProjectorConfig, logger: Logger): ProjectorService {
  const metrics = createMetrics({ service: 'projector' });
  let mongo: MongoConnection | undefined;
  let admin: Admin | undefined;
  let projector: Projector | undefined;
  let http: HttpServer | undefined;
  let lag: LagSampler | undefined;

  async function start(control?: ServiceControl): Promise<void> {
    const topics = topicNames(config.kafka.topicPrefix);
    const kafka = createKafka(config.kafka, logger);
    const registry = createEventRegistry(config.registry, config.kafka.clientId);
    mongo = await connectMongo(config.mongo, logger, { appName: config.kafka.clientId });
    admin = kafka.admin();
    await admin.connect();
    const all = [topics.portfolioSubmitted, topics.portfolioCalculated, topics.deadLetter];
    await ensureTopics(kafka, all, {
      partitions: config.kafka.topicPartitions,
      replicationFactor: config.kafka.replicationFactor,
    });
    for (const version of (await readVersions(mongo.db)).writing) {
      await createReadModelIndexes(readModelCollections(mongo.db, version));
    }
    const app = createHttpApp({
      logger,
      metrics,
      readiness: { kafka: kafkaReadiness(admin), registry: registry.ping, mongo: mongo.ping },
    });
    http = await startHttpServer(finishHttpApp(app), config.service.port);
    projector = createProjector({
      kafka,
      codec: createEventCodec(registry, { topics }),
      db: mongo.db,
      topics,
      groupId: config.consumer.consumerGroup,
      sessionTimeoutMs: config.consumer.sessionTimeoutMs,
      logger,
      metrics,
    });
    onPermanentCrash(projector.consumer, (error) => control?.fail(error));
    await projector.start();
    lag = startLagSampler({
      admin,
      groupId: config.consumer.consumerGroup,
      topics: all,
      gauge: metrics.consumerLag,
      logger,
    });
  }

  async function stop(): Promise<void> {
    lag?.stop();
    await projector?.stop();
    await http?.close(config.service.shutdownTimeoutMs / 2);
    await admin?.disconnect();
    await mongo?.close();
  }

  return serviceHandle({ start, stop, metrics, port: () => http?.port });
}
