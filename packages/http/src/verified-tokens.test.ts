import { createVerifiedTokens } from './verified-tokens';

describe('createVerifiedTokens', () => {
  let now = 1_000_000;
  beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
  afterEach(() => jest.restoreAllMocks());

  it('answers a token until its own expiry when that comes before the ttl', () => {
    const tokens = createVerifiedTokens<string>({ maxEntries: 10, ttlMs: 60_000 });
    tokens.set('a', 'alice', now + 5_000);
    now += 4_999;
    expect(tokens.get('a')).toBe('alice');
    now += 1;
    expect(tokens.get('a')).toBeUndefined();
  });

  it('answers a token for the ttl at most, however long it is valid', () => {
    const tokens = createVerifiedTokens<string>({ maxEntries: 10, ttlMs: 60_000 });
    tokens.set('a', 'alice', now + 3_600_000);
    now += 59_999;
    expect(tokens.get('a')).toBe('alice');
    now += 1;
    expect(tokens.get('a')).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the oldest first', () => {
    const tokens = createVerifiedTokens<number>({ maxEntries: 3, ttlMs: 60_000 });
    for (let i = 0; i < 5; i++) tokens.set(`t${i}`, i, now + 60_000);
    expect(['t0', 't1', 't2', 't3', 't4'].map((t) => tokens.get(t))).toEqual([undefined, undefined, 2, 3, 4]);
  });

  it('knows nothing it was not told', () => {
    expect(createVerifiedTokens().get('never seen')).toBeUndefined();
  });
});
