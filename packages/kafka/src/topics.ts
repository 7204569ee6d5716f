// Topic names (docs/architecture.md "Kafka") and their explicit creation: the brokers do not
// auto-create topics, so every service makes sure the topics it uses exist before it starts.
import { DriveDepositsError, type FieldError } from '@drive-deposits/core';
import type { Kafka } from 'kafkajs';
import { toKafkaError } from './errors';

export interface TopicNames {
  portfolioSubmitted: string;
  portfolioCalculated: string;
  /** PortfolioDeleted: written by the command API, read by the projector (issue 15) */
  portfolioDeleted: string;
  deadLetter: string;
}

export const topicNames = (prefix: string): TopicNames => ({
  portfolioSubmitted: `${prefix}portfolio-submitted`,
  portfolioCalculated: `${prefix}portfolio-calculated`,
  portfolioDeleted: `${prefix}portfolio-deleted`,
  deadLetter: `${prefix}dead-letter`,
});

export interface TopicSettings {
  partitions: number;
  replicationFactor: number;
}

/**
 * Creates the missing topics and checks that every topic has the configured partition count (a
 * different count would silently change which partition a portfolio's events go to). Safe to run
 * from several services at once. Returns the topics it created. A broker that is unavailable (or
 * still electing leaders for topics another service just created) is a retriable
 * DD_DEPENDENCY_UNAVAILABLE; a differing partition count is DD_CONFIG_INVALID.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: readonly string[],
  settings: TopicSettings,
): Promise<string[]> {
  try {
    return await createAndCheck(kafka, topics, settings);
  } catch (error) {
    throw toKafkaError(error, `creating topics ${topics.join(', ')}`);
  }
}

async function createAndCheck(
  kafka: Kafka,
  topics: readonly string[],
  { partitions, replicationFactor }: TopicSettings,
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      // false when another instance created them first; either way they exist afterwards.
      await admin.createTopics({
        topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })),
        waitForLeaders: true,
      });
    }
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [...topics] });
    const errors: FieldError[] = metadata
      .filter((topic) => topic.partitions.length !== partitions)
      .map((topic) => ({
        path: topic.name,
        message: `Has ${topic.partitions.length} partitions; the configuration says ${partitions}.`,
      }));
    if (errors.length > 0) {
      throw new DriveDepositsError(
        'DD_CONFIG_INVALID',
        `Topic partition counts differ from KAFKA_TOPIC_PARTITIONS: ${errors.map((e) => e.path).join(', ')}`,
        { errors },
      );
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}
