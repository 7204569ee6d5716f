// Wiring: config (fail fast) → Kafka, registry, MongoDB → projector + health/metrics HTTP → run
// until SIGTERM.
import { createHttpApp, finishHttpApp, startHttpServer, type HttpServer } from '@drive-deposits/http';
import {
  createEventCodec,
  createEventRegistry,
  createKafka,
  ensureTopics,
  kafkaReadiness,
  startLagSampler,
  topicNames,
  type LagSampler,
} from '@drive-deposits/kafka';
import { createLogger } from '@drive-deposits/logging';
import { connectMongo, type MongoConnection } from '@drive-deposits/mongo';
import { createReadModelIndexes, readModelCollections, readVersions } from '@drive-deposits/read-model';
import { createMetrics, loadOrExit, runService } from '@drive-deposits/runtime';
import type { Admin } from 'kafkajs';
import { loadProjectorConfig } from './config';
import { createProjector, type Projector } from './projector';

const NAME = 'projector';
const config = loadOrExit(NAME, () => loadProjectorConfig());
const logger = createLogger({ service: NAME, level: config.service.logLevel });
const metrics = createMetrics({ service: NAME });

let mongo: MongoConnection | undefined;
let admin: Admin | undefined;
let projector: Projector | undefined;
let http: HttpServer | undefined;
let lag: LagSampler | undefined;

void runService({
  name: NAME,
  logger,
  shutdownTimeoutMs: config.service.shutdownTimeoutMs,
  async start() {
    const topics = topicNames(config.kafka.topicPrefix);
    const kafka = createKafka(config.kafka, logger);
    const registry = createEventRegistry(config.registry, config.kafka.clientId);
    mongo = await connectMongo(config.mongo, logger, { appName: NAME });
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
    const codec = createEventCodec(registry, { topics });
    projector = createProjector({
      kafka,
      codec,
      db: mongo.db,
      topics,
      groupId: config.consumer.consumerGroup,
      logger,
      metrics,
    });
    await projector.start();
    lag = startLagSampler({
      admin,
      groupId: config.consumer.consumerGroup,
      topics: all,
      gauge: metrics.consumerLag,
      logger,
    });
  },
  async stop() {
    lag?.stop();
    await projector?.stop();
    await http?.close(config.service.shutdownTimeoutMs / 2);
    await admin?.disconnect();
    await mongo?.close();
  },
});
