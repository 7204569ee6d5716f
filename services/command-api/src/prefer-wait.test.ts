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

  // RFC 7240 §2: a preference the server cannot honour is ignored, not an error.
  it.each(['wait=soon', 'wait=abc', 'wait=-1', 'wait=1.5', 'wait=', 'wait', 'wait=1234567', 'wait=٣'])(
    'ignores %p (no wait the server can honour)',
    (header) => {
      expect(parsePreferWait(header, 30)).toBeUndefined();
    },
  );

  it('the first wait decides, as RFC 7240 says for a repeated preference', () => {
    expect(parsePreferWait('wait=abc, wait=5', 30)).toBeUndefined();
    expect(parsePreferWait('wait=2, wait=5', 30)).toBe(2);
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
