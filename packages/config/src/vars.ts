// Declarations of environment variables. Each declaration knows its variable name, how to parse a
// value, what is allowed (for error messages), and whether the value must stay out of logs; its
// `rule` and `description` let scripts/config-reference.ts write the docs table, the Helm values
// schema and the compose environment from the same declaration.

import { accessSync, constants, statSync } from 'node:fs';

export interface VarOptions<T> {
  /** one line for the docs table and the Helm values schema: what the variable is for */
  description?: string;
  /** used when the variable is absent or empty */
  default?: T;
  /** absent means `undefined` instead of an error */
  optional?: boolean;
  /** never print the value (error messages, describeConfig) */
  secret?: boolean;
  /** name of another variable: when that one is set, this one becomes required */
  requiredWith?: string;
  /**
   * name of another variable this one only works with: setting this one while that one is unset
   * (or, for a true-or-false variable, false) is an error rather than a silently ignored value
   */
  onlyWith?: string;
  /** variables that must not be set together with this one (two ways of doing the same thing) */
  conflictsWith?: readonly string[];
}

type Parsed<T> = { ok: true; value: T } | { ok: false };

/** The parse rule as data, for generated schemas (the `parse` function is what the services run). */
export type Rule =
  | { type: 'int'; min: number; max: number }
  | { type: 'bool' }
  | { type: 'oneOf'; values: readonly string[] }
  | { type: 'str'; pattern?: RegExp }
  | { type: 'url'; schemes: readonly string[] }
  | { type: 'list'; item?: RegExp }
  | { type: 'file' };

export interface Var<T> {
  readonly kind: 'var';
  readonly name: string;
  /** what is allowed, completing "Must be …", e.g. "an integer from 1 to 65535" */
  readonly allowed: string;
  readonly rule: Rule;
  readonly description: string;
  readonly secret: boolean;
  readonly optional: boolean;
  readonly requiredWith: string | undefined;
  readonly onlyWith: string | undefined;
  readonly conflictsWith: readonly string[];
  readonly default: T | undefined;
  /** URLs print with their credentials masked */
  readonly isUrl: boolean;
  /** parses a present, non-empty value */
  parse(raw: string): Parsed<T>;
}

/** `optional: true` without a default makes the value `T | undefined`. */
export type Declared<T, O> = O extends { default: T } ? T : O extends { optional: true } ? T | undefined : T;

function declare<T, O extends VarOptions<T>>(
  name: string,
  allowed: string,
  rule: Rule,
  parse: (raw: string) => Parsed<T>,
  options: O | undefined,
): Var<Declared<T, O>> {
  return {
    kind: 'var',
    name,
    allowed,
    rule,
    description: options?.description ?? '',
    secret: options?.secret ?? false,
    optional: options?.optional ?? false,
    requiredWith: options?.requiredWith,
    onlyWith: options?.onlyWith,
    conflictsWith: options?.conflictsWith ?? [],
    default: options?.default,
    isUrl: rule.type === 'url',
    parse,
  } as Var<Declared<T, O>>;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const invalid: Parsed<never> = { ok: false };

export interface StrOptions extends VarOptions<string> {
  pattern?: RegExp;
  /** describes `pattern` for error messages */
  allowed?: string;
}

export function str<O extends StrOptions>(name: string, options?: O): Var<Declared<string, O>> {
  const pattern = options?.pattern;
  return declare(
    name,
    options?.allowed ?? 'a non-empty string',
    { type: 'str', pattern },
    (raw) => (pattern === undefined || pattern.test(raw) ? ok(raw) : invalid),
    options,
  );
}

export interface IntOptions extends VarOptions<number> {
  min?: number;
  max?: number;
}

export function int<O extends IntOptions>(name: string, options?: O): Var<Declared<number, O>> {
  const min = options?.min ?? Number.MIN_SAFE_INTEGER;
  const max = options?.max ?? Number.MAX_SAFE_INTEGER;
  return declare(
    name,
    `an integer from ${min} to ${max}`,
    { type: 'int', min, max },
    (raw) => {
      const text = raw.trim();
      if (!/^[+-]?\d+$/.test(text)) return invalid;
      const value = Number(text);
      return Number.isSafeInteger(value) && value >= min && value <= max ? ok(value) : invalid;
    },
    options,
  );
}

const TRUE_WORDS = ['true', '1', 'yes'];
export const FALSE_WORDS: readonly string[] = ['false', '0', 'no'];

export function bool<O extends VarOptions<boolean>>(name: string, options?: O): Var<Declared<boolean, O>> {
  return declare(
    name,
    'true or false',
    { type: 'bool' },
    (raw) => {
      const word = raw.trim().toLowerCase();
      if (TRUE_WORDS.includes(word)) return ok(true);
      return FALSE_WORDS.includes(word) ? ok(false) : invalid;
    },
    options,
  );
}

export function oneOf<const V extends readonly string[], O extends VarOptions<V[number]>>(
  name: string,
  values: V,
  options?: O,
): Var<Declared<V[number], O>> {
  return declare(
    name,
    `one of ${values.join(', ')}`,
    { type: 'oneOf', values },
    (raw) => {
      const value = raw.trim();
      return values.includes(value) ? ok(value as V[number]) : invalid;
    },
    options,
  );
}

export interface UrlOptions extends VarOptions<string> {
  /** allowed schemes without the colon, e.g. ['http', 'https'] */
  schemes: readonly string[];
}

export function url<O extends UrlOptions>(name: string, options: O): Var<Declared<string, O>> {
  const { schemes } = options;
  return declare(
    name,
    `a URL starting with ${schemes.map((s) => `${s}://`).join(' or ')}`,
    { type: 'url', schemes },
    (raw) => {
      const value = raw.trim();
      const scheme = /^([a-z][a-z0-9+.-]*):\/\/\S+$/i.exec(value)?.[1]?.toLowerCase();
      if (scheme === undefined || !schemes.includes(scheme)) return invalid;
      // Multi-host URLs (mongodb://a:1,b:2/) are not WHATWG URLs; only web URLs are parsed fully.
      if ((scheme === 'http' || scheme === 'https') && !URL.canParse(value)) return invalid;
      return ok(value);
    },
    options,
  );
}

export interface ListOptions extends VarOptions<string[]> {
  item?: RegExp;
  /** describes `item` for error messages, e.g. "host:port" */
  itemAllowed?: string;
}

export function list<O extends ListOptions>(name: string, options?: O): Var<Declared<string[], O>> {
  const item = options?.item;
  return declare(
    name,
    `a comma-separated list of ${options?.itemAllowed ?? 'non-empty values'}`,
    { type: 'list', item },
    (raw) => {
      const items = raw.split(',').map((part) => part.trim());
      const valid = items.every((part) => part !== '' && (item === undefined || item.test(part)));
      return valid ? ok(items) : invalid;
    },
    options,
  );
}

/**
 * The path of a file the service reads at start (a CA certificate, a token): it must exist and be
 * readable when the service starts, so a missing mount fails at once, naming the variable.
 */
export function file<O extends VarOptions<string>>(name: string, options?: O): Var<Declared<string, O>> {
  return declare(
    name,
    'the path of a readable file',
    { type: 'file' },
    (raw) => {
      const path = raw.trim();
      try {
        if (!statSync(path).isFile()) return invalid;
        accessSync(path, constants.R_OK);
        return ok(path);
      } catch {
        return invalid;
      }
    },
    options,
  );
}
