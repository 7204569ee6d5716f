import Decimal from 'decimal.js';
import fc from 'fast-check';
import { decimalConstant } from './decimal-string';
import {
  add,
  divideIntegersRoundHalfEven,
  divideRoundHalfEven,
  fixedFromDecimalString,
  formatFixed,
  multiply,
  roundHalfEven,
  subtract,
  type FixedDecimal,
} from './fixed-decimal';

// An independent oracle: decimal.js at a precision far beyond any value used here.
const Oracle = Decimal.clone({
  precision: 400,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpPos: 9e15,
  toExpNeg: -9e15,
});
const exact = (text: string): FixedDecimal => fixedFromDecimalString(decimalConstant(text));
const oracle = (value: FixedDecimal) => new Oracle(formatFixed(value));

/** Decimal strings with up to 12 integer and 10 fraction digits. */
const decimalText = fc
  .tuple(
    fc.bigInt({ min: 0n, max: 10n ** 12n }),
    fc.integer({ min: 0, max: 10 }),
    fc.bigInt({ min: 0n, max: 10n ** 10n - 1n }),
  )
  .map(([integer, scale, fraction]) =>
    scale === 0
      ? integer.toString()
      : `${integer}.${(fraction % 10n ** BigInt(scale)).toString().padStart(scale, '0')}`,
  );

describe('roundHalfEven', () => {
  test.each([
    ['1.005', '1.00'],
    ['1.015', '1.02'],
    ['1.025', '1.02'],
    ['1.0250000001', '1.03'],
    ['1.0049999999', '1.00'],
    ['0.005', '0.00'],
    ['0.015', '0.02'],
    ['2.5', '2.50'],
  ])('%s → %s (2 places)', (input, expected) => {
    expect(formatFixed(roundHalfEven(exact(input), 2))).toBe(expected);
  });

  test.each([
    ['547.5', '548'],
    ['548.5', '548'],
    ['36.5', '36'],
    ['0.5', '0'],
    ['1.5', '2'],
  ])('%s → %s (0 places)', (input, expected) => {
    expect(formatFixed(roundHalfEven(exact(input), 0))).toBe(expected);
  });

  test('agrees with decimal.js ROUND_HALF_EVEN', () => {
    fc.assert(
      fc.property(decimalText, fc.integer({ min: 0, max: 6 }), (text, places) => {
        const expected = new Oracle(text).toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN).toFixed(places);
        expect(formatFixed(roundHalfEven(exact(text), places))).toBe(expected);
      }),
    );
  });

  test('negative values round half to even too', () => {
    expect(formatFixed(roundHalfEven({ units: -1005n, scale: 3 }, 2))).toBe('-1.00');
    expect(formatFixed(roundHalfEven({ units: -1015n, scale: 3 }, 2))).toBe('-1.02');
    expect(formatFixed(roundHalfEven({ units: -1016n, scale: 3 }, 2))).toBe('-1.02');
  });
});

describe('divideRoundHalfEven', () => {
  test('a tie whose operands have non-terminating quotients is still a tie', () => {
    // 0.03 × 547.5 / 1095 = 0.015 exactly, although 0.03 / 1095 never terminates.
    expect(formatFixed(divideRoundHalfEven(multiply(exact('0.03'), exact('547.5')), exact('1095'), 2))).toBe(
      '0.02',
    );
    expect(formatFixed(divideRoundHalfEven(multiply(exact('0.01'), exact('547.5')), exact('1095'), 2))).toBe(
      '0.00',
    );
  });

  test('agrees with decimal.js division at 400 digits', () => {
    fc.assert(
      fc.property(
        decimalText,
        decimalText.filter((t) => !/^[0.]+$/.test(t)),
        (a, b) => {
          const expected = new Oracle(a).dividedBy(b).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2);
          expect(formatFixed(divideRoundHalfEven(exact(a), exact(b), 2))).toBe(expected);
        },
      ),
    );
  });

  test('rejects a zero or negative denominator', () => {
    expect(() => divideIntegersRoundHalfEven(1n, 0n)).toThrow(RangeError);
    expect(() => divideIntegersRoundHalfEven(1n, -1n)).toThrow(RangeError);
  });
});

describe('add, subtract, multiply', () => {
  test('are exact, at the wider or summed scale', () => {
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        expect(oracle(add(exact(a), exact(b))).equals(new Oracle(a).plus(b))).toBe(true);
        expect(oracle(subtract(exact(a), exact(b))).equals(new Oracle(a).minus(b))).toBe(true);
        expect(oracle(multiply(exact(a), exact(b))).equals(new Oracle(a).times(b))).toBe(true);
      }),
    );
    expect(formatFixed(add(exact('71000'), exact('100')))).toBe('71100');
    expect(formatFixed(add(exact('10000.50'), exact('16490')))).toBe('26490.50');
  });
});

describe('formatFixed', () => {
  test.each([
    [{ units: 5n, scale: 2 }, '0.05'],
    [{ units: 0n, scale: 2 }, '0.00'],
    [{ units: 0n, scale: 0 }, '0'],
    [{ units: 1000050n, scale: 2 }, '10000.50'],
    [{ units: -5n, scale: 2 }, '-0.05'],
    [{ units: 123n, scale: 0 }, '123'],
  ])('%o → %s', (value, expected) => {
    expect(formatFixed(value)).toBe(expected);
  });
});
