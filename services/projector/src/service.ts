// Builds the projector from its configuration: the health/metrics server first (not ready while
// starting), then MongoDB, topics and read-model indexes, then the consumer and the lag sampler.
// Each setup step is retried while it fails transiently, until STARTUP_TIMEOUT_MS. `stop` ends
// consumption (the in-flight batch is written and committed, or left uncommitted), then releases
// the rest.
import {
  createHttpApp,
  finishHttpApp,
  startHttpServer,
  startingHttpApp,
  type HttpServer,
} from '@drive-deposits/http';
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
  type LagSampler,
} from '@drive-deposits/kafka';
import type { Logger } from '@drive-deposits/logging';
import { connectMongo, toDependencyError, type MongoConnection } from '@drive-deposits/mongo';
import { createReadModelIndexes, readModelCollections, readVersions } from '@drive-deposits/read-model';
import {
  createMetrics,
  createStartup,
  serviceHandle,
  type Service,
  type ServiceControl,
} from '@drive-deposits/runtime';
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
    const registry = createEventRegistry(config.registry, config.kafka.clientId);
    const db = await startup.step('connecting to MongoDB', () =>
      connectMongo(config.mongo, logger, { appName: config.kafka.clientId }),
    );
    mongo = db;
    const kafkaAdmin = kafka.admin();
    admin = kafkaAdmin;
    await startup.step('connecting to Kafka', () => kafkaStep('connecting', kafkaAdmin.connect()));
    const all = [topics.portfolioSubmitted, topics.portfolioCalculated, topics.deadLetter];
    await startup.step('creating topics', () =>
      ensureTopics(kafka, all, {
        partitions: config.kafka.topicPartitions,
        replicationFactor: config.kafka.replicationFactor,
      }),
    );
    await startup.step('creating read-model indexes', async () => {
      try {
        for (const version of (await readVersions(db.db)).writing) {
          await createReadModelIndexes(readModelCollections(db.db, version));
        }
      } catch (error) {
        throw toDependencyError(error);
      }
    });
    projector = createProjector({
      kafka,
      codec: createEventCodec(registry, { topics }),
      db: db.db,
      topics,
      groupId: config.consumer.consumerGroup,
      sessionTimeoutMs: config.consumer.sessionTimeoutMs,
      logger,
      metrics,
    });
    const started = projector;
    onPermanentCrash(started.consumer, (error) => control?.fail(error));
    await startup.step('starting the consumer', () => kafkaStep('starting the consumer', started.start()));
    lag = startLagSampler({
      admin: kafkaAdmin,
      groupId: config.consumer.consumerGroup,
      topics: all,
      gauge: metrics.consumerLag,
      logger,
    });
    http.serve(
      finishHttpApp(
        createHttpApp({
          logger,
          metrics,
          readiness: { kafka: kafkaReadiness(kafkaAdmin), registry: registry.ping, mongo: db.ping },
        }),
      ),
    );
    startup.done();
  }

  async function stop(): Promise<void> {
    cancelStart?.();
    lag?.stop();
    await projector?.stop();
    await http?.close(config.service.shutdownTimeoutMs / 2);
    await admin?.disconnect();
    await mongo?.close();
  }

  return serviceHandle({ start, stop, metrics, port: () => http?.port });
}
