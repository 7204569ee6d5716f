// Sort keys whose MongoDB order is the exact numeric / chronological order (architecture.md).

const KEY_DIGITS_WIDTH = 4;

/**
 * A money string with 2 decimals ("246.16") as an order-preserving string of its integer cents:
 * the digit count zero-padded to 4, then the digits. Growth is never negative, and may be far
 * larger than 64 bits at the allowed bounds, so a fixed-width integer cannot hold it.
 */
export function growthKey(money: string): string {
  const match = /^(\d+)\.(\d{2})$/.exec(money);
  if (!match)
    throw new RangeError(`growthKey: expected a non-negative amount with 2 decimals, got "${money}"`);
  const digits = (match[1]! + match[2]!).replace(/^0+(?=\d)/, '');
  return digits.length.toString().padStart(KEY_DIGITS_WIDTH, '0') + digits;
}

/** Inverse of growthKey, for cursors and diagnostics. */
export function growthFromKey(key: string): string {
  const digits = key.slice(KEY_DIGITS_WIDTH).padStart(3, '0');
  return `${digits.slice(0, -2).replace(/^0+(?=\d)/, '')}.${digits.slice(-2)}`;
}

/** A `YYYY-MM-DD` calendar date as days since 1970-01-01 (proleptic Gregorian; no time zone). */
export function maturityKey(date: string): number {
  const match = /^([+-]?\d{4,6})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`maturityKey: expected YYYY-MM-DD, got "${date}"`);
  return daysFromCivil(Number(match[1]), Number(match[2]), Number(match[3]));
}

// Howard Hinnant's days_from_civil: exact integer arithmetic, valid far beyond year 9999.
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** "1.50" and "1.5" are the same period: the key is the normalised number and the unit. */
export function periodKey(period: string, periodUnit: string): string {
  const normalised = period.includes('.') ? period.replace(/0+$/, '').replace(/\.$/, '') : period;
  return `${normalised.replace(/^0+(?=\d)/, '')}|${periodUnit}`;
}
