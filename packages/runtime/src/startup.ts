// Start-up against dependencies that may be busy, still starting, or racing another instance: each
// setup step is retried with backoff while it fails with a retriable error (the `retriable` flag of
// DriveDepositsError, nothing else), until one start deadline (STARTUP_TIMEOUT_MS) for the whole
// start. Meanwhile `check` is a readiness check that fails naming the step being waited for; past
// the deadline the step throws a non-retriable error saying what it waited for and the last failure.
import { DriveDepositsError, isRetriable } from '@drive-deposits/core';
import type { Logger } from '@drive-deposits/logging';

export interface StartupOptions {
  logger: Logger;
  /** STARTUP_TIMEOUT_MS: the whole start, from `createStartup`, must finish within it */
  timeoutMs: number;
  /** first wait after a failure; doubles up to `maxBackoffMs` (each wait ±20 % jitter) */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** tests pass a fake clock */
  now?: () => number;
}

export interface Startup {
  /** runs `run`, retrying it while it throws a retriable error and the deadline allows */
  step<T>(label: string, run: () => Promise<T>): Promise<T>;
  /** a readiness check: rejects with what the start is waiting for, resolves once `done` */
  readonly check: () => Promise<void>;
  /** the start finished; `check` resolves from now on */
  done(): void;
  /** the service is stopping: a waiting step ends at once with DD_DEPENDENCY_UNAVAILABLE */
  cancel(): void;
  /** epoch ms after which no step retries */
  readonly deadline: number;
}

const DEFAULT_INITIAL_BACKOFF_MS = 200;
const DEFAULT_MAX_BACKOFF_MS = 5000;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The one retry rule of the system: only a DriveDepositsError marked retriable is retried. */

export function createStartup(options: StartupOptions): Startup {
  const { logger, timeoutMs } = options;
  const now = options.now ?? Date.now;
  const initial = options.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS;
  const max = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  const started = now();
  const deadline = started + timeoutMs;
  let waitingFor = 'starting';
  let finished = false;
  let cancelled = false;
  const sleeping = new Set<() => void>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleeping.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleeping.add(wake);
    });

  const stopped = (label: string) =>
    new DriveDepositsError('DD_DEPENDENCY_UNAVAILABLE', `Start cancelled while ${label}`, {
      retriable: false,
    });

  /** the errors of attempts cut off by the deadline */
  const unfinished = new WeakSet<object>();

  /** A step that hangs (no answer, no error) also ends at the deadline. */
  async function withinDeadline<T>(running: Promise<T>, label: string, attempt: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => {
          const error = new DriveDepositsError(
            'DD_DEPENDENCY_UNAVAILABLE',
            `Not started within STARTUP_TIMEOUT_MS (${timeoutMs} ms): ${label} did not finish ` +
              `(attempt ${attempt})`,
            { retriable: false },
          );
          unfinished.add(error);
          reject(error);
        },
        Math.max(0, deadline - now()),
      );
    });
    try {
      return await Promise.race([running, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function step<T>(label: string, run: () => Promise<T>): Promise<T> {
    let backoff = initial;
    let failures = 0;
    let lastFailure: unknown;
    for (let attempt = 1; ; attempt++) {
      if (cancelled) throw stopped(label);
      waitingFor = attempt === 1 ? label : `${label} (attempt ${attempt})`;
      try {
        const result = await withinDeadline(run(), label, attempt);
        if (attempt > 1) logger.info({ step: label, attempts: attempt }, `start: ${label} succeeded`);
        return result;
      } catch (error) {
        if (cancelled) throw stopped(label);
        const cutOff = unfinished.has(error as object);
        if (!cutOff && !isRetriable(error)) throw error;
        if (!cutOff) {
          failures++;
          lastFailure = error;
        }
        const left = deadline - now();
        if (cutOff || left <= 0) {
          // The attempt at the deadline did not finish: say what the ones before it failed with.
          if (lastFailure === undefined) throw error;
          throw new DriveDepositsError(
            'DD_DEPENDENCY_UNAVAILABLE',
            `Not started within STARTUP_TIMEOUT_MS (${timeoutMs} ms): ${label} failed ${failures} ` +
              `time${failures === 1 ? '' : 's'}, last with: ${messageOf(lastFailure)}`,
            { cause: lastFailure, retriable: false },
          );
        }
        // The last attempt is made at the deadline itself, so a service gives up only once it passed.
        const wait = Math.min(Math.round(backoff * (0.8 + Math.random() * 0.4)), left);
        waitingFor = `${label} (attempt ${attempt} failed: ${messageOf(error)}; retrying)`;
        logger.warn(
          { step: label, attempt, retry_in_ms: wait, deadline_in_ms: left, err: error },
          `start: ${label} failed (attempt ${attempt}), retrying in ${wait} ms: ${messageOf(error)}`,
        );
        await sleep(wait);
        backoff = Math.min(max, backoff * 2);
      }
    }
  }

  return {
    step,
    check: async () => {
      if (!finished) throw new Error(`starting: ${waitingFor}`);
    },
    done: () => {
      finished = true;
      logger.info({ start_ms: now() - started }, 'start: ready');
    },
    cancel: () => {
      cancelled = true;
      for (const wake of [...sleeping]) wake();
    },
    deadline,
  };
}
