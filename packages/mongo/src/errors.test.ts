import { DriveDepositsError } from '@drive-deposits/core';
import {
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
  type TopologyDescription,
} from 'mongodb';
import { isDuplicateKeyError, toDependencyError } from './errors';

const serverError = (code: number, labels: string[] = []) => {
  const error = new MongoServerError({ code, errmsg: `code ${code}`, errorLabels: labels });
  return error;
};

describe('toDependencyError', () => {
  it.each([
    ['a network error', new MongoNetworkError('connection reset')],
    ['a server selection timeout', new MongoServerSelectionError('timed out', {} as TopologyDescription)],
    ['a primary stepping down', serverError(189)],
    ['a labelled retryable write error', serverError(1, ['RetryableWriteError'])],
  ])('maps %s to retriable DD_DEPENDENCY_UNAVAILABLE', (_name, error) => {
    const mapped = toDependencyError(error);
    expect(mapped).toBeInstanceOf(DriveDepositsError);
    expect(mapped).toMatchObject({ code: 'DD_DEPENDENCY_UNAVAILABLE', retriable: true, cause: error });
  });

  it.each([
    ['a duplicate key', serverError(11000)],
    ['a bad query', serverError(2)],
    ['a programming error', new TypeError('x is undefined')],
  ])('returns %s unchanged', (_name, error) => {
    expect(toDependencyError(error)).toBe(error);
  });
});

describe('isDuplicateKeyError', () => {
  it('recognises code 11000 only', () => {
    expect(isDuplicateKeyError(serverError(11000))).toBe(true);
    expect(isDuplicateKeyError(serverError(2))).toBe(false);
    expect(isDuplicateKeyError(new Error('E11000'))).toBe(false);
  });
});
