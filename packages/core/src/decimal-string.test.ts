import Decimal from 'decimal.js';
import fc from 'fast-check';
import {
  canonicalDecimalOrSelf,
  compareDecimalStrings,
  decimalConstant,
  formatDecimalString,
  numericDecimalOrSelf,
  parseDecimalString,
} from './decimal-string';

describe('parseDecimalString', () => {
  test.each([
    ['5', '5'],
    ['05', '5'],
    ['000', '0'],
    ['5.40', '5.40'],
    ['0.01', '0.01'],
    ['00.50', '0.50'],
    ['+5', '5'],
    ['+05.0', '5.0'],
    ['1.0000000000', '1.0000000000'],
  ])('%s is canonically %s', (input, canonical) => {
    const parsed = parseDecimalString(input);
    expect(typeof parsed).toBe('object');
    expect(formatDecimalString(parsed as Exclude<typeof parsed, string>)).toBe(canonical);
  });

  test.each([
    ['Hello', 'not-a-decimal'],
    ['', 'not-a-decimal'],
    ['5.', 'not-a-decimal'],
    ['.5', 'not-a-decimal'],
    [' 5', 'not-a-decimal'],
    ['5 ', 'not-a-decimal'],
    ['1e5', 'not-a-decimal'],
    ['0x10', 'not-a-decimal'],
    ['1,000', 'not-a-decimal'],
    ['Infinity', 'not-a-decimal'],
    ['NaN', 'not-a-decimal'],
    ['++5', 'not-a-decimal'],
    ['٥', 'not-a-decimal'],
    ['-5', 'negative'],
    ['-0.5', 'negative'],
    ['1.00000000001', 'too-many-fraction-digits'],
    ['0'.repeat(32) + '1', 'too-long'],
  ])('%j is rejected as %s', (input, problem) => {
    expect(parseDecimalString(input)).toBe(problem);
  });

  test('accepts exactly 32 characters', () => {
    expect(typeof parseDecimalString('0'.repeat(31) + '1')).toBe('object');
  });

  test('canonicalDecimalOrSelf leaves a non-decimal unchanged', () => {
    expect(canonicalDecimalOrSelf('007.10')).toBe('7.10');
    expect(canonicalDecimalOrSelf('abc')).toBe('abc');
  });

  test('numericDecimalOrSelf: numerically equal decimals are one string, whatever their length', () => {
    for (const same of ['1.50', '+1.5', '01.5', '1.5']) expect(numericDecimalOrSelf(same)).toBe('1.5');
    expect(numericDecimalOrSelf('2.0')).toBe('2');
    expect(numericDecimalOrSelf('0.000')).toBe('0');
    expect(numericDecimalOrSelf(`${'0'.repeat(40)}1`)).toBe('1');
    expect(numericDecimalOrSelf('1.')).toBe('1.');
  });
});

describe('compareDecimalStrings', () => {
  const decimalText = fc
    .tuple(
      fc.nat({ max: 100_000 }),
      fc.option(fc.stringMatching(/^[0-9]{1,10}$/), { nil: undefined }),
      fc.nat({ max: 3 }),
    )
    .map(
      ([integer, fraction, zeros]) =>
        '0'.repeat(zeros) + String(integer) + (fraction === undefined ? '' : `.${fraction}`),
    );

  test('is numeric order', () => {
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        expect(Math.sign(compareDecimalStrings(decimalConstant(a), decimalConstant(b)))).toBe(
          new Decimal(a).comparedTo(new Decimal(b)),
        );
      }),
    );
  });

  test('trailing zeros do not change the value', () => {
    expect(compareDecimalStrings(decimalConstant('1000'), decimalConstant('1000.0000000000'))).toBe(0);
    expect(
      compareDecimalStrings(decimalConstant('1000.0000000001'), decimalConstant('1000')),
    ).toBeGreaterThan(0);
  });
});
