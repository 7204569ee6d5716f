// Topic creation against a real broker (auto-creation is off in the test servers as in production).
import { createLogger } from '@drive-deposits/logging';
import { kafkaBrokers, uniqueName } from '@drive-deposits/testing';
import { createKafka } from './client';
import { ensureTopics, topicNames } from './topics';

const logger = createLogger({ service: 'kafka-int-test', level: 'warn' });
const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'kafka-int-test', ssl: false }, logger);

describe('ensureTopics', () => {
  it('creates missing topics with the configured partitions, and is idempotent', async () => {
    const names = Object.values(topicNames(`${uniqueName('topics')}.`));
    const settings = { partitions: 3, replicationFactor: 1 };
    expect(await ensureTopics(kafka, names, settings)).toEqual(names);
    expect(await ensureTopics(kafka, names, settings)).toEqual([]);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      expect(topics.map((t) => t.partitions.length)).toEqual(names.map(() => 3));
    } finally {
      await admin.disconnect();
    }
  });

  it('tolerates several instances creating the same topics at once', async () => {
    const names = Object.values(topicNames(`${uniqueName('race')}.`));
    const settings = { partitions: 2, replicationFactor: 1 };
    const created = await Promise.all([1, 2, 3].map(() => ensureTopics(kafka, names, settings)));
    expect(created.every((list) => list.length <= names.length)).toBe(true);
  });

  it('refuses topics whose partition count differs from the configuration', async () => {
    const names = [`${uniqueName('partitions')}.portfolio-submitted`];
    await ensureTopics(kafka, names, { partitions: 2, replicationFactor: 1 });
    await expect(ensureTopics(kafka, names, { partitions: 4, replicationFactor: 1 })).rejects.toMatchObject({
      code: 'DD_CONFIG_INVALID',
      errors: [{ path: names[0], message: 'Has 2 partitions; the configuration says 4.' }],
    });
  });
});
