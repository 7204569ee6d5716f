import fc from 'fast-check';
import { centsToMoney, moneyToCents } from './money';

describe('moneyToCents', () => {
  test.each([
    ['246.16', 24616n],
    ['0.00', 0n],
    ['0.05', 5n],
    ['1000.00', 100000n],
    ['-1.50', -150n],
  ])('%s → %s', (money, cents) => {
    expect(moneyToCents(money)).toBe(cents);
  });

  test('holds values far beyond 2^53', () => {
    const big = `${'9'.repeat(120)}.99`;
    expect(moneyToCents(big)).toBe(10n ** 122n - 1n);
  });

  test.each(['246.1', '246', '246.160', '', 'abc', '1e5', ' 1.00'])('rejects %j', (money) => {
    expect(() => moneyToCents(money)).toThrow(RangeError);
  });

  test('round-trips with centsToMoney, preserving numeric order', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
        fc.bigInt({ min: 0n, max: 10n ** 40n }),
        (a, b) => {
          expect(moneyToCents(centsToMoney(a))).toBe(a);
          expect(a < b).toBe(moneyToCents(centsToMoney(a)) < moneyToCents(centsToMoney(b)));
        },
      ),
    );
  });
});
