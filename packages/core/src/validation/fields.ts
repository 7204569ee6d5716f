// The rules of the request's scalar fields, each declared once: what the field's text means to
// the domain (parse) and how a rejected value is reported. The JSON Schema checks the structure
// (types, enums, lengths, the decimal format); the limits of a rule come from it (request-schema.ts)
// and the rules here add only what a schema cannot say: decimal ranges, real calendar dates and
// IANA time zones. The same rules serve the HTTP request (after ajv) and a submitted event.
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
import type { ParsedDate } from '../parsed';
import { parsePlainDate } from '../plain-date';
import type { AccountType, PeriodUnit } from '../types';
import { incorrect, oneOf } from './messages';
import { boundOf, enumOf, fieldSchema } from './request-schema';

/** `text` is the canonical echo of the value. */
export type FieldParse<T> = { ok: true; value: T; text: string } | { ok: false; message: string };

export interface FieldRule<T> {
  /** completes "Must be …", e.g. `Day, Week, Month, or Year` */
  readonly allowed: string;
  /** the domain's reading of the field's text */
  parse(text: string): FieldParse<T>;
  /** the message for a value the schema (or parse) rejects */
  reject(value: unknown): string;
}

const reject = (message: string) => ({ ok: false as const, message });

/** parse for a string, the rule's message for anything else. */
export function parseField<T>(rule: FieldRule<T>, value: unknown): FieldParse<T> {
  return typeof value === 'string' ? rule.parse(value) : reject(rule.reject(value));
}

/** A rule whose rejection message is the parse's own when there is one. */
function rule<T>(
  label: string,
  allowed: string,
  parse: (text: string) => FieldParse<T>,
  allowedForNonString = allowed,
): FieldRule<T> {
  return {
    allowed,
    parse,
    reject(value) {
      if (typeof value !== 'string') return incorrect(label, value, allowedForNonString);
      const parsed = parse(value);
      return parsed.ok ? incorrect(label, value, allowed) : parsed.message;
    },
  };
}

// ---- decimals: [ours] bounds of spec §2, declared here only ----

interface DecimalRange {
  min: string;
  minInclusive: boolean;
  max?: string;
}

function rangeText({ min, minInclusive, max }: DecimalRange): string {
  if (minInclusive) return `a decimal number from ${min} to ${max ?? 'any size'}`;
  return `a decimal number greater than ${min}${max === undefined ? '' : ` and at most ${max}`}`;
}

/** Parses to the decimal's digits; the event parse makes the exact number (the HTTP walk needs none). */
function decimalRule(name: string, range: DecimalRange): FieldRule<DecimalString> {
  const allowed = rangeText(range);
  const min = decimalConstant(range.min);
  const max = range.max === undefined ? undefined : decimalConstant(range.max);
  const inRange = (value: DecimalString) => {
    const fromMin = compareDecimalStrings(value, min);
    if (fromMin < 0 || (fromMin === 0 && !range.minInclusive)) return false;
    return max === undefined || compareDecimalStrings(value, max) <= 0;
  };
  return rule(
    name,
    allowed,
    (text) => {
      const parsed = parseDecimalString(text);
      switch (parsed) {
        // "Incorrect value" is the spec's own wording for a string that is not a number at all.
        case 'not-a-decimal':
          return reject(incorrect('value', text, 'a valid decimal number'));
        case 'too-many-fraction-digits':
          return reject(
            incorrect(
              'value',
              text,
              `a valid decimal number with at most ${MAX_FRACTION_DIGITS} fraction digits`,
            ),
          );
        case 'too-long':
          return reject(
            incorrect('value', text, `a valid decimal number of at most ${MAX_DECIMAL_LENGTH} characters`),
          );
        case 'negative':
          return reject(incorrect(name, text, allowed));
        default: {
          if (!inRange(parsed)) return reject(incorrect(name, text, allowed));
          const canonical = formatDecimalString(parsed);
          // the input's own string when it is canonical already: parsed portfolios are held whole
          return { ok: true, value: parsed, text: canonical === text ? text : canonical };
        }
      }
    },
    `${allowed}, written as a string`,
  );
}

const periodRule = decimalRule('period', { min: '0', minInclusive: false });
const apyRule = decimalRule('apy', { min: '0', minInclusive: true, max: '1000' });
const yearsRule = decimalRule('years', { min: '0', minInclusive: false, max: '100' });
const amountRule = decimalRule('amount', { min: '0', minInclusive: true, max: '1000000000000' });

// ---- enumerations: the schema's enum is the list ----

function enumRule<T extends string>(name: string, values: readonly string[]): FieldRule<T> {
  const allowed = oneOf(values);
  const members = new Set(values);
  return rule(name, allowed, (text) =>
    members.has(text) ? { ok: true, value: text as T, text } : reject(incorrect(name, text, allowed)),
  );
}

const periodUnitRule = enumRule<PeriodUnit>('period_unit', enumOf(fieldSchema('new_delta', 'period_unit')));
const accountTypeRule = enumRule<AccountType>(
  'account_type',
  enumOf(fieldSchema('new_banks', 'new_deposits', 'account_type')),
);

// ---- text: only the schema's length bounds, which ajv checks ----

function textRule(name: string, ...path: string[]): FieldRule<string> {
  const node = fieldSchema(...path);
  const allowed = `a string of ${boundOf(node, 'minLength')} to ${boundOf(node, 'maxLength')} characters`;
  return rule(name, allowed, (text) => ({ ok: true, value: text, text }));
}

const bankNameRule = textRule('name', 'new_banks', 'name');
const accountRule = textRule('account', 'new_banks', 'new_deposits', 'account');

// ---- time zone ----

/** The schema's bound, longer than any IANA zone name; it bounds the work a bad value can cause. */
const MAX_ZONE_NAME_LENGTH = boundOf(fieldSchema('new_banks', 'bank_tz'), 'maxLength');
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

const ZONE_ALLOWED = 'a valid timezone';
const bankTimeZoneRule = rule<string>('timezone', ZONE_ALLOWED, (text) =>
  isValidZoneName(text) ? { ok: true, value: text, text } : reject(incorrect('timezone', text, ZONE_ALLOWED)),
);

// ---- date ----

const DATE_ALLOWED = 'a real calendar date written YYYY-MM-DD';
const startDateRule = rule<ParsedDate>('start_date_in_bank_tz', DATE_ALLOWED, (text) => {
  const date = parsePlainDate(text);
  return date === null
    ? reject(incorrect('start_date_in_bank_tz', text, DATE_ALLOWED))
    : { ok: true, value: { year: date.year, month: date.month, day: date.day, text }, text };
});

/** The rule of each scalar field, by its property name (each name is used once in the schema). */
export const FIELD_RULES = {
  period: periodRule,
  period_unit: periodUnitRule,
  name: bankNameRule,
  bank_tz: bankTimeZoneRule,
  account: accountRule,
  account_type: accountTypeRule,
  apy: apyRule,
  years: yearsRule,
  amount: amountRule,
  start_date_in_bank_tz: startDateRule,
} as const;
