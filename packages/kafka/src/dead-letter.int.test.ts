// Dead-lettering and lag sampling against a real broker: headers survive the round trip as the
// operators' tools will read them, and lag follows the group's committed offsets.
import { createLogger } from '@drive-deposits/logging';
import { kafkaBrokers, uniqueName } from '@drive-deposits/testing';
import { DriveDepositsError } from '@drive-deposits/core';
import type { EachMessagePayload } from 'kafkajs';
import { createKafka, createProducer } from './client';
import { deadLetter } from './dead-letter';
import { sampleLag } from './lag';
import { ensureTopics, topicNames } from './topics';

const logger = createLogger({ service: 'kafka-int-test', level: 'warn' });
const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'kafka-int-test', ssl: false }, logger);

async function firstMessage(topic: string): Promise<EachMessagePayload> {
  const consumer = kafka.consumer({ groupId: uniqueName('reader') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    return await new Promise<EachMessagePayload>((resolve) => {
      void consumer.run({ eachMessage: async (payload) => resolve(payload) });
    });
  } finally {
    await consumer.disconnect();
  }
}

test('a dead-lettered message keeps its key, bytes and headers, plus the reason', async () => {
  const topics = topicNames(`${uniqueName('dl')}.`);
  await ensureTopics(kafka, [topics.portfolioSubmitted, topics.deadLetter], {
    partitions: 2,
    replicationFactor: 1,
  });
  const producer = createProducer(kafka);
  await producer.connect();
  try {
    const value = Buffer.from([0, 0, 0, 0, 7, 1, 2, 3]);
    await producer.send({
      topic: topics.portfolioSubmitted,
      messages: [{ key: 'portfolio-1', value, headers: { traceparent: 'abc' } }],
    });
    const failed = await firstMessage(topics.portfolioSubmitted);
    const error = new DriveDepositsError('DD_EVENT_UNDECODABLE', 'Unknown schema id 7');
    await deadLetter(
      producer,
      { topic: topics.deadLetter, group: 'drive-deposits-calculator' },
      failed,
      error,
    );

    const parked = await firstMessage(topics.deadLetter);
    expect(parked.message.key?.toString()).toBe('portfolio-1');
    expect(parked.message.value).toEqual(value);
    const headers = Object.fromEntries(
      Object.entries(parked.message.headers ?? {}).map(([name, header]) => [name, String(header)]),
    );
    expect(headers).toEqual({
      traceparent: 'abc',
      'dd-error-code': 'DD_EVENT_UNDECODABLE',
      'dd-error-message': 'Unknown schema id 7',
      'dd-original-topic': topics.portfolioSubmitted,
      'dd-original-partition': String(failed.partition),
      'dd-original-offset': failed.message.offset,
      'dd-consumer-group': 'drive-deposits-calculator',
      'dd-failed-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  } finally {
    await producer.disconnect();
  }
});

// admin.setOffsets alone takes about 5 s against a KRaft broker.
test('lag counts the messages a group has not committed', async () => {
  const topic = `${uniqueName('lag')}.portfolio-submitted`;
  await ensureTopics(kafka, [topic], { partitions: 1, replicationFactor: 1 });
  const producer = createProducer(kafka);
  const admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  try {
    await producer.send({ topic, messages: [1, 2, 3].map((n) => ({ key: 'k', value: String(n) })) });
    const groupId = uniqueName('lag-group');
    const set = jest.fn();
    await sampleLag({ admin, groupId, topics: [topic], gauge: { set }, logger });
    expect(set).toHaveBeenLastCalledWith({ topic, partition: '0' }, 3);
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '2' }] });
    await sampleLag({ admin, groupId, topics: [topic], gauge: { set }, logger });
    expect(set).toHaveBeenLastCalledWith({ topic, partition: '0' }, 1);
  } finally {
    await Promise.all([producer.disconnect(), admin.disconnect()]);
  }
}, 30_000);
