// The Kafka side of a service, set up the same way by every service that speaks Kafka: its topics
// (created explicitly: the brokers never auto-create), the event codec on the registry (this
// build's schemas registered where the service writes events), and an admin connection for
// readiness and lag. Each is a start-up step, retried while it fails transiently; the admin is
// released when the service stops.
import type { Logger } from '@drive-deposits/logging';
import type { Admin, Kafka } from 'kafkajs';
import { createKafka, kafkaReadiness, type KafkaConnectionConfig } from './client';
import { createEventCodec, type EventCodec } from './codec';
import { kafkaStep } from './errors';
import { createEventRegistry, type RegistryConfig } from './registry';
import { ensureTopics, topicNames, type TopicNames } from './topics';

/** The two things a service's start offers (http's ServiceContext). */
export interface StartSteps {
  step<T>(what: string, run: () => Promise<T>): Promise<T>;
  defer(release: () => unknown): void;
}

export interface KafkaSideConfig {
  kafka: KafkaConnectionConfig & { topicPrefix: string; topicPartitions: number; replicationFactor: number };
  registry: RegistryConfig;
}

export interface KafkaSide {
  kafka: Kafka;
  topics: TopicNames;
  codec: EventCodec;
  admin: Admin;
  /** readiness checks of the broker and the registry */
  readiness: { kafka: () => Promise<void>; registry: () => Promise<void> };
}

export interface KafkaSideOptions {
  /** the topics this service creates (what it reads and writes) */
  topics: (names: TopicNames) => string[];
  /** registers this build's schemas before the service writes events (readers decode without) */
  registerSchemas: boolean;
}

export async function setUpKafkaSide(
  { step, defer }: StartSteps,
  config: KafkaSideConfig,
  logger: Logger,
  options: KafkaSideOptions,
): Promise<KafkaSide> {
  const topics = topicNames(config.kafka.topicPrefix);
  const kafka = createKafka(config.kafka, logger);
  await step('creating topics', () =>
    ensureTopics(kafka, options.topics(topics), {
      partitions: config.kafka.topicPartitions,
      replicationFactor: config.kafka.replicationFactor,
    }),
  );
  const registry = createEventRegistry(config.registry, config.kafka.clientId);
  const codec = createEventCodec(registry, { topics });
  if (options.registerSchemas) await step('registering event schemas', () => codec.init());
  const admin = kafka.admin();
  defer(() => admin.disconnect());
  await step('connecting to Kafka', () => kafkaStep('connecting', admin.connect()));
  return {
    kafka,
    topics,
    codec,
    admin,
    readiness: { kafka: kafkaReadiness(admin), registry: registry.ping },
  };
}
