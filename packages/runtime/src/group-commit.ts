// Group commit: callers add items one at a time; the items are written in batches, one batch in
// flight at a time. What arrives while a batch is in flight goes into the next one, which is written
// as soon as the previous one is done; an idle committer waits `lingerMs` for company first (or less,
// once the batch is full). Each caller's promise settles with its own batch: resolved once the whole
// batch was written, rejected with the batch's error otherwise — a failed batch fails exactly its
// callers, and the batches after it are tried as usual.
//
// Used where a round trip per item is the cost: the command API's idempotent producer (kafkajs allows
// one request in flight, so one message per send queues every caller behind the others' round
// trips) and the projector's MongoDB writes (one bulk per collection per flush, across partitions).

export interface GroupCommitOptions<T> {
  /** Writes one batch, in the order the items were added; resolves once all of it is durable. */
  write: (items: T[], batch: { deadline: number }) => Promise<void>;
  /** at most this many items per batch */
  maxCount: number;
  /** at most this many bytes per batch (by `sizeOf`); an item larger than that goes alone */
  maxBytes: number;
  sizeOf: (item: T) => number;
  /** how long the first item of an idle committer waits for more (0: only the same tick) */
  lingerMs: number;
}

export interface GroupCommit<T> {
  /**
   * Resolves once the batch holding `item` is written; rejects with that batch's error. With
   * `timeoutMs`, an item still queued after that long is withdrawn (never written) and rejected
   * with a {@link NotWrittenError}; a batch's `deadline` is the earliest of its items'.
   */
  add(item: T, timeoutMs?: number): Promise<void>;
  /** items queued, not yet in a batch */
  readonly queued: number;
  /** resolves once nothing is queued or in flight */
  drain(): Promise<void>;
}

/** The item was withdrawn before it was sent: it is certainly not written. */
export class NotWrittenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotWrittenError';
  }
}

interface Entry<T> {
  item: T;
  size: number;
  deadline: number;
  settle: (error?: unknown) => void;
  timer?: NodeJS.Timeout;
}

export function createGroupCommit<T>(options: GroupCommitOptions<T>): GroupCommit<T> {
  const { write, maxCount, maxBytes, sizeOf, lingerMs } = options;
  const queue: Entry<T>[] = [];
  let queuedBytes = 0;
  let inFlight: Promise<void> | undefined;
  let linger: NodeJS.Timeout | NodeJS.Immediate | undefined;
  const idle: Array<() => void> = [];

  const full = () => queue.length >= maxCount || queuedBytes >= maxBytes;

  function take(): Entry<T>[] {
    const batch: Entry<T>[] = [];
    let bytes = 0;
    while (queue.length > 0 && batch.length < maxCount) {
      const next = queue[0]!;
      if (batch.length > 0 && bytes + next.size > maxBytes) break;
      queue.shift();
      bytes += next.size;
      queuedBytes -= next.size;
      clearTimeout(next.timer);
      batch.push(next);
    }
    return batch;
  }

  function flush(): void {
    if (linger !== undefined) {
      clearTimeout(linger as NodeJS.Timeout);
      clearImmediate(linger as NodeJS.Immediate);
      linger = undefined;
    }
    if (inFlight !== undefined || queue.length === 0) return;
    const batch = take();
    const deadline = Math.min(...batch.map((entry) => entry.deadline));
    inFlight = (async () => {
      try {
        await write(
          batch.map((entry) => entry.item),
          { deadline },
        );
        for (const entry of batch) entry.settle();
      } catch (error) {
        for (const entry of batch) entry.settle(error);
      }
    })().finally(() => {
      inFlight = undefined;
      // What queued meanwhile has waited a round trip already: no linger.
      if (queue.length > 0) flush();
      else for (const resolve of idle.splice(0)) resolve();
    });
  }

  function schedule(): void {
    if (inFlight !== undefined) return; // the end of the batch in flight flushes
    if (full()) return flush();
    if (linger === undefined) linger = lingerMs > 0 ? setTimeout(flush, lingerMs) : setImmediate(flush);
  }

  return {
    add(item, timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        const entry: Entry<T> = {
          item,
          size: sizeOf(item),
          deadline: timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs,
          settle: (error) => (error === undefined ? resolve() : reject(error)),
        };
        if (timeoutMs !== undefined) {
          entry.timer = setTimeout(() => {
            const at = queue.indexOf(entry);
            if (at < 0) return; // in a batch: its fate is the batch's
            queue.splice(at, 1);
            queuedBytes -= entry.size;
            reject(new NotWrittenError(`not sent within ${timeoutMs} ms (queued behind earlier batches)`));
          }, timeoutMs);
        }
        queue.push(entry);
        queuedBytes += entry.size;
        schedule();
      });
    },
    get queued() {
      return queue.length;
    },
    drain() {
      if (inFlight === undefined && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
  };
}
