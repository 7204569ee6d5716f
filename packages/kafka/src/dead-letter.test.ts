import { DriveDepositsError } from '@drive-deposits/core';
import type { KafkaMessage, ProducerRecord } from 'kafkajs';
import { deadLetter } from './dead-letter';

const failed = {
  topic: 'p.portfolio-submitted',
  partition: 3,
  message: {
    key: Buffer.from('portfolio-1'),
    value: Buffer.from([0, 0, 0, 0, 1, 9, 9]),
    headers: { traceparent: Buffer.from('00-abc'), empty: undefined },
    offset: '42',
    timestamp: '0',
    attributes: 0,
  } as KafkaMessage,
};

function producer() {
  const sent: ProducerRecord[] = [];
  return { sent, send: async (record: ProducerRecord) => (sent.push(record), []) };
}

describe('deadLetter', () => {
  it('publishes the original key, value and headers with the reason in dd-* headers', async () => {
    const target = producer();
    const error = new DriveDepositsError('DD_EVENT_UNDECODABLE', 'Unknown schema id 1');
    const code = await deadLetter(
      target,
      { topic: 'p.dead-letter', group: 'drive-deposits-calculator' },
      failed,
      error,
      new Date('2024-01-02T03:04:05.678Z'),
    );
    expect(code).toBe('DD_EVENT_UNDECODABLE');
    expect(target.sent).toEqual([
      {
        topic: 'p.dead-letter',
        messages: [
          {
            key: failed.message.key,
            value: failed.message.value,
            headers: {
              traceparent: Buffer.from('00-abc'),
              'dd-error-code': 'DD_EVENT_UNDECODABLE',
              'dd-error-message': 'Unknown schema id 1',
              'dd-original-topic': 'p.portfolio-submitted',
              'dd-original-partition': '3',
              'dd-original-offset': '42',
              'dd-consumer-group': 'drive-deposits-calculator',
              'dd-failed-at': '2024-01-02T03:04:05.678Z',
            },
          },
        ],
      },
    ]);
  });

  it('records other errors as DD_INTERNAL', async () => {
    const target = producer();
    const code = await deadLetter(
      target,
      { topic: 'dl', group: 'g' },
      failed,
      new TypeError('x is undefined'),
    );
    expect(code).toBe('DD_INTERNAL');
    expect(target.sent[0]?.messages[0]?.headers).toMatchObject({
      'dd-error-code': 'DD_INTERNAL',
      'dd-error-message': 'x is undefined',
    });
  });
});
