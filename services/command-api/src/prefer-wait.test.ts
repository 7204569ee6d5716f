import { parseIdempotencyKey } from './idempotency';
import { parsePreferWait } from './prefer-wait';

describe('parsePreferWait', () => {
  it.each([
    [undefined, undefined],
    ['wait=5', 5],
    ['respond-async, wait=7', 7],
    ['WAIT = "3"', 3],
    ['wait=0', 0],
    ['wait=600', 30], // capped
    ['return=minimal', undefined],
  ])('%p → %p', (header, expected) => {
    expect(parsePreferWait(header, 30)).toBe(expected);
  });

  it.each(['wait=soon', 'wait=-1', 'wait=1.5', 'wait='])('rejects %p with DD_INVALID_PARAMETER', (header) => {
    expect(() => parsePreferWait(header, 30)).toThrow(
      expect.objectContaining({ code: 'DD_INVALID_PARAMETER' }),
    );
  });
});

describe('parseIdempotencyKey', () => {
  it('accepts 1 to 255 visible ASCII characters', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey('a')).toBe('a');
    expect(parseIdempotencyKey('~'.repeat(255))).toBe('~'.repeat(255));
  });

  it.each(['', ' ', 'a b', 'x'.repeat(256), 'é', 'tab\t'])('rejects %p', (key) => {
    expect(() => parseIdempotencyKey(key)).toThrow(expect.objectContaining({ code: 'DD_INVALID_PARAMETER' }));
  });
});
