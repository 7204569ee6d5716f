// Decimal strings as a request carries them (spec §2): digits with an optional fraction,
// optionally a leading '+'. Parsed and compared as text, so validation never builds a number and
// the canonical echo keeps exactly the digits the client sent. The bounds are the schema's
// ($defs/Decimal): at most 10 fraction digits, and [ours] 32 characters, which bounds the work a
// single field can cause (the period has no upper value bound).
import { DECIMAL_FORMAT } from './validation/request-schema';

export const MAX_FRACTION_DIGITS = DECIMAL_FORMAT.maxFractionDigits;
export const MAX_DECIMAL_LENGTH = DECIMAL_FORMAT.maxLength;

const UNSIGNED_DECIMAL = /^\+?([0-9]+)(?:\.([0-9]+))?$/;
const NEGATIVE_DECIMAL = /^-[0-9]+(?:\.[0-9]+)?$/;

export interface DecimalString {
  /** integer digits without leading zeros ("0" for zero) */
  readonly integer: string;
  /** fraction digits as written, trailing zeros kept ("" when there is no fraction) */
  readonly fraction: string;
}

/** Why a string is not an acceptable decimal. */
export type DecimalStringProblem = 'not-a-decimal' | 'too-many-fraction-digits' | 'too-long' | 'negative';

export function parseDecimalString(text: string): DecimalString | DecimalStringProblem {
  const match = UNSIGNED_DECIMAL.exec(text);
  if (match === null) return NEGATIVE_DECIMAL.test(text) ? 'negative' : 'not-a-decimal';
  const fraction = match[2] ?? '';
  if (fraction.length > MAX_FRACTION_DIGITS) return 'too-many-fraction-digits';
  if (text.length > MAX_DECIMAL_LENGTH) return 'too-long';
  return { integer: match[1]!.replace(/^0+(?=[0-9])/, ''), fraction };
}

/** `"05"` → `"5"`, `"+5.40"` → `"5.40"`: no sign, no leading zeros, trailing zeros kept. */
export function formatDecimalString(value: DecimalString): string {
  return value.fraction === '' ? value.integer : `${value.integer}.${value.fraction}`;
}

/** The canonical form of a decimal string, or the string itself when it is not one. */
export function canonicalDecimalOrSelf(text: string): string {
  const parsed = parseDecimalString(text);
  return typeof parsed === 'string' ? text : formatDecimalString(parsed);
}

/**
 * The number a decimal string writes, whatever its scale: `"1.50"`, `"01.5"` and `"+1.5"` are all
 * `"1.5"`, `"2.0"` is `"2"`. Equal numbers, equal strings (a period's identity in the read models).
 */
export function numericDecimalOrSelf(text: string): string {
  const match = UNSIGNED_DECIMAL.exec(text);
  if (match === null) return text;
  const integer = match[1]!.replace(/^0+(?=[0-9])/, '');
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return formatDecimalString({ integer, fraction });
}

/** Numeric comparison of two parsed decimal strings: negative, zero or positive. */
export function compareDecimalStrings(a: DecimalString, b: DecimalString): number {
  if (a.integer.length !== b.integer.length) return a.integer.length - b.integer.length;
  if (a.integer !== b.integer) return a.integer < b.integer ? -1 : 1;
  const width = Math.max(a.fraction.length, b.fraction.length);
  const fractionA = a.fraction.padEnd(width, '0');
  const fractionB = b.fraction.padEnd(width, '0');
  return fractionA === fractionB ? 0 : fractionA < fractionB ? -1 : 1;
}

/** A decimal constant for range checks; throws on a malformed literal (a programming error). */
export function decimalConstant(text: string): DecimalString {
  const parsed = parseDecimalString(text);
  if (typeof parsed === 'string') throw new Error(`not a decimal constant: ${text}`);
  return parsed;
}
