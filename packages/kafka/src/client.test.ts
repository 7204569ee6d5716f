import { Writable } from 'node:stream';
import { createLogger } from '@drive-deposits/logging';
import { createKafka } from './client';

const connection = { brokers: ['127.0.0.1:1'], clientId: 'svc', ssl: false };

describe('createKafka', () => {
  it('sends kafkajs logs through pino', () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const kafka = createKafka(connection, createLogger({ service: 'svc', destination }));
    kafka.logger().error('Connection error', { broker: '127.0.0.1:1' });
    kafka.logger().debug('dropped at info');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'error',
      service: 'svc',
      component: 'kafkajs',
      msg: 'Connection error',
      broker: '127.0.0.1:1',
    });
    expect(lines[0]).not.toHaveProperty('timestamp');
  });

  it('refuses a SASL mechanism without credentials', () => {
    const logger = createLogger({ service: 'svc', level: 'silent' });
    expect(() => createKafka({ ...connection, saslMechanism: 'plain' }, logger)).toThrow(
      expect.objectContaining({ code: 'DD_CONFIG_INVALID' }),
    );
  });
});
