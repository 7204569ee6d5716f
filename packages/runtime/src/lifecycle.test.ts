import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { DriveDepositsError } from '@drive-deposits/core';
import { createLogger } from '@drive-deposits/logging';
import { loadOrExit, runService, type ServiceProcess } from './lifecycle';

class FakeProcess extends EventEmitter {
  readonly exit = jest.fn<void, [number]>();
}

function setup() {
  const lines: { level: string; msg: string; errors?: unknown }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
      done();
    },
  });
  const proc = new FakeProcess();
  const logger = createLogger({ service: 'svc', destination });
  return { lines, proc, logger, asProcess: proc as unknown as ServiceProcess };
}

const started = () => new Promise((resolve) => setImmediate(resolve));
const never = () => new Promise<void>(() => undefined);

describe('runService', () => {
  it('starts, then stops once on SIGTERM and exits 0', async () => {
    const { proc, logger, lines, asProcess } = setup();
    const stop = jest.fn(async () => undefined);
    const exitCode = runService(
      { name: 'svc', logger, shutdownTimeoutMs: 1000, start: async () => {}, stop },
      asProcess,
    );
    await started();
    proc.emit('SIGTERM');
    proc.emit('SIGINT');
    expect(await exitCode).toBe(0);
    expect(stop).toHaveBeenCalledTimes(1);
    expect(proc.exit.mock.calls).toEqual([[0]]);
    expect(lines.map((l) => l.msg)).toEqual([
      'svc started',
      'svc stopping (SIGTERM)',
      'svc: SIGINT while already stopping; ignored',
      'svc stopped',
    ]);
  });

  it('exits 1 when stop exceeds the bound', async () => {
    const { proc, logger, asProcess } = setup();
    const exitCode = runService(
      { name: 'svc', logger, shutdownTimeoutMs: 20, start: async () => {}, stop: never },
      asProcess,
    );
    await started();
    proc.emit('SIGINT');
    expect(await exitCode).toBe(1);
  });

  it('exits 1 when stop throws', async () => {
    const { proc, logger, asProcess } = setup();
    const stop = async () => {
      throw new Error('stuck');
    };
    const exitCode = runService(
      { name: 'svc', logger, shutdownTimeoutMs: 1000, start: async () => {}, stop },
      asProcess,
    );
    await started();
    proc.emit('SIGTERM');
    expect(await exitCode).toBe(1);
  });

  it('logs a failed start with the configuration problems listed, stops and exits 1', async () => {
    const { logger, lines, asProcess } = setup();
    const stop = jest.fn(async () => undefined);
    const error = new DriveDepositsError('DD_CONFIG_INVALID', '1 environment variable is invalid: PORT', {
      errors: [{ path: 'PORT', message: 'Missing.' }],
    });
    const start = async () => {
      throw error;
    };
    expect(await runService({ name: 'svc', logger, shutdownTimeoutMs: 1000, start, stop }, asProcess)).toBe(
      1,
    );
    expect(stop).toHaveBeenCalledTimes(1);
    expect(lines[0]).toMatchObject({
      level: 'fatal',
      msg: 'svc cannot start: DD_CONFIG_INVALID: 1 environment variable is invalid: PORT\n  PORT: Missing.',
      errors: [{ path: 'PORT', message: 'Missing.' }],
    });
  });

  it('stops with exit 1 when the service reports a failure after starting', async () => {
    const { logger, lines, asProcess } = setup();
    const start = async ({ fail }: { fail(e: unknown): void }) => {
      setImmediate(() => fail(new Error('consumer crashed')));
    };
    const code = await runService(
      { name: 'svc', logger, shutdownTimeoutMs: 1000, start, stop: async () => {} },
      asProcess,
    );
    expect(code).toBe(1);
    expect(lines.find((l) => l.level === 'fatal')?.msg).toBe('svc failed: consumer crashed');
  });

  it('treats a signal during start as a shutdown, not a start failure', async () => {
    const { proc, logger, lines, asProcess } = setup();
    let rejectStart: (e: Error) => void = () => undefined;
    const start = () => new Promise<void>((_resolve, reject) => (rejectStart = reject));
    const exitCode = runService(
      { name: 'svc', logger, shutdownTimeoutMs: 1000, start, stop: async () => {} },
      asProcess,
    );
    await started();
    proc.emit('SIGTERM');
    rejectStart(new Error('interrupted'));
    expect(await exitCode).toBe(0);
    expect(lines.some((l) => l.level === 'fatal')).toBe(false);
  });
});

describe('loadOrExit', () => {
  it('returns the loaded value', () => {
    expect(loadOrExit('svc', () => 42, { exit: jest.fn() })).toBe(42);
  });

  it('exits 1 when loading fails', () => {
    const exit = jest.fn();
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(() =>
        loadOrExit(
          'svc',
          () => {
            throw new DriveDepositsError('DD_CONFIG_INVALID', 'bad');
          },
          { exit },
        ),
      ).toThrow('bad');
    } finally {
      write.mockRestore();
    }
    expect(exit).toHaveBeenCalledWith(1);
  });
});
