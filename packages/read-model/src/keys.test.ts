import fc from 'fast-check';
import { growthFromKey, growthKey, maturityKey, periodKey } from './keys';

const money = fc.bigInt({ min: 0n, max: 10n ** 120n }).map((cents) => {
  const digits = cents.toString().padStart(3, '0');
  return { cents, text: `${digits.slice(0, -2)}.${digits.slice(-2)}` };
});

describe('growthKey', () => {
  it('encodes integer cents behind their digit count', () => {
    expect(growthKey('2.46')).toBe('0003246');
    expect(growthKey('0.00')).toBe('00010');
    expect(growthKey('367.76')).toBe('000536776');
  });

  it('orders keys as strings exactly as the amounts order as numbers, far beyond 64 bits', () => {
    fc.assert(
      fc.property(money, money, (a, b) => {
        const byNumber = a.cents < b.cents ? -1 : a.cents > b.cents ? 1 : 0;
        const keyA = growthKey(a.text);
        const keyB = growthKey(b.text);
        const byKey = keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
        expect(byKey).toBe(byNumber);
      }),
    );
  });

  it('round-trips through growthFromKey', () => {
    fc.assert(fc.property(money, (m) => expect(growthFromKey(growthKey(m.text))).toBe(m.text)));
  });

  it('rejects what is not a non-negative 2-decimal amount', () => {
    for (const bad of ['1', '1.5', '-1.00', '1e3', '']) expect(() => growthKey(bad)).toThrow(RangeError);
  });
});

describe('maturityKey', () => {
  it('counts days since 1970-01-01 like the proleptic Gregorian calendar', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          expect(maturityKey(iso)).toBe(Math.floor(d.getTime() / 86_400_000));
        },
      ),
    );
    expect(maturityKey('1970-01-01')).toBe(0);
    // after year 9999 a maturity date is written in the ISO 8601 expanded form
    expect(maturityKey('+010099-12-06')).toBe(Date.UTC(10099, 11, 6) / 86_400_000);
    expect(maturityKey('2028-12-29')).toBe(21547);
  });
});

describe('periodKey', () => {
  it('treats numerically equal periods as the same', () => {
    expect(periodKey('1.0', 'Month')).toBe('1|Month');
    expect(periodKey('1', 'Month')).toBe('1|Month');
    expect(periodKey('1.50', 'Week')).toBe('1.5|Week');
    expect(periodKey('15', 'Day')).not.toBe(periodKey('1.5', 'Day'));
    expect(periodKey('10', 'Day')).toBe('10|Day');
  });
});
