import { createGroupCommit, NotWrittenError, type GroupCommitOptions } from './group-commit';

/** A write function whose calls stay pending until the test settles them. */
function controlledWrite() {
  const calls: Array<{ items: number[]; deadline: number; done: (error?: Error) => void }> = [];
  const write: GroupCommitOptions<number>['write'] = (items, { deadline }) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ items, deadline, done: (error) => (error === undefined ? resolve() : reject(error)) });
    });
  return { calls, write };
}

const settled = async <T>(promise: Promise<T>) =>
  promise.then(
    () => 'resolved',
    (error: Error) => `rejected: ${error.message}`,
  );
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createGroupCommit', () => {
  it('sends what arrives while a batch is in flight as the next batch, in order', async () => {
    const { calls, write } = controlledWrite();
    const group = createGroupCommit({ write, maxCount: 100, maxBytes: 1e6, sizeOf: () => 1, lingerMs: 0 });
    const first = group.add(1);
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    const rest = [2, 3, 4].map((n) => group.add(n));
    await tick();
    expect(calls).toHaveLength(1); // one batch in flight at a time
    calls[0]!.done();
    await first;
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4]]);
    calls[1]!.done();
    await Promise.all(rest);
    await group.drain();
  });

  it('lingers when idle, and sends at once when the batch is full by count or bytes', async () => {
    const { calls, write } = controlledWrite();
    const group = createGroupCommit({ write, maxCount: 3, maxBytes: 10, sizeOf: (n) => n, lingerMs: 60_000 });
    void group.add(1);
    void group.add(1);
    await tick();
    expect(calls).toHaveLength(0); // lingering
    void group.add(1); // third item: full by count
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1, 1, 1]]);
    calls[0]!.done();
    await tick();
    const big = [group.add(6), group.add(6), group.add(20)];
    await tick();
    // 6 + 6 > 10 bytes: the first goes alone; an item above the bound still goes (alone)
    expect(calls.map((c) => c.items)).toEqual([[1, 1, 1], [6]]);
    calls[1]!.done();
    await tick();
    calls[2]!.done();
    await tick();
    calls[3]!.done();
    await Promise.all(big);
    expect(calls.map((c) => c.items)).toEqual([[1, 1, 1], [6], [6], [20]]);
  });

  it('fails exactly the callers of a failed batch; the next batch is tried as usual', async () => {
    const { calls, write } = controlledWrite();
    const group = createGroupCommit({ write, maxCount: 100, maxBytes: 1e6, sizeOf: () => 1, lingerMs: 0 });
    const a = settled(group.add(1));
    await tick();
    const b = [settled(group.add(2)), settled(group.add(3))];
    await tick();
    calls[0]!.done();
    await tick();
    const c = settled(group.add(4));
    calls[1]!.done(new Error('broker said no'));
    await tick();
    calls[2]!.done();
    expect(await Promise.all([a, ...b, c])).toEqual([
      'resolved',
      'rejected: broker said no',
      'rejected: broker said no',
      'resolved',
    ]);
    expect(calls.map((call) => call.items)).toEqual([[1], [2, 3], [4]]);
  });

  it('withdraws an item still queued at its timeout (never written); a batch carries its earliest deadline', async () => {
    const { calls, write } = controlledWrite();
    const group = createGroupCommit({ write, maxCount: 100, maxBytes: 1e6, sizeOf: () => 1, lingerMs: 0 });
    const before = Date.now();
    const a = group.add(1, 60_000);
    await tick();
    expect(calls[0]!.deadline).toBeGreaterThanOrEqual(before + 60_000);
    const late = group.add(2, 20);
    const b = group.add(3, 60_000);
    await expect(late).rejects.toBeInstanceOf(NotWrittenError);
    calls[0]!.done();
    await tick();
    calls[1]!.done();
    await Promise.all([a, b]);
    expect(calls.map((call) => call.items)).toEqual([[1], [3]]);
    expect(group.queued).toBe(0);
  });
});
