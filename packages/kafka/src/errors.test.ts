import { DriveDepositsError } from '@drive-deposits/core';
import {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSSASLAuthenticationError,
} from 'kafkajs';
import { isTransientKafkaError, toKafkaError } from './errors';

// kafkajs' type declarations omit the constructors' options argument.
const make = (Class: unknown, ...args: unknown[]): Error =>
  new (Class as new (...a: unknown[]) => Error)(...args);

const protocol = (type: string, retriable: boolean) =>
  new KafkaJSProtocolError(Object.assign(new Error(type), { type, code: 1, retriable }));

describe('kafkajs errors at start', () => {
  it.each([
    ['a refused connection', new KafkaJSConnectionError('Connection error: ECONNREFUSED'), true],
    [
      "kafkajs' own retries exhausted",
      make(KafkaJSNumberOfRetriesExceeded, new KafkaJSConnectionError('refused'), {
        retryCount: 8,
        retryTime: 1,
      }),
      true,
    ],
    ['a leader election', protocol('LEADER_NOT_AVAILABLE', true), true],
    [
      'a non-retriable wrapper of a connection error',
      make(KafkaJSNonRetriableError, new KafkaJSConnectionError('x'), {
        cause: new KafkaJSConnectionError('x'),
      }),
      true,
    ],
    ['refused credentials', make(KafkaJSSASLAuthenticationError, 'SASL PLAIN authentication failed'), false],
    ['no authorization', protocol('TOPIC_AUTHORIZATION_FAILED', false), false],
    ['an impossible replication factor', protocol('INVALID_REPLICATION_FACTOR', false), false],
    ['not a kafkajs error (a bug)', new TypeError('x is undefined'), false],
  ])('%s → transient: %p', (_label, error, transient) => {
    expect(isTransientKafkaError(error)).toBe(transient);
  });

  it('becomes DD_DEPENDENCY_UNAVAILABLE whose retriable flag says whether to retry; others pass unchanged', () => {
    const mapped = toKafkaError(new KafkaJSConnectionError('ECONNREFUSED'), 'creating topics');
    expect(mapped).toMatchObject({
      code: 'DD_DEPENDENCY_UNAVAILABLE',
      retriable: true,
      message: 'Kafka unavailable while creating topics: ECONNREFUSED',
    });
    expect(toKafkaError(protocol('TOPIC_AUTHORIZATION_FAILED', false), 'x')).toMatchObject({
      retriable: false,
    });
    const coordinator = Object.assign(new Error('Failed to find group coordinator'), {
      name: 'KafkaJSGroupCoordinatorNotFound',
    });
    expect(toKafkaError(coordinator, 'joining')).toMatchObject({
      retriable: true,
      message: expect.stringMatching(/group coordinator \(also what a missing ACL looks like/),
    });
    const refused = Object.assign(new Error('SASL SCRAM SHA512 authentication failed: invalid credentials'), {
      name: 'KafkaJSSASLAuthenticationError',
    });
    expect(toKafkaError(refused, 'creating topics')).toMatchObject({
      retriable: false,
      message:
        'Kafka refused the credentials (KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD) ' +
        'while creating topics: SASL SCRAM SHA512 authentication failed: invalid credentials',
    });
    const own = new DriveDepositsError('DD_CONFIG_INVALID', 'partitions differ');
    expect(toKafkaError(own, 'x')).toBe(own);
    const bug = new TypeError('bug');
    expect(toKafkaError(bug, 'x')).toBe(bug);
  });
});
