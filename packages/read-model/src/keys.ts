// Sort keys whose MongoDB order is the exact numeric / chronological order (architecture.md).
import { centsToMoney, moneyToCents, numericDecimalOrSelf, toEpochDay } from '@drive-deposits/core';

const KEY_DIGITS_WIDTH = 4;

/**
 * A money string with 2 decimals ("246.16") as an order-preserving string of its integer cents:
 * the digit count zero-padded to 4, then the digits. Growth is never negative, and may be far
 * larger than 64 bits at the allowed bounds, so a fixed-width integer cannot hold it.
 */
export function growthKey(money: string): string {
  const cents = moneyToCents(money);
  if (cents < 0n) throw new RangeError(`growthKey: expected a non-negative amount, got "${money}"`);
  const digits = cents.toString();
  return digits.length.toString().padStart(KEY_DIGITS_WIDTH, '0') + digits;
}

/** Inverse of growthKey, for cursors and diagnostics. */
export const growthFromKey = (key: string): string => centsToMoney(BigInt(key.slice(KEY_DIGITS_WIDTH)));

/**
 * A maturity date as days since 1970-01-01. Maturity dates are `YYYY-MM-DD`, or the ISO 8601
 * expanded form `+YYYYYY-MM-DD` after year 9999 (which core's input parser rightly refuses).
 */
export function maturityKey(date: string): number {
  const match = /^\+?(\d{4,6})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`maturityKey: expected YYYY-MM-DD, got "${date}"`);
  return toEpochDay({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) });
}

/** "1.50", "+1.5" and "1.5" are the same period: the key is the normalised number and the unit. */
export function periodKey(period: string, periodUnit: string): string {
  return `${numericDecimalOrSelf(period)}|${periodUnit}`;
}
