import fc from 'fast-check';
import { DateTime } from 'luxon';
import { addDays, formatPlainDate, fromEpochDay, parsePlainDate, toEpochDay } from './plain-date';

describe('parsePlainDate', () => {
  test.each(['2024-02-29', '2000-02-29', '2023-12-31', '0000-01-01', '9999-12-31'])(
    '%s is a real date',
    (text) => {
      expect(parsePlainDate(text)).not.toBeNull();
    },
  );

  test.each([
    '2023-02-29',
    '1900-02-29',
    '2023-02-30',
    '2023-04-31',
    '2023-13-01',
    '2023-00-10',
    '2023-01-00',
    '2023-1-01',
    '23-01-01',
    '2023-01-01T00:00',
    ' 2023-01-01',
    '2023/01/01',
  ])('%s is not', (text) => {
    expect(parsePlainDate(text)).toBeNull();
  });

  test('agrees with luxon on which dates exist', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const text = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          expect(parsePlainDate(text) !== null).toBe(DateTime.fromISO(text, { zone: 'utc' }).isValid);
        },
      ),
    );
  });
});

describe('addDays', () => {
  const date = (text: string) => parsePlainDate(text)!;

  test.each([
    ['2024-02-16', 2555, '2031-02-14'],
    ['2019-01-01', 3650, '2028-12-29'],
    ['2023-11-23', 548, '2025-05-24'],
    ['2023-03-01', 365, '2024-02-29'],
    ['2024-02-29', 365, '2025-02-28'],
    ['2024-02-28', 1, '2024-02-29'],
    ['1999-12-31', 1, '2000-01-01'],
    ['1900-02-28', 1, '1900-03-01'],
    ['9999-12-31', 36500, '+010099-12-06'],
  ])('%s + %i days = %s', (start, days, expected) => {
    expect(formatPlainDate(addDays(date(start), days))).toBe(expected);
  });

  test('agrees with luxon calendar arithmetic (UTC, no DST)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 36500 }),
        (instant, days) => {
          const start = DateTime.fromJSDate(instant, { zone: 'utc' }).toISODate()!;
          const expected = DateTime.fromISO(start, { zone: 'utc' }).plus({ days }).toISODate();
          expect(formatPlainDate(addDays(date(start), days))).toBe(expected);
        },
      ),
    );
  });

  test('a DST change in the bank zone does not move the date', () => {
    // America/Chicago springs forward on 2024-03-10; calendar days are still days.
    expect(formatPlainDate(addDays(date('2024-03-09'), 1))).toBe('2024-03-10');
    expect(formatPlainDate(addDays(date('2024-03-09'), 2))).toBe('2024-03-11');
  });

  test('epoch days round-trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: -800_000, max: 3_000_000 }), (day) => {
        expect(toEpochDay(fromEpochDay(day))).toBe(day);
      }),
    );
    expect(toEpochDay(date('1970-01-01'))).toBe(0);
  });

  test('refuses a result beyond year 999999', () => {
    expect(() => addDays(date('2024-01-01'), 400_000_000)).toThrow(RangeError);
    expect(() => addDays(date('2024-01-01'), 0.5)).toThrow(RangeError);
  });
});
