// Rounding, ties and fractional powers, checked against an independent decimal.js oracle.
import Decimal from 'decimal.js';
import fc from 'fast-check';
import { decimalConstant } from '../decimal-string';
import { fixedFromDecimalString, formatFixed, type FixedDecimal } from '../fixed-decimal';
import type { AccountType } from '../types';
import { compoundGrowthFactor, deltaGrowth, interestOverTerm, periodInDays, termInDays } from './formulas';

const exact = (text: string): FixedDecimal => fixedFromDecimalString(decimalConstant(text));

function interest(accountType: AccountType, amount: string, apy: string, years: string): string {
  return formatFixed(
    interestOverTerm({
      accountType,
      principal: exact(amount),
      apy: exact(apy),
      apyText: apy,
      years: exact(years),
      yearsText: years,
    }),
  );
}

const growth = (
  interestText: string,
  years: string,
  period: string,
  unit: 'Day' | 'Week' | 'Month' | 'Year',
) => formatFixed(deltaGrowth(exact(interestText), exact(years), periodInDays(exact(period), unit)));

// 120 significant digits: far more than the calculation's 40, so it judges them.
const Oracle = Decimal.clone({
  precision: 120,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpPos: 9e15,
  toExpNeg: -9e15,
});
const round2 = (value: Decimal) => value.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2);

describe('ties round half to even', () => {
  test('compound interest: 1 at 0.5% for 1 year is exactly 0.005 → 0.00; at 1.5%, 0.015 → 0.02', () => {
    expect(interest('Savings', '1', '0.5', '1')).toBe('0.00');
    expect(interest('Savings', '1', '1.5', '1')).toBe('0.02');
    expect(interest('Savings', '1', '2.5', '1')).toBe('0.02');
  });

  test('simple interest: 1 × 0.5% × 1 = 0.005 → 0.00; 3 × 0.5% × 1 = 0.015 → 0.02', () => {
    expect(interest('BrokerageCertificateOfDeposit', '1', '0.5', '1')).toBe('0.00');
    expect(interest('BrokerageCertificateOfDeposit', '3', '0.5', '1')).toBe('0.02');
  });

  test('growth: 0.73 over 2.5 of 365 days = 0.005 → 0.00; 2.19 over 2.5 days = 0.015 → 0.02', () => {
    expect(growth('0.73', '1', '2.5', 'Day')).toBe('0.00');
    expect(growth('2.19', '1', '2.5', 'Day')).toBe('0.02');
  });

  test('growth: a tie is a tie even when interest / (365 × Y) never terminates', () => {
    // 0.03 / 1095 = 0.0000273972…, × 547.5 = 0.015 exactly → 0.02 (28-digit intermediate rounding would give 0.01)
    expect(growth('0.03', '3', '547.5', 'Day')).toBe('0.02');
    expect(growth('0.01', '3', '547.5', 'Day')).toBe('0.00');
  });

  test('fractional years: an exact power is recognised (1.21^0.5 = 1.1), so its tie rounds to even', () => {
    // 0.05 × 0.1 = 0.005 → 0.00; 0.15 × 0.1 = 0.015 → 0.02
    expect(interest('Checking', '0.05', '21', '0.5')).toBe('0.00');
    expect(interest('Checking', '0.15', '21', '0.5')).toBe('0.02');
  });
});

describe('compound interest', () => {
  const apy = fc
    .tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 9999 }))
    .map(([whole, fraction]) => (whole === 1000 ? '1000' : `${whole}.${String(fraction).padStart(4, '0')}`));
  const amount = fc
    .tuple(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 99 }))
    .map(([w, f]) => `${w}.${String(f).padStart(2, '0')}`);
  const fractionalYears = fc
    .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 999_999 }))
    .map(([whole, fraction]) => `${whole}.${String(fraction).padStart(6, '0')}`);

  test('whole years are exact: equal to decimal.js at a precision that holds every digit', () => {
    const Exact = Decimal.clone({ precision: 2000, rounding: Decimal.ROUND_HALF_EVEN, toExpPos: 9e15 });
    fc.assert(
      fc.property(amount, apy, fc.integer({ min: 1, max: 100 }), (p, r, y) => {
        const factor = new Exact(r).dividedBy(100).plus(1).pow(y);
        expect(interest('Checking', p, r, String(y))).toBe(round2(new Exact(p).times(factor).minus(p)));
      }),
      { numRuns: 200 },
    );
  });

  test('fractional years: exp(Y × ln(1 + r)) rounded to the cent, as a 120-digit computation', () => {
    fc.assert(
      fc.property(amount, apy, fractionalYears, (p, r, y) => {
        const factor = new Oracle(r).dividedBy(100).plus(1).pow(y);
        expect(interest('CertificateOfDeposit', p, r, y)).toBe(round2(new Oracle(p).times(factor).minus(p)));
      }),
      { numRuns: 200 },
    );
  });

  test('a factor far above 10 keeps cent accuracy (40 digits from the units digit down)', () => {
    // 11^99.5 ≈ 1.3e103: the cents of 1e12 × it need ~145 significant digits, not 40.
    const Wide = Decimal.clone({ precision: 300, rounding: Decimal.ROUND_HALF_EVEN, toExpPos: 9e15 });
    const expected = round2(new Wide('1e12').times(new Wide(11).pow('99.5')).minus('1e12'));
    expect(interest('Checking', '1000000000000', '1000', '99.5')).toBe(expected);
    expect(compoundGrowthFactor(exact('1000'), exact('99.5')).units.toString().length).toBeGreaterThan(140);
  });

  test('zero rate or zero amount earns nothing', () => {
    expect(interest('Checking', '1000', '0', '7.5')).toBe('0.00');
    expect(interest('Savings', '0', '5', '7.5')).toBe('0.00');
    expect(interest('BrokerageCertificateOfDeposit', '0', '5', '7.5')).toBe('0.00');
  });
});

describe('simple interest', () => {
  test('P × r × Y, fractional years included', () => {
    expect(interest('BrokerageCertificateOfDeposit', '10990', '2.4', '7')).toBe('1846.32');
    expect(interest('BrokerageCertificateOfDeposit', '1000', '5', '1.5')).toBe('75.00');
    expect(interest('BrokerageCertificateOfDeposit', '1000', '3.333', '0.25')).toBe('8.33');
  });
});

describe('delta growth', () => {
  test.each([
    ['Day', '1', 1],
    ['Week', '1', 7],
    ['Month', '1', 30],
    ['Year', '1', 365],
    ['Month', '1.5', 45],
  ] as const)('%s × %s is %i days', (unit, period, days) => {
    expect(new Decimal(formatFixed(periodInDays(exact(period), unit))).equals(days)).toBe(true);
  });

  test('matches round2(interest / (365 × Y) × days) computed at 120 digits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 8 }).map((cents) => (cents / 100).toFixed(2)),
        fc
          .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 9999 }))
          .map(([w, f]) => `${w}.${String(f).padStart(4, '0')}`),
        fc
          .tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 99 }))
          .map(([w, f]) => `${w}.${f}`),
        fc.constantFrom('Day', 'Week', 'Month', 'Year' as const),
        (i, y, period, unit) => {
          const days = new Oracle(period).times({ Day: 1, Week: 7, Month: 30, Year: 365 }[unit]);
          expect(growth(i, y, period, unit)).toBe(
            round2(new Oracle(i).dividedBy(new Oracle(y).times(365)).times(days)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('term in days', () => {
  test.each([
    ['1.5', 548], // 547.5 rounds up to the even 548
    ['0.1', 36], // 36.5 rounds down to the even 36
    ['0.5', 182], // 182.5 → 182
    ['0.3', 110], // 109.5 → 110
    ['10', 3650],
    ['100', 36500],
    ['0.0013698630', 0], // 0.4999999950 days
  ])('%s years = %i days', (years, days) => {
    expect(termInDays(exact(years))).toBe(days);
  });
});
