// Wording of validation messages. Every message says what was wrong and what is allowed, in the
// spec's style: `Incorrect period_unit: Century!. Must be Day, Week, Month, or Year.`

/** Values are echoed in messages, but never more than this many characters of them. */
const MAX_ECHOED_LENGTH = 64;

// Control characters would break one-message-per-line output (the CLI prints them to a terminal).
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** A value as a message shows it: strings as written (`Hello`), other JSON values by their kind. */
function renderValue(value: unknown): string {
  if (typeof value === 'string') {
    if (value === '') return '""';
    const shown = value.length > MAX_ECHOED_LENGTH ? `${value.slice(0, MAX_ECHOED_LENGTH)}…` : value;
    return shown.replace(CONTROL_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'number':
      return `${value} (a number)`;
    case 'boolean':
      return `${value} (a boolean)`;
    case 'object':
      return 'an object';
    default:
      return `a value of type ${typeof value}`;
  }
}

/** What every message says is allowed: requests, query parameters (@drive-deposits/http), config. */
export const mustBe = (allowed: string): string => `Must be ${allowed}.`;

/** `Incorrect <label>: <shown>. Must be <allowed>.`, with `shown` already cut and escaped as wanted. */
export const incorrectShown = (label: string, shown: string, allowed: string): string =>
  `Incorrect ${label}: ${shown}. ${mustBe(allowed)}`;

export function incorrect(label: string, value: unknown, allowed: string): string {
  return incorrectShown(label, renderValue(value), allowed);
}

export function missing(field: string, allowed: string): string {
  return `Missing ${field}. ${mustBe(allowed)}`;
}

export function unknownField(field: string, allowedFields: readonly string[]): string {
  return `Unknown field: ${renderValue(field)}. Allowed fields: ${allowedFields.join(', ')}.`;
}

export function wrongCount(label: string, count: number, noun: string, allowed: string): string {
  return incorrectShown(label, `${count} ${noun}`, allowed);
}

/** `a, b, c, or d` */
export function oneOf(values: readonly string[]): string {
  return values.length <= 2
    ? values.join(' or ')
    : `${values.slice(0, -1).join(', ')}, or ${values[values.length - 1]}`;
}
