import type { Admin } from 'kafkajs';
import { createLogger } from '@drive-deposits/logging';
import { sampleLag, startLagSampler } from './lag';

describe('sampleLag', () => {
  it('sets latest minus committed per partition, or the whole log when nothing is committed', async () => {
    const admin = {
      fetchOffsets: async () => [
        {
          topic: 't',
          partitions: [
            { partition: 0, offset: '7' },
            { partition: 1, offset: '-1' },
          ],
        },
      ],
      fetchTopicOffsets: async () => [
        { partition: 0, offset: '10', high: '10', low: '0' },
        { partition: 1, offset: '5', high: '5', low: '2' },
      ],
    } as unknown as Admin;
    const set = jest.fn();
    const logger = createLogger({ service: 'svc', level: 'silent' });
    await sampleLag({ admin, groupId: 'g', topics: ['t'], gauge: { set }, logger });
    expect(set.mock.calls).toEqual([
      [{ topic: 't', partition: '0' }, 3],
      [{ topic: 't', partition: '1' }, 3],
    ]);
  });
});

describe('startLagSampler', () => {
  it('samples at once, not only after the first interval', async () => {
    const admin = {
      fetchOffsets: async () => [{ topic: 't', partitions: [{ partition: 0, offset: '4' }] }],
      fetchTopicOffsets: async () => [{ partition: 0, offset: '6', high: '6', low: '0' }],
    } as unknown as Admin;
    const set = jest.fn();
    const logger = createLogger({ service: 'svc', level: 'silent' });
    const sampler = startLagSampler({
      admin,
      groupId: 'g',
      topics: ['t'],
      gauge: { set },
      logger,
      intervalMs: 60_000,
    });
    try {
      await new Promise((resolve) => setImmediate(resolve));
      expect(set).toHaveBeenCalledWith({ topic: 't', partition: '0' }, 2);
    } finally {
      sampler.stop();
    }
  });
});
