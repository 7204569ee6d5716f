import { Writable } from 'node:stream';
import { DriveDepositsError } from '@drive-deposits/core';
import { createLogger } from '@drive-deposits/logging';
import { createStartup } from './startup';

function setup(timeoutMs: number, initialBackoffMs = 5) {
  const lines: { level: number; msg: string }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
      done();
    },
  });
  const logger = createLogger({ service: 'svc', destination });
  const startup = createStartup({ logger, timeoutMs, initialBackoffMs, maxBackoffMs: 20 });
  return { startup, lines };
}

const busy = () => new DriveDepositsError('DD_DEPENDENCY_UNAVAILABLE', 'registry busy');

describe('createStartup', () => {
  it('retries a retriable failure until the step succeeds, reporting not ready meanwhile', async () => {
    const { startup, lines } = setup(10_000);
    let calls = 0;
    const seen: string[] = [];
    const result = await startup.step('registering schemas', async () => {
      calls++;
      await startup.check().catch((e: Error) => seen.push(e.message));
      if (calls < 3) throw busy();
      return 'id 7';
    });
    expect(result).toBe('id 7');
    expect(calls).toBe(3);
    expect(seen).toEqual([
      'starting: registering schemas',
      'starting: registering schemas (attempt 2)',
      'starting: registering schemas (attempt 3)',
    ]);
    expect(lines.filter((l) => l.msg.startsWith('start: registering schemas failed'))).toHaveLength(2);
    await expect(startup.check()).rejects.toThrow('starting');
    startup.done();
    await expect(startup.check()).resolves.toBeUndefined();
  });

  it('does not retry what is not retriable: the error goes through unchanged', async () => {
    const { startup } = setup(10_000);
    const fatal = new DriveDepositsError('DD_CONFIG_INVALID', 'bad partitions');
    const plain = new Error('a bug');
    let calls = 0;
    await expect(
      startup.step('topics', async () => {
        calls++;
        throw fatal;
      }),
    ).rejects.toBe(fatal);
    await expect(startup.step('x', () => Promise.reject(plain))).rejects.toBe(plain);
    expect(calls).toBe(1);
  });

  it('past the deadline, fails with a non-retriable error naming the step, the variable and the last failure', async () => {
    const { startup } = setup(60);
    const error = await startup
      .step('setting compatibility', () => Promise.reject(busy()))
      .catch((e: unknown) => e as DriveDepositsError);
    expect(error).toBeInstanceOf(DriveDepositsError);
    expect(error.code).toBe('DD_DEPENDENCY_UNAVAILABLE');
    expect(error.retriable).toBe(false);
    expect(error.message).toMatch(
      /^Not started within STARTUP_TIMEOUT_MS \(60 ms\): setting compatibility failed \d+ times, last with: registry busy$/,
    );
    // Gives up at the deadline, not at some later backoff; the slack is for a loaded machine's timers.
    expect(Date.now()).toBeLessThanOrEqual(startup.deadline + 1000);
  });

  it('cancel ends a waiting step at once', async () => {
    const { startup } = setup(60_000, 30_000);
    const pending = startup.step('kafka', () => Promise.reject(busy()));
    setTimeout(() => startup.cancel(), 10);
    const started = Date.now();
    await expect(pending).rejects.toThrow('Start cancelled while kafka');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('a step that hangs', () => {
  it('ends at the deadline with a message saying which step did not finish', async () => {
    const { startup } = setup(50);
    await expect(startup.step('joining the group', () => new Promise<void>(() => undefined))).rejects.toThrow(
      'Not started within STARTUP_TIMEOUT_MS (50 ms): joining the group did not finish (attempt 1)',
    );
  });
});
