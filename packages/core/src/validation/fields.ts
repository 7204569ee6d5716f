// The scalar fields of a request: each knows its rule, its message and its canonical value.
// The JSON Schema states the shape of these fields too (types, enums, lengths, the decimal
// pattern); the checks here repeat that cheaply and add what a schema cannot say: decimal
// ranges, real calendar dates and IANA time zones.
import { IANAZone } from 'luxon';
import {
  compareDecimalStrings,
  decimalConstant,
  formatDecimalString,
  MAX_DECIMAL_LENGTH,
  MAX_FRACTION_DIGITS,
  parseDecimalString,
  type DecimalString,
} from '../decimal-string';
import { parsePlainDate } from '../plain-date';
import { ACCOUNT_TYPES, PERIOD_UNITS } from '../types';
import { incorrect, oneOf } from './messages';

export type FieldCheck = { ok: true; value: string } | { ok: false; message: string };

export interface ScalarField {
  /** what follows "Must be" in a message, e.g. `Day, Week, Month, or Year` */
  readonly allowed: string;
  check(value: unknown): FieldCheck;
}

const accept = (value: string): FieldCheck => ({ ok: true, value });
const reject = (message: string): { ok: false; message: string } => ({ ok: false, message });

// ---- decimals ----

interface DecimalRange {
  min: DecimalString;
  minInclusive: boolean;
  max?: DecimalString;
}

function inRange(value: DecimalString, range: DecimalRange): boolean {
  const fromMin = compareDecimalStrings(value, range.min);
  if (fromMin < 0 || (fromMin === 0 && !range.minInclusive)) return false;
  return range.max === undefined || compareDecimalStrings(value, range.max) <= 0;
}

export type DecimalCheck =
  { ok: true; value: string; decimal: DecimalString } | { ok: false; message: string };

export interface DecimalField extends ScalarField {
  /** check, and also hand back the parsed decimal (so the calculation parses once) */
  checkDecimal(value: unknown): DecimalCheck;
}

function decimalField(name: string, allowed: string, range: DecimalRange): DecimalField {
  function checkDecimal(value: unknown): DecimalCheck {
    if (typeof value !== 'string') return reject(incorrect(name, value, `${allowed}, written as a string`));
    const parsed = parseDecimalString(value);
    switch (parsed) {
      // "Incorrect value" is the spec's own wording for a string that is not a number at all.
      case 'not-a-decimal':
        return reject(incorrect('value', value, 'a valid decimal number'));
      case 'too-many-fraction-digits':
        return reject(
          incorrect(
            'value',
            value,
            `a valid decimal number with at most ${MAX_FRACTION_DIGITS} fraction digits`,
          ),
        );
      case 'too-long':
        return reject(
          incorrect('value', value, `a valid decimal number of at most ${MAX_DECIMAL_LENGTH} characters`),
        );
      case 'negative':
        return reject(incorrect(name, value, allowed));
      default:
        return inRange(parsed, range)
          ? { ok: true, value: formatDecimalString(parsed), decimal: parsed }
          : reject(incorrect(name, value, allowed));
    }
  }
  return { allowed, checkDecimal, check: checkDecimal };
}

const ZERO = decimalConstant('0');

export const periodField = decimalField('period', 'a decimal number greater than 0', {
  min: ZERO,
  minInclusive: false,
});
export const apyField = decimalField('apy', 'a decimal number from 0 to 1000', {
  min: ZERO,
  minInclusive: true,
  max: decimalConstant('1000'),
});
export const yearsField = decimalField('years', 'a decimal number greater than 0 and at most 100', {
  min: ZERO,
  minInclusive: false,
  max: decimalConstant('100'),
});
export const amountField = decimalField('amount', 'a decimal number from 0 to 1000000000000', {
  min: ZERO,
  minInclusive: true,
  max: decimalConstant('1000000000000'),
});

// ---- enumerations ----

function enumField(name: string, values: readonly string[]): ScalarField {
  const allowed = oneOf(values);
  const members = new Set(values);
  return {
    allowed,
    check: (value) =>
      typeof value === 'string' && members.has(value)
        ? accept(value)
        : reject(incorrect(name, value, allowed)),
  };
}

export const periodUnitField = enumField('period_unit', PERIOD_UNITS);
export const accountTypeField = enumField('account_type', ACCOUNT_TYPES);

// ---- text ----

/** Length in Unicode code points, as JSON Schema counts string length. */
function codePointLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    length++;
  }
  return length;
}

function textField(name: string, minLength: number, maxLength: number): ScalarField {
  const allowed = `a string of ${minLength} to ${maxLength} characters`;
  return {
    allowed,
    check(value) {
      if (typeof value !== 'string') return reject(incorrect(name, value, allowed));
      const length = codePointLength(value);
      return length >= minLength && length <= maxLength
        ? accept(value)
        : reject(incorrect(name, value, allowed));
    },
  };
}

export const bankNameField = textField('name', 1, 200);
export const accountField = textField('account', 4, 64);

// ---- time zone ----

/** Longer than any IANA zone name; bounds the work a bad value can cause. */
const MAX_ZONE_NAME_LENGTH = 64;
/** luxon asks Intl on every call (about 0.1 ms); valid names are few, so remember them. */
const knownZones = new Set<string>();
const MAX_KNOWN_ZONES = 2000;

/** A UTC offset (`+05:00`, `-0330`), which Intl accepts as a time zone since ECMA-402 2024 (Node 22+). */
const UTC_OFFSET = /^[+-]/;

/** An IANA zone name, as the original's chrono-tz accepts; never a bare offset. */
function isValidZoneName(name: string): boolean {
  if (knownZones.has(name)) return true;
  if (name.length === 0 || name.length > MAX_ZONE_NAME_LENGTH || UTC_OFFSET.test(name)) return false;
  if (!IANAZone.isValidZone(name)) return false;
  if (knownZones.size < MAX_KNOWN_ZONES) knownZones.add(name);
  return true;
}

export const bankTimeZoneField: ScalarField = {
  allowed: 'a valid timezone',
  check: (value) =>
    typeof value === 'string' && isValidZoneName(value)
      ? accept(value)
      : reject(incorrect('timezone', value, 'a valid timezone')),
};

// ---- date ----

export const startDateField: ScalarField = {
  allowed: 'a real calendar date written YYYY-MM-DD',
  check: (value) =>
    typeof value === 'string' && parsePlainDate(value) !== null
      ? accept(value)
      : reject(incorrect('start_date_in_bank_tz', value, 'a real calendar date written YYYY-MM-DD')),
};
