// Calendar dates without a time of day or zone (spec §3.4): a maturity date is the start date
// plus a whole number of days, counted on the proleptic Gregorian calendar. Plain integer day
// arithmetic, so no daylight-saving change or zone rule can move a date.

export interface PlainDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** The largest year the expanded ISO 8601 form (+YYYYYY) can write. */
const MAX_YEAR = 999_999;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A `YYYY-MM-DD` string naming a real calendar date (`2023-02-30` → null). */
export function parsePlainDate(text: string): PlainDate | null {
  const match = ISO_DATE.exec(text);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** `YYYY-MM-DD`; after year 9999 the ISO 8601 expanded form `+YYYYYY-MM-DD` (as luxon writes it). */
export function formatPlainDate(date: PlainDate): string {
  const month = String(date.month).padStart(2, '0');
  const day = String(date.day).padStart(2, '0');
  const year =
    date.year <= 9999 ? String(date.year).padStart(4, '0') : `+${String(date.year).padStart(6, '0')}`;
  return `${year}-${month}-${day}`;
}

// Howard Hinnant's days_from_civil / civil_from_days: exact integer arithmetic in an era of
// 400 years (146,097 days), with March as the first month so the leap day ends the year.
const DAYS_PER_ERA = 146_097;
const UNIX_EPOCH_SHIFT = 719_468;

/** Days since 1970-01-01. */
export function toEpochDay(date: PlainDate): number {
  const y = date.month <= 2 ? date.year - 1 : date.year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = date.month > 2 ? date.month - 3 : date.month + 9;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + date.day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * DAYS_PER_ERA + dayOfEra - UNIX_EPOCH_SHIFT;
}

export function fromEpochDay(epochDay: number): PlainDate {
  const z = epochDay + UNIX_EPOCH_SHIFT;
  const era = Math.floor(z / DAYS_PER_ERA);
  const dayOfEra = z - era * DAYS_PER_ERA;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** `start` plus `days` calendar days; throws beyond the years the date format can write. */
export function addDays(start: PlainDate, days: number): PlainDate {
  if (!Number.isSafeInteger(days)) throw new RangeError(`cannot add ${days} days to a date`);
  const result = fromEpochDay(toEpochDay(start) + days);
  if (result.year < 0 || result.year > MAX_YEAR) {
    throw new RangeError(`the date ${days} days after ${formatPlainDate(start)} is out of range`);
  }
  return result;
}
